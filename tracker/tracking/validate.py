"""The one rule for dates a user records: where they may fall, checked once where they are written.

Every path that stores an actual start or finish, a status date or a communication date (the
CLI, the TUI's dialogs, CSV imports) calls :func:`check_actual_date` on the value it is about
to write, so one mistyped year (2016 for 2018, 9999-12-31) is refused with one line instead
of being stored and breaking every later read. Rows stored before the rule existed are found
by :func:`stored_date_problems` (``tracker db check``).

The window: from a year before the plan starts to a year after it ends, or to today when that
is later (a plan finishing late is still tracked); an actual date is never more than
``FUTURE_TOLERANCE_DAYS`` after today (a status recorded on Friday for Monday is fine, one
for next year is a typo).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tracker.errors import InputError
from tracker.i18n import N_, _

if TYPE_CHECKING:
    # Only the check of stored rows needs them: a status change checks its dates without
    # SQLAlchemy (see tracker.store.litewrite).
    from sqlalchemy.orm import Session

    from tracker.store.models import PlanRow

FUTURE_TOLERANCE_DAYS = 7

# Field names as stored, and as a user reads them in a message.
FIELD_LABELS = {
    "actual_start": N_("actual start"),
    "actual_finish": N_("actual finish"),
    "status_date": N_("status date"),
    "day": N_("date"),
    "date": N_("date"),
    "start": N_("actual start"),
    "finish": N_("actual finish"),
}


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def allowed_range(plan_start: date, plan_end: date, today: date) -> tuple[date, date]:
    """The first and last day an actual date of this plan may take, as of ``today``: from a
    year before the plan starts to today plus the tolerance. (The plan's window reaches a
    year past its end, or today when later; an actual date is also never past today plus
    the tolerance, and that is always the nearer bound.)"""
    del plan_end  # part of the rule, never the nearer bound for an actual date: see above
    return _shift_years(plan_start, -1), today + timedelta(days=FUTURE_TOLERANCE_DAYS)


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def date_problem(
    plan_start: date, plan_end: date, today: date, item_key: str, field: str, value: date
) -> str | None:
    """Why ``value`` may not be stored as ``field`` of ``item_key`` (None: it may)."""
    first, last = allowed_range(plan_start, plan_end, today)
    if first <= value <= last:
        return None
    return _("{id}: {field} {value} is outside the allowed range {first} – {last}").format(
        id=item_key, field=field_label(field), value=value.isoformat(), first=first, last=last
    )


def check_actual_date(
    plan_start: date, plan_end: date, today: date, item_key: str, field: str, value: date
) -> None:
    """Refuse (InputError, one line naming item, field, value and range) an actual date
    outside the plan's window or later than today plus the tolerance."""
    problem = date_problem(plan_start, plan_end, today, item_key, field, value)
    if problem is not None:
        raise InputError(problem)


def order_problem(item_key: str, start: date | None, finish: date | None) -> str | None:
    if start is not None and finish is not None and finish < start:
        return _("{id}: the finish date {finish} is before the start date {start}").format(
            id=item_key, finish=finish, start=start
        )
    return None


def check_dates(
    plan: PlanRow,
    today: date,
    item_key: str,
    values: dict[str, date | None],
) -> None:
    """:func:`check_actual_date` on every date of ``values`` (field -> value) that is set."""
    for field, value in values.items():
        if value is not None:
            check_actual_date(plan.period_start, plan.period_end, today, item_key, field, value)


@dataclass(frozen=True, slots=True)
class StoredProblem:
    """A stored value that the rule would refuse today."""

    plan: str
    entity: str  # item | deliverable | comms
    key: str
    field: str
    value: str
    message: str


def stored_date_problems(session: Session, today: date) -> list[StoredProblem]:
    """Every stored date, in every plan of the database, that a write would refuse today."""
    from sqlalchemy import select

    from tracker.store.models import PlanRow

    found: list[StoredProblem] = []
    for plan in session.scalars(select(PlanRow).order_by(PlanRow.key)):
        found += _plan_problems(session, plan, today)
    return found


def _plan_problems(session: Session, plan: PlanRow, today: date) -> list[StoredProblem]:
    from sqlalchemy import select

    from tracker.store.models import CommActivityRow, DeliverableRow, ItemRow

    found: list[StoredProblem] = []

    def check(entity: str, key: str, field: str, value: date | None) -> None:
        if value is None:
            return
        message = date_problem(plan.period_start, plan.period_end, today, key, field, value)
        if message is not None:
            found.append(StoredProblem(plan.key, entity, key, field, str(value), message))

    items = session.scalars(
        select(ItemRow)
        .where(ItemRow.plan_id == plan.id, ItemRow.archived.is_(False))
        .order_by(ItemRow.position)
    )
    for item in items:
        check("item", item.key, "actual_start", item.actual_start)
        check("item", item.key, "actual_finish", item.actual_finish)
        order = order_problem(item.key, item.actual_start, item.actual_finish)
        if order is not None:
            found.append(
                StoredProblem(
                    plan.key, "item", item.key, "actual_finish", str(item.actual_finish), order
                )
            )
    deliverables = session.scalars(
        select(DeliverableRow)
        .where(DeliverableRow.plan_id == plan.id, DeliverableRow.archived.is_(False))
        .order_by(DeliverableRow.position)
    )
    for deliverable in deliverables:
        check("deliverable", deliverable.key, "status_date", deliverable.status_date)
    activities = session.scalars(
        select(CommActivityRow)
        .where(CommActivityRow.plan_id == plan.id, CommActivityRow.deleted.is_(False))
        .order_by(CommActivityRow.day, CommActivityRow.id)
    )
    for activity in activities:
        check("comms", _("activity {id}").format(id=activity.id), "day", activity.day)
    return found
