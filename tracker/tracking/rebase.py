"""Move a plan's whole baseline to a new start: a city reusing the plan as a template.

Every item keeps its planned duration and its place relative to the others in working days:
all baseline dates move by the same number of working days of the plan's calendar, so that
the earliest planned start falls on the first working day on or after the new start. The
plan period moves by the same number of calendar days as that earliest start. Refused once
work has been recorded: moving a plan under recorded work would falsify it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.errors import InputError
from tracker.i18n import _
from tracker.schedule.calendar import WorkCalendar
from tracker.schedule.passes import plan_calendar
from tracker.store.history import record
from tracker.store.models import CommActivityRow, ItemRow, PlanRow
from tracker.store.planstore import now, stored_plan


def rebase_plan(
    session: Session, plan_row: PlanRow, new_start: date, author: str, note: str
) -> int:
    """Shift every item's baseline so the plan starts on ``new_start`` (or the first working
    day after it); returns how many items moved. Recorded as one "rebase" change with the
    old and new dates; raises InputError, writing nothing, when any item has started or
    communication activities are logged."""
    rows = list(
        session.scalars(
            select(ItemRow)
            .where(ItemRow.plan_id == plan_row.id)
            .order_by(ItemRow.position)
            .with_for_update()
        )
    )
    started = [r.key for r in rows if r.actual_start is not None or r.actual_finish is not None]
    if started:
        raise InputError(
            _(
                "cannot move plan {plan}: work is recorded on {ids}; moving the baseline "
                "under recorded work would falsify it"
            ).format(plan=plan_row.key, ids=_first(started))
        )
    logged = session.scalar(
        select(func.count(CommActivityRow.id)).where(
            CommActivityRow.plan_id == plan_row.id, CommActivityRow.deleted.is_(False)
        )
    )
    if logged:
        raise InputError(
            _(
                "cannot move plan {plan}: its communication log is not empty ({n} logged); "
                "moving the plan under recorded work would falsify it"
            ).format(plan=plan_row.key, n=logged)
        )
    current = [r for r in rows if not r.archived] or rows
    if not current:
        raise InputError(_("plan {plan} has no items to move").format(plan=plan_row.key))
    calendar = _calendar(session, plan_row, new_start)
    earliest = min(r.baseline_start for r in current)
    target = calendar.day(calendar.index_on_or_after(new_start))
    offset = calendar.index_on_or_after(target) - calendar.index_on_or_after(earliest)
    if offset == 0:
        return 0

    def shift(day: date) -> date:
        return calendar.day(calendar.index_on_or_after(day) + offset)

    days = target - earliest
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for row in rows:
        old = (row.baseline_start, row.baseline_finish)
        new = (shift(old[0]), shift(old[1]))
        before[row.key] = [d.isoformat() for d in old]
        after[row.key] = [d.isoformat() for d in new]
        row.baseline_start, row.baseline_finish = new
    period = (plan_row.period_start + days, plan_row.period_end + days)
    # Working days and calendar days drift apart (holidays differ from year to year): the
    # period must still hold every planned date.
    period = (
        min(period[0], min(r.baseline_start for r in rows)),
        max(period[1], max(r.baseline_finish for r in rows)),
    )
    before["period"] = [plan_row.period_start.isoformat(), plan_row.period_end.isoformat()]
    after["period"] = [period[0].isoformat(), period[1].isoformat()]
    plan_row.period_start, plan_row.period_end = period
    plan_row.baseline_at = now()
    record(session, plan_row, author, "plan", plan_row.key, "rebase", before, after, note)
    return len(rows)


def _calendar(session: Session, plan_row: PlanRow, new_start: date) -> WorkCalendar:
    """The plan's working-day calendar, reaching back to ``new_start`` if it is earlier."""
    plan = stored_plan(session, plan_row)
    calendar = plan_calendar(plan)
    if new_start < calendar.origin:
        calendar = WorkCalendar(
            plan.calendar_country, new_start, [(h.day, h.name) for h in plan.extra_holidays]
        )
    return calendar


def _first(keys: list[str], limit: int = 5) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (", …" if len(keys) > limit else "")
