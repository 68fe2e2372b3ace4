"""Status changes of items and deliverables: validated, recorded, never silently overwritten."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.errors import ConflictError, InputError, UnknownItemError
from tracker.i18n import _
from tracker.plan.statuses import CLOSED, DELIVERABLE_STATUSES, ITEM_STATUSES
from tracker.state.asof import local_today
from tracker.state.records import COMMS_FIELDS, DELIVERABLE_FIELDS, ITEM_FIELDS
from tracker.store.history import record
from tracker.store.models import ChangeRow, DeliverableRow, ItemRow, PlanRow
from tracker.store.planstore import now
from tracker.tracking.validate import check_dates, order_problem


@dataclass(slots=True)
class Outcome:
    key: str
    before: dict[str, Any]
    after: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    change_id: int | None = None


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    values = {}
    for name in fields:
        value = getattr(row, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


def get_item(session: Session, plan: PlanRow, key: str) -> ItemRow:
    # FOR UPDATE (PostgreSQL; SQLite already holds the write lock): concurrent writers of the
    # same item take turns instead of failing on each other's version.
    row = session.scalar(
        select(ItemRow).where(ItemRow.plan_id == plan.id, ItemRow.key == key).with_for_update()
    )
    if row is None or row.archived:
        raise UnknownItemError(_("unknown item {id} in plan {plan}").format(id=key, plan=plan.key))
    return row


def get_deliverable(session: Session, plan: PlanRow, key: str) -> DeliverableRow:
    row = session.scalar(
        select(DeliverableRow)
        .where(DeliverableRow.plan_id == plan.id, DeliverableRow.key == key)
        .with_for_update()
    )
    if row is None or row.archived:
        raise UnknownItemError(
            _("unknown deliverable {id} in plan {plan}").format(id=key, plan=plan.key)
        )
    return row


def check_version(
    session: Session, plan: PlanRow, row: Any, entity: str, expected: int | None
) -> None:
    """Refuse to write over a change made since the caller read version ``expected``."""
    if expected is None or row.version == expected:
        return
    who, when = _last_writer(session, plan, row, entity)
    raise ConflictError(
        _(
            "{id} was changed by {who} at {when} after you opened it; nothing was saved: "
            "reload it and try again"
        ).format(id=row.key, who=who, when=when),
        [row.key],
    )


def check_versions(
    session: Session, plan: PlanRow, entity: str, expected: Mapping[str, int]
) -> None:
    """Refuse to write over a change made to any of the records since the caller read each
    at the version ``expected`` gives it: one ConflictError naming every record changed, by
    whom and when (its ``changed``: their keys). The rows stay locked for the writes."""
    get = get_item if entity == "item" else get_deliverable
    # Locked in one order whoever writes: two writers of overlapping sets take turns
    # instead of each holding a row the other waits for.
    stale = []
    for key in sorted(expected):
        row = get(session, plan, key)
        if row.version != expected[key]:
            stale.append(row)
    if len(stale) == 1:
        check_version(session, plan, stale[0], entity, expected[stale[0].key])
    if stale:
        changes = []
        for row in stale:
            who, when = _last_writer(session, plan, row, entity)
            changes.append(_("{id} by {who} at {when}").format(id=row.key, who=who, when=when))
        raise ConflictError(
            _(
                "{n} of the items were changed after you opened them; nothing was saved: {changes}"
            ).format(n=len(stale), changes="; ".join(changes)),
            [row.key for row in stale],
        )


def _last_writer(session: Session, plan: PlanRow, row: Any, entity: str) -> tuple[str, str]:
    """Who last changed ``row``, and when (as the messages show it)."""
    last = session.scalar(
        select(ChangeRow)
        .where(
            ChangeRow.plan_id == plan.id,
            ChangeRow.entity == entity,
            ChangeRow.entity_key == row.key,
        )
        .order_by(ChangeRow.id.desc())
        .limit(1)
    )
    who = last.author if last else row.updated_by or "?"
    when = last.at if last else row.updated_at
    return who, when.strftime("%Y-%m-%d %H:%M") if when else "?"


def set_item_status(
    session: Session,
    plan: PlanRow,
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
    row = get_item(session, plan, key)
    check_version(session, plan, row, "item", expected_version)
    # Queries first, changes after: an autoflush between two assignments would write the
    # row twice and bump its version twice for one change.
    warnings = _open_predecessors(session, plan, row) if status == "completada" else []
    before = snapshot(row, ITEM_FIELDS)
    reason = note.strip()
    if status == "pendiente":
        row.actual_start, row.actual_finish = start, finish
        row.percent = percent or 0
        row.reason = ""
    elif status == "en_curso":
        row.actual_start = start or row.actual_start or on
        row.actual_finish = finish
        row.percent = percent if percent is not None else min(row.percent, 99)
        row.reason = ""
    elif status == "completada":
        row.actual_finish = finish or on
        row.actual_start = start or row.actual_start or row.actual_finish
        row.percent = 100
        row.reason = ""
    else:  # bloqueada, diferida, cancelada keep their dates and record why
        if status == "bloqueada" and not reason:
            raise InputError(_("a blocked item needs a reason: give it with --note"))
        row.actual_start = start or row.actual_start
        row.actual_finish = finish or row.actual_finish
        if percent is not None:
            row.percent = percent
        row.reason = reason
    row.status = status
    # Only the dates this change writes: a stored date from before the rule stays readable
    # (and `tracker db check` lists it) rather than blocking every later change. The day
    # stated with --date is written too, as the day the change took effect.
    written: dict[str, date | None] = {
        name: getattr(row, name)
        for name in ("actual_start", "actual_finish")
        if snapshot(row, (name,))[name] != before[name]
    }
    check_dates(plan, today or local_today(), key, {**written, "date": stated})
    disorder = order_problem(key, row.actual_start, row.actual_finish)
    if disorder is not None:
        raise InputError(disorder)
    outcome = Outcome(key, before, snapshot(row, ITEM_FIELDS), warnings)
    _stamp(row, author)
    change = record(
        session,
        plan,
        author,
        "item",
        key,
        "status",
        before,
        outcome.after,
        note,
        effective=stated or _effective_from_dates(status, start, finish) or on,
    )
    outcome.change_id = change.id
    return outcome


def _effective_from_dates(status: str, start: date | None, finish: date | None) -> date | None:
    """When no day was given, a stated finish (of a completion) or start says when."""
    if status == "completada" and finish is not None:
        return finish
    return start or finish


def _open_predecessors(session: Session, plan: PlanRow, row: ItemRow) -> list[str]:
    keys = []
    for dep_key, _lag, _source, _note in row.depends_on:
        producer = (
            session.scalar(
                select(DeliverableRow.producer_key).where(
                    DeliverableRow.plan_id == plan.id, DeliverableRow.key == dep_key
                )
            )
            or dep_key
        )
        keys.append(producer)
    if not keys:
        return []
    open_rows = session.scalars(
        select(ItemRow).where(
            ItemRow.plan_id == plan.id,
            ItemRow.key.in_(keys),
            ItemRow.archived.is_(False),
            ItemRow.status.not_in(CLOSED),
        )
    ).all()
    return [
        _("{id} is marked complete while its prerequisite {pre} is {status}").format(
            id=row.key, pre=p.key, status=p.status
        )
        for p in open_rows
    ]


def set_deliverable_status(
    session: Session,
    plan: PlanRow,
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
    (writing nothing) what set_item_status refuses."""
    if status not in DELIVERABLE_STATUSES:
        raise InputError(
            _("unknown deliverable status {status!r}; use one of: {values}").format(
                status=status, values=", ".join(DELIVERABLE_STATUSES)
            )
        )
    row = get_deliverable(session, plan, key)
    check_dates(plan, today or local_today(), key, {"status_date": on})
    check_version(session, plan, row, "deliverable", expected_version)
    before = snapshot(row, DELIVERABLE_FIELDS)
    row.status = status
    row.status_date = on
    if evidence is not None:
        row.evidence = evidence.strip()
    outcome = Outcome(key, before, snapshot(row, DELIVERABLE_FIELDS))
    _stamp(row, author)
    change = record(
        session,
        plan,
        author,
        "deliverable",
        key,
        "status",
        before,
        outcome.after,
        note,
        effective=on,
    )
    outcome.change_id = change.id
    return outcome


def _stamp(row: Any, author: str) -> None:
    # Called last, just before the change is recorded (and flushed): one write per change.
    row.updated_at = now()
    row.updated_by = author


UNDOABLE = {"item": ("status",), "deliverable": ("status",), "comms": ("add", "edit", "delete")}
_DATE_FIELDS = ("actual_start", "actual_finish", "status_date", "day")


def last_action(session: Session, plan: PlanRow, author: str) -> list[ChangeRow]:
    """``author``'s last undoable action: its changes, newest first. One action is the
    changes recorded at one instant: a single status change, or a change of several items
    at once (``set_items_status``) that an undo reverts together."""
    candidates = [
        (ChangeRow.entity == entity) & ChangeRow.action.in_(actions)
        for entity, actions in UNDOABLE.items()
    ]
    mine = (
        ChangeRow.plan_id == plan.id,
        ChangeRow.author == author,
        ChangeRow.undone.is_(False),
        or_(*candidates),
    )
    last = session.scalar(select(ChangeRow).where(*mine).order_by(ChangeRow.id.desc()).limit(1))
    if last is None:
        raise InputError(
            _("{author} has no change to undo in plan {plan}").format(author=author, plan=plan.key)
        )
    return list(
        session.scalars(
            select(ChangeRow).where(*mine, ChangeRow.at == last.at).order_by(ChangeRow.id.desc())
        )
    )


def undo_last(session: Session, plan: PlanRow, author: str) -> tuple[ChangeRow, ChangeRow]:
    """Revert ``author``'s last change to an item, a deliverable or the communication log
    (the revert is itself recorded): the newest change undone and its undo. A change of
    several items at once is reverted whole (see ``undo_last_action``)."""
    return undo_last_action(session, plan, author)[0]


def undo_last_action(
    session: Session, plan: PlanRow, author: str
) -> list[tuple[ChangeRow, ChangeRow]]:
    """Revert ``author``'s last action (``last_action``), every change of it or none.

    Refuses when someone changed one of the same records since: their change would be lost.
    """
    changes = last_action(session, plan, author)
    from tracker.tracking.importlog import owning_import, undo_import

    marker = owning_import(session, plan, changes[0])
    if marker is not None:  # an import is undone as a whole
        return [(marker, undo_import(session, plan, marker.id, author))]
    targets = []
    for last in changes:
        row, fields = _undo_target(session, plan, last)
        current = snapshot(row, fields)
        if current != last.after:
            newer = session.scalar(
                select(ChangeRow)
                .where(
                    ChangeRow.plan_id == plan.id,
                    ChangeRow.entity == last.entity,
                    ChangeRow.entity_key == last.entity_key,
                    ChangeRow.id > last.id,
                )
                .order_by(ChangeRow.id.desc())
                .limit(1)
            )
            raise ConflictError(
                _(
                    "{id} was changed again by {who} at {when}; undoing your change would lose "
                    "theirs"
                ).format(
                    id=last.entity_key,
                    who=newer.author if newer else "?",
                    when=newer.at.strftime("%Y-%m-%d %H:%M") if newer else "?",
                )
            )
        targets.append((last, row, fields, current))
    done = []
    for last, row, fields, current in targets:
        # Undoing an addition to the log deletes it; anything else goes back to "before".
        restore = last.before or {"deleted": True}
        for name, value in restore.items():
            setattr(
                row, name, date.fromisoformat(value) if value and name in _DATE_FIELDS else value
            )
        if last.entity == "comms":
            row.updated_at = now()
        else:
            _stamp(row, author)
        last.undone = True
        undo = record(
            session,
            plan,
            author,
            last.entity,
            last.entity_key,
            "undo",
            current,
            snapshot(row, fields),
            _("undo of change {id}").format(id=last.id),
            undoes=last.id,
            # Effective when the undone change was: the mistake vanishes from every past date.
            effective=last.effective,
        )
        done.append((last, undo))
    return done


def set_items_status(
    session: Session,
    plan: PlanRow,
    keys: list[str],
    status: str,
    *,
    expected_versions: Mapping[str, int] | None = None,
    **options: Any,
) -> list[Outcome]:
    """The same status change to several items, as one action: all recorded at one instant
    (so ``undo`` reverts them together), all applied or, on any error, none.

    ``expected_versions``: each item's version as the caller read it; when any of them was
    changed since, nothing is written and one ConflictError names them all
    (``check_versions``)."""
    if expected_versions:
        check_versions(session, plan, "item", expected_versions)
    outcomes = [set_item_status(session, plan, key, status, **options) for key in keys]
    changes = [session.get(ChangeRow, o.change_id) for o in outcomes]
    at = now()
    for change in changes:
        if change is not None:
            change.at = at
    return outcomes


def _undo_target(session: Session, plan: PlanRow, change: ChangeRow) -> tuple[Any, tuple[str, ...]]:
    if change.entity == "item":
        return get_item(session, plan, change.entity_key), ITEM_FIELDS
    if change.entity == "deliverable":
        return get_deliverable(session, plan, change.entity_key), DELIVERABLE_FIELDS
    from tracker.store.models import CommActivityRow

    row = session.scalar(
        select(CommActivityRow)
        .where(CommActivityRow.plan_id == plan.id, CommActivityRow.id == int(change.entity_key))
        .with_for_update()
    )
    if row is None:
        raise InputError(
            _("no communication activity {id} in plan {plan}").format(
                id=change.entity_key, plan=plan.key
            )
        )
    return row, COMMS_FIELDS
