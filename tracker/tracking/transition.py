"""A status change of an item or a deliverable: what it writes, checked, on any store.

The rules live here once, free of any database library: ``change_item_status`` and
``change_deliverable_status`` take a ``StatusWriter`` (what they need to read and write)
and are run by the ORM on a session (``tracker.tracking.status``) and, for a single change on
the embedded database, by plain sqlite3 (``tracker.store.litewrite``): a `tracker set` then
does not pay SQLAlchemy's import, which alone takes longer than a whole `tracker status`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from tracker.errors import ConflictError, InputError, UnknownItemError
from tracker.i18n import _
from tracker.plan.statuses import DELIVERABLE_STATUSES, ITEM_STATUSES
from tracker.state.asof import local_today
from tracker.state.records import DELIVERABLE_FIELDS, ITEM_FIELDS
from tracker.tracking.validate import check_actual_date, order_problem


@dataclass(slots=True)
class Outcome:
    key: str
    before: dict[str, Any]
    after: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    change_id: int | None = None


class TrackedRow(Protocol):
    """An item's or deliverable's row as a writer hands it (an ORM row, or plain values)."""

    key: str
    version: int
    archived: bool
    updated_by: str
    updated_at: datetime | None


class StatusWriter(Protocol):
    """What a status change reads and writes, inside the caller's one transaction."""

    plan_key: str
    period_start: date
    period_end: date

    def item(self, key: str) -> Any | None:
        """The item's row, locked for this transaction (None: no such item)."""

    def deliverable(self, key: str) -> Any | None:
        """The deliverable's row, locked for this transaction (None: none such)."""

    def last_change(self, entity: str, key: str) -> tuple[str, datetime] | None:
        """Who recorded the newest change of ``key``, and when."""

    def open_prerequisites(self, item: Any) -> list[tuple[str, str]]:
        """``(key, status)`` of the item's prerequisites that are not closed."""

    def save(self, entity: str, row: Any, values: dict[str, Any], author: str) -> None:
        """Write ``values`` to the row, stamped with ``author`` and the time, its version
        bumped."""

    def record(
        self,
        author: str,
        entity: str,
        key: str,
        before: dict[str, Any],
        after: dict[str, Any],
        note: str,
        effective: date,
    ) -> int:
        """Append the status change to the history; returns its id."""


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The fields of ``row`` (an object or a dict) as the history keeps them (ISO dates)."""
    get = row.__getitem__ if isinstance(row, dict) else lambda name: getattr(row, name)
    return snapshot_of({name: get(name) for name in fields})


def snapshot_of(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as the history holds them: dates as ISO text."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in values.items()
    }


def last_writer(writer: StatusWriter, row: Any, entity: str) -> tuple[str, str]:
    """Who last changed ``row``, and when (as the messages show it)."""
    last = writer.last_change(entity, row.key)
    who, when = last if last else (row.updated_by or "?", row.updated_at)
    return who, when.strftime("%Y-%m-%d %H:%M") if when else "?"


def check_version(writer: StatusWriter, row: Any, entity: str, expected: int | None) -> None:
    """Refuse to write over a change made since the caller read version ``expected``."""
    if expected is None or row.version == expected:
        return
    who, when = last_writer(writer, row, entity)
    raise ConflictError(
        _(
            "{id} was changed by {who} at {when} after you opened it; nothing was saved: "
            "reload it and try again"
        ).format(id=row.key, who=who, when=when),
        [row.key],
    )


def change_item_status(
    writer: StatusWriter,
    key: str,
    status: str,
    *,
    on: date | None,
    author: str,
    percent: int | None = None,
    note: str = "",
    start: date | None = None,
    finish: date | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> Outcome:
    """Apply a status change to item ``key`` and record it. Raises InputError on bad input
    (a date outside the plan's window: see tracker.tracking.validate), ConflictError when
    ``expected_version`` is stale; writes nothing in either case.

    ``on`` is the day it happened (None: today, unless ``start``/``finish`` say when): the
    change takes effect that day.
    """
    stated = on
    on = on or local_today()
    if status not in ITEM_STATUSES:
        raise InputError(
            _("unknown status {status!r}; use one of: {values}").format(
                status=status, values=", ".join(ITEM_STATUSES)
            )
        )
    if percent is not None and not 0 <= percent <= 100:
        raise InputError(_("percent must be between 0 and 100, not {value}").format(value=percent))
    row = writer.item(key)
    if row is None or row.archived:
        raise UnknownItemError(
            _("unknown item {id} in plan {plan}").format(id=key, plan=writer.plan_key)
        )
    check_version(writer, row, "item", expected_version)
    warnings = (
        prerequisite_warnings(key, writer.open_prerequisites(row)) if status == "completada" else []
    )
    current = {name: getattr(row, name) for name in ITEM_FIELDS}
    new = next_item_state(
        key,
        current,
        status,
        on=on,
        stated=stated,
        percent=percent,
        note=note,
        start=start,
        finish=finish,
        window=(writer.period_start, writer.period_end, today or local_today()),
    )
    before, after = snapshot(current, ITEM_FIELDS), snapshot(new, ITEM_FIELDS)
    writer.save("item", row, {k: v for k, v in new.items() if v != current[k]}, author)
    outcome = Outcome(key, before, after, warnings)
    outcome.change_id = writer.record(
        author, "item", key, before, after, note, effective_day(status, on, stated, start, finish)
    )
    return outcome


def next_item_state(
    key: str,
    current: dict[str, Any],
    status: str,
    *,
    on: date,
    stated: date | None,
    percent: int | None,
    note: str,
    start: date | None,
    finish: date | None,
    window: tuple[date, date, date],
) -> dict[str, Any]:
    """The tracked fields (ITEM_FIELDS) of item ``key`` after a change of its status from
    ``current``; InputError when the change may not be written. ``on`` is the day it
    happened, ``stated`` that day when the user gave it; ``window`` is the plan's start and
    end and today, for the dates' range (tracker.tracking.validate)."""
    new = dict(current)
    reason = note.strip()
    if status == "pendiente":
        new.update(actual_start=start, actual_finish=finish, percent=percent or 0, reason="")
    elif status == "en_curso":
        new.update(
            actual_start=start or current["actual_start"] or on,
            actual_finish=finish,
            percent=percent if percent is not None else min(current["percent"], 99),
            reason="",
        )
    elif status == "completada":
        # Saved again as done (a note, a percent, the dialog's Guardar): it finished when it
        # finished; only a finish given moves that day.
        again = current["status"] == "completada" and current["actual_finish"] is not None
        done = finish or (current["actual_finish"] if again else on)
        new.update(
            actual_finish=done,
            actual_start=start or current["actual_start"] or done,
            percent=100,
            reason="",
        )
    else:  # bloqueada, diferida, cancelada keep their dates and record why
        if status == "bloqueada" and not reason:
            raise InputError(_("a blocked item needs a reason: give it with --note"))
        new.update(
            actual_start=start or current["actual_start"],
            actual_finish=finish or current["actual_finish"],
            reason=reason,
        )
        if percent is not None:
            new["percent"] = percent
    new["status"] = status
    # Only the dates this change writes: a stored date from before the rule stays readable
    # (and `tracker db check` lists it) rather than blocking every later change. The day
    # stated with --date is written too, as the day the change took effect.
    written = {
        name: new[name] for name in ("actual_start", "actual_finish") if new[name] != current[name]
    }
    _check_dates(window, key, {**written, "date": stated})
    disorder = order_problem(key, new["actual_start"], new["actual_finish"])
    if disorder is not None:
        raise InputError(disorder)
    return new


def effective_day(
    status: str, on: date, stated: date | None, start: date | None, finish: date | None
) -> date:
    """The day a status change takes effect: the day stated, else a stated finish (of a
    completion) or start, else ``on``."""
    if stated is not None:
        return stated
    if status == "completada" and finish is not None:
        return finish
    return start or finish or on


def prerequisite_warnings(key: str, still_open: list[tuple[str, str]]) -> list[str]:
    """What completing ``key`` while these ``(key, status)`` prerequisites are open says."""
    return [
        _("{id} is marked complete while its prerequisite {pre} is {status}").format(
            id=key, pre=pre, status=pre_status
        )
        for pre, pre_status in still_open
    ]


def change_deliverable_status(
    writer: StatusWriter,
    key: str,
    status: str,
    *,
    on: date,
    author: str,
    evidence: str | None = None,
    note: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> Outcome:
    """Apply a status change to deliverable ``key`` on day ``on`` and record it; refuses
    (writing nothing) what change_item_status refuses."""
    if status not in DELIVERABLE_STATUSES:
        raise InputError(
            _("unknown deliverable status {status!r}; use one of: {values}").format(
                status=status, values=", ".join(DELIVERABLE_STATUSES)
            )
        )
    row = writer.deliverable(key)
    if row is None or row.archived:
        raise UnknownItemError(
            _("unknown deliverable {id} in plan {plan}").format(id=key, plan=writer.plan_key)
        )
    _check_dates(
        (writer.period_start, writer.period_end, today or local_today()), key, {"status_date": on}
    )
    check_version(writer, row, "deliverable", expected_version)
    current = {name: getattr(row, name) for name in DELIVERABLE_FIELDS}
    # The day it reached its status: a note or an evidence link added later (status
    # unchanged) does not move it.
    reached = current["status_date"] if status == current["status"] else None
    new = {**current, "status": status, "status_date": reached or on}
    if evidence is not None:
        new["evidence"] = evidence.strip()
    before, after = snapshot(current, DELIVERABLE_FIELDS), snapshot(new, DELIVERABLE_FIELDS)
    writer.save("deliverable", row, {k: v for k, v in new.items() if v != current[k]}, author)
    outcome = Outcome(key, before, after)
    outcome.change_id = writer.record(author, "deliverable", key, before, after, note, on)
    return outcome


def _check_dates(window: tuple[date, date, date], key: str, values: dict[str, date | None]) -> None:
    first, last, today = window
    for name, value in values.items():
        if value is not None:
            check_actual_date(first, last, today, key, name, value)
