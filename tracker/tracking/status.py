"""Status changes of items and deliverables: validated, recorded, never silently overwritten."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.errors import ConflictError, InputError, UnknownItemError
from tracker.i18n import _
from tracker.plan.statuses import CLOSED
from tracker.state.records import COMMS_FIELDS, DELIVERABLE_FIELDS, ITEM_FIELDS
from tracker.store.bulk import rows_by_id
from tracker.store.history import record
from tracker.store.models import ChangeRow, DeliverableRow, ItemRow, PlanRow
from tracker.store.planstore import now
from tracker.tracking import transition
from tracker.tracking.transition import Outcome as Outcome
from tracker.tracking.transition import effective_day as effective_day
from tracker.tracking.transition import snapshot as snapshot
from tracker.tracking.transition import snapshot_of as snapshot_of


class OrmStatusWriter:
    """A StatusWriter on an ORM session (see ``tracker.tracking.transition``)."""

    def __init__(self, session: Session, plan: PlanRow) -> None:
        self.session = session
        self.plan = plan
        self.plan_key = plan.key
        self.period_start = plan.period_start
        self.period_end = plan.period_end

    def item(self, key: str) -> ItemRow | None:
        # FOR UPDATE (PostgreSQL; SQLite already holds the write lock): concurrent writers of
        # the same item take turns instead of failing on each other's version.
        return self.session.scalar(
            select(ItemRow)
            .where(ItemRow.plan_id == self.plan.id, ItemRow.key == key)
            .with_for_update()
        )

    def deliverable(self, key: str) -> DeliverableRow | None:
        return self.session.scalar(
            select(DeliverableRow)
            .where(DeliverableRow.plan_id == self.plan.id, DeliverableRow.key == key)
            .with_for_update()
        )

    def last_change(self, entity: str, key: str) -> tuple[str, datetime] | None:
        last = self.session.scalar(
            select(ChangeRow)
            .where(
                ChangeRow.plan_id == self.plan.id,
                ChangeRow.entity == entity,
                ChangeRow.entity_key == key,
            )
            .order_by(ChangeRow.id.desc())
            .limit(1)
        )
        return (last.author, last.at) if last is not None else None

    def open_prerequisites(self, item: ItemRow) -> list[tuple[str, str]]:
        waits, statuses = prerequisites(self.session, self.plan, {item.key: item.depends_on})
        return still_open(waits[item.key], statuses)

    def save(self, entity: str, row: Any, values: dict[str, Any], author: str) -> None:
        for name, value in values.items():
            setattr(row, name, value)
        _stamp(row, author)

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
        change = record(
            self.session, self.plan, author, entity, key, "status", before, after, note,
            effective=effective,
        )  # fmt: skip
        return change.id


def get_item(session: Session, plan: PlanRow, key: str) -> ItemRow:
    row = OrmStatusWriter(session, plan).item(key)
    if row is None or row.archived:
        raise UnknownItemError(_("unknown item {id} in plan {plan}").format(id=key, plan=plan.key))
    return row


def get_deliverable(session: Session, plan: PlanRow, key: str) -> DeliverableRow:
    row = OrmStatusWriter(session, plan).deliverable(key)
    if row is None or row.archived:
        raise UnknownItemError(
            _("unknown deliverable {id} in plan {plan}").format(id=key, plan=plan.key)
        )
    return row


def check_version(
    session: Session, plan: PlanRow, row: Any, entity: str, expected: int | None
) -> None:
    """Refuse to write over a change made since the caller read version ``expected``."""
    transition.check_version(OrmStatusWriter(session, plan), row, entity, expected)


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
        writer = OrmStatusWriter(session, plan)
        changes = []
        for row in stale:
            who, when = transition.last_writer(writer, row, entity)
            changes.append(_("{id} by {who} at {when}").format(id=row.key, who=who, when=when))
        raise ConflictError(
            _(
                "{n} of the items were changed after you opened them; nothing was saved: {changes}"
            ).format(n=len(stale), changes="; ".join(changes)),
            [row.key for row in stale],
        )


def set_item_status(
    session: Session, plan: PlanRow, key: str, status: str, **options: Any
) -> Outcome:
    """``transition.change_item_status`` on the session (its options and refusals)."""
    return transition.change_item_status(OrmStatusWriter(session, plan), key, status, **options)


def set_deliverable_status(
    session: Session, plan: PlanRow, key: str, status: str, **options: Any
) -> Outcome:
    """``transition.change_deliverable_status`` on the session."""
    return transition.change_deliverable_status(
        OrmStatusWriter(session, plan), key, status, **options
    )


@dataclass(frozen=True, slots=True)
class PlanIndex:
    """What an import reads once to find the plan's records without asking by key (see
    tracker.store.bulk.rows_by_id): each item's id (archived ones left out) and the item
    producing each deliverable."""

    item_ids: dict[str, int]
    producers: dict[str, str]


def plan_index(session: Session, plan: PlanRow) -> PlanIndex:
    items = session.execute(
        select(ItemRow.key, ItemRow.id).where(
            ItemRow.plan_id == plan.id, ItemRow.archived.is_(False)
        )
    )
    deliverables = session.execute(
        select(DeliverableRow.key, DeliverableRow.producer_key).where(
            DeliverableRow.plan_id == plan.id
        )
    )
    return PlanIndex(
        {key: item_id for key, item_id in items},
        {key: producer for key, producer in deliverables},
    )


def prerequisites(
    session: Session,
    plan: PlanRow,
    depends_on: Mapping[str, list[Any]],
    index: PlanIndex | None = None,
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """For each item key, the items it waits for (a deliverable stands for the item that
    produces it), and the status of each of those not archived: read in a few queries,
    fewer with the plan's ``index`` (an import's)."""
    deps = sorted({entry[0] for entries in depends_on.values() for entry in entries})
    producers: dict[str, str] = {}
    if index is not None:
        producers = index.producers
    else:
        for part in _parts(deps):
            producers.update(
                session.execute(
                    select(DeliverableRow.key, DeliverableRow.producer_key).where(
                        DeliverableRow.plan_id == plan.id, DeliverableRow.key.in_(part)
                    )
                ).all()
            )
    waits = {
        key: list(dict.fromkeys(producers.get(entry[0], entry[0]) for entry in entries))
        for key, entries in depends_on.items()
    }
    wanted = sorted({k for keys in waits.values() for k in keys})
    if index is not None:
        table: Any = ItemRow.__table__
        found = rows_by_id(
            session,
            table,
            ("plan_id", "archived", "key", "status"),
            [index.item_ids[key] for key in wanted if key in index.item_ids],
            lock=False,
        )
        return waits, {
            row["key"]: row["status"]
            for row in found
            if row["plan_id"] == plan.id and not row["archived"]
        }
    statuses: dict[str, str] = {}
    for part in _parts(wanted):
        statuses.update(
            session.execute(
                select(ItemRow.key, ItemRow.status).where(
                    ItemRow.plan_id == plan.id,
                    ItemRow.key.in_(part),
                    ItemRow.archived.is_(False),
                )
            ).all()
        )
    return waits, statuses


def still_open(waits: list[str], statuses: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(key, status)`` of the items waited for that are not closed, in the plan's order."""
    return [
        (pre, statuses[pre]) for pre in waits if pre in statuses and statuses[pre] not in CLOSED
    ]


def open_prerequisites(key: str, waits: list[str], statuses: Mapping[str, str]) -> list[str]:
    """A warning for each item ``key`` waits for that is not closed (see prerequisites)."""
    return transition.prerequisite_warnings(key, still_open(waits, statuses))


def _parts(keys: list[str], size: int = 500) -> list[list[str]]:
    # An IN (...) list of a size every database takes.
    return [keys[i : i + size] for i in range(0, len(keys), size)]


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
