"""An import as one action: committed in batches, undone as a whole.

A file of 100,000 rows written in one transaction would hold the database's write lock for
the whole import, and every other user's save would wait on it. An import therefore commits
in batches, and a marker in the change history (entity ``import``) lists the changes each
batch recorded, as ranges of change ids. ``tracker undo`` on a change that belongs to an
import undoes every change of that import, or none when someone changed one of its records
since.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from tracker.errors import ConflictError, InputError
from tracker.i18n import _
from tracker.store.bulk import rows_by_id, update_rows
from tracker.store.history import Change, record, record_many
from tracker.store.models import ChangeRow, CommActivityRow, ItemRow, PlanRow
from tracker.store.planstore import find_plan, now
from tracker.store.session import transaction

ENTITY = "import"
BATCH_ROWS = 2000
# SQLite has one write lock, and a writer waiting for it polls every 100 ms or so: without a
# pause between two batches the import would take the lock straight back and a colleague's
# save could wait for the whole import.
SQLITE_PAUSE_SECONDS = 0.1
_CHUNK = 500  # id ranges in one statement
T = TypeVar("T")


class _NothingChanged(Exception):
    """Rolls back an import that changed nothing, so that it leaves no marker."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


@dataclass(slots=True)
class Batch:
    """What a batch gives back: the change ids it recorded and whatever the caller keeps."""

    change_ids: list[int]
    value: Any = None


def _ranges(ids: Sequence[int], ranges: list[list[int]]) -> list[list[int]]:
    merged = [list(r) for r in ranges]
    for change_id in sorted(ids):
        if merged and merged[-1][1] + 1 == change_id:
            merged[-1][1] = change_id
        else:
            merged.append([change_id, change_id])
    return merged


def begin(session: Session, plan: PlanRow, author: str, path: str, kind: str, rows: int) -> int:
    """Record the marker of a new import; returns its change id."""
    marker = record(
        session,
        plan,
        author,
        ENTITY,
        path,
        "import",
        {},
        {"file": path, "kind": kind, "rows": rows, "changes": [], "complete": False},
        "",
    )
    return marker.id


def extend(
    session: Session, marker_id: int, change_ids: Sequence[int], *, complete: bool = False
) -> None:
    marker = session.get(ChangeRow, marker_id)
    assert marker is not None
    after = dict(marker.after)  # a new dict: the JSON column sees the change
    after["changes"] = _ranges(change_ids, after.get("changes", []))
    after["complete"] = complete
    marker.after = after


def run_batches(
    sessions: sessionmaker[Session],
    plan_key: str | None,
    *,
    author: str,
    path: str,
    kind: str,
    rows: Sequence[T],
    apply: Callable[[Session, PlanRow, Sequence[T]], Batch],
    batch_rows: int | None = None,
) -> list[Any]:
    """Apply ``rows`` in batches of ``batch_rows``, each batch its own transaction, all of
    them one import. When a batch raises, the batches already committed are undone (the
    import leaves nothing) and the error goes on. Returns each batch's ``value``."""
    batch_rows = batch_rows or BATCH_ROWS
    marker_id: int | None = None
    values: list[Any] = []
    sqlite = False
    for start in range(0, max(len(rows), 1), batch_rows):
        if start and sqlite:
            time.sleep(SQLITE_PAUSE_SECONDS)
        chunk = rows[start : start + batch_rows]
        last = start + batch_rows >= len(rows)

        def work(session: Session, chunk: Sequence[T] = chunk, last: bool = last) -> Any:
            nonlocal marker_id, sqlite
            sqlite = session.get_bind().dialect.name == "sqlite"
            plan = find_plan(session, plan_key)
            first = marker_id is None
            if marker_id is None:
                marker_id = begin(session, plan, author, path, kind, len(rows))
            try:
                batch = apply(session, plan, chunk)
            except BaseException:
                if first:
                    marker_id = None  # rolled back with this transaction
                raise
            if first and last and not batch.change_ids:
                marker_id = None
                raise _NothingChanged(batch.value)
            extend(session, marker_id, batch.change_ids, complete=last)
            return batch.value

        try:
            values.append(transaction(sessions, work))
        except _NothingChanged as nothing:
            values.append(nothing.value)
        except BaseException:
            if marker_id is not None:
                kept = marker_id

                def undo(session: Session, kept: int = kept) -> ChangeRow:
                    return undo_import(session, find_plan(session, plan_key), kept, author)

                transaction(sessions, undo)
            raise
    return values


def owning_import(session: Session, plan: PlanRow, change: ChangeRow) -> ChangeRow | None:
    """The import marker ``change`` was recorded by, if any."""
    marker = session.scalar(
        select(ChangeRow)
        .where(
            ChangeRow.plan_id == plan.id,
            ChangeRow.entity == ENTITY,
            ChangeRow.action == "import",
            ChangeRow.author == change.author,
            ChangeRow.id < change.id,
            ChangeRow.undone.is_(False),
        )
        .order_by(ChangeRow.id.desc())
        .limit(1)
    )
    if marker is None:
        return None
    inside = any(lo <= change.id <= hi for lo, hi in marker.after.get("changes", []))
    return marker if inside else None


def undo_import(session: Session, plan: PlanRow, marker_id: int, author: str) -> ChangeRow:
    """Undo every change of the import ``marker_id`` (each undo recorded); ConflictError,
    and nothing undone, when a record it changed was changed again since.

    Written with bulk statements (tracker.store.bulk): undoing 100,000 rows one ORM object
    at a time took minutes (each versioned UPDATE is a statement of its own)."""
    from tracker.state.records import COMMS_FIELDS, ITEM_FIELDS

    marker = session.get(ChangeRow, marker_id)
    if marker is None or marker.entity != ENTITY:
        raise InputError(_("no import {id} in plan {plan}").format(id=marker_id, plan=plan.key))
    ranges = marker.after.get("changes", [])
    changes: list[ChangeRow] = []
    for part in _chunks(ranges):
        changes += session.scalars(
            select(ChangeRow).where(
                ChangeRow.plan_id == plan.id,
                ChangeRow.undone.is_(False),
                _within(part),
            )
        ).all()
    changes.sort(key=lambda c: c.id, reverse=True)
    item_keys = [c.entity_key for c in changes if c.entity == "item"]
    item_ids: dict[str, int] = {}
    if item_keys:
        item_ids = {
            key: item_id
            for key, item_id in session.execute(
                select(ItemRow.key, ItemRow.id).where(ItemRow.plan_id == plan.id)
            )
        }
    # Changes name an item by its key: its row is found by its id (see rows_by_id).
    by_id = _current(
        session, ItemRow, ITEM_FIELDS, plan, [item_ids[k] for k in item_keys if k in item_ids]
    )
    items = {key: by_id[item_ids[key]] for key in item_keys if item_ids.get(key) in by_id}
    activities = _current(
        session,
        CommActivityRow,
        COMMS_FIELDS,
        plan,
        [int(c.entity_key) for c in changes if c.entity == "comms"],
    )
    stamp = now()
    # Each table's rows are updated by id in one executemany per set of columns (an
    # activity the import added goes back to deleted, an item to all its fields).
    updates: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    undone: list[Change] = []
    for change in changes:
        current = (
            items.get(change.entity_key)
            if change.entity == "item"
            else activities.get(int(change.entity_key))
        )
        if current is None or current.fields != change.after:
            raise ConflictError(
                _(
                    "{id} was changed again after the import of {file}; undoing the import "
                    "would lose that change: nothing was undone"
                ).format(id=change.entity_key, file=marker.entity_key)
            )
        restore = change.before or {"deleted": True}
        row: dict[str, Any] = {
            name: date.fromisoformat(value) if value and name in _DATE_FIELDS else value
            for name, value in restore.items()
        }
        row.update(id=current.id, version=current.version, updated_at=stamp)
        if change.entity == "item":
            row["updated_by"] = author
        updates.setdefault((change.entity, tuple(sorted(row))), []).append(row)
        undone.append(
            (
                change.entity,
                change.entity_key,
                "undo",
                change.after,
                {**change.after, **restore},
                _("undo of change {id}").format(id=change.id),
                change.id,
                change.effective,  # the mistake vanishes from every past date
            )
        )
    for (entity, _names), rows in updates.items():
        model: Any = ItemRow if entity == "item" else CommActivityRow
        update_rows(session, model.__table__, rows, versioned=True)
    for part in _chunks(ranges):
        session.execute(
            update(ChangeRow)
            .where(ChangeRow.plan_id == plan.id, _within(part))
            .values(undone=True)
            .execution_options(synchronize_session=False)
        )
    record_many(session, plan, author, undone)
    session.expire_all()  # rows changed behind the ORM's back
    marker = session.get(ChangeRow, marker_id)
    assert marker is not None
    marker.undone = True
    return record(
        session,
        plan,
        author,
        ENTITY,
        marker.entity_key,
        "undo",
        marker.after,
        {},
        _("undo of the import of {file} ({n} changes)").format(
            file=marker.entity_key, n=len(changes)
        ),
        undoes=marker.id,
        effective=marker.effective,
    )


_DATE_FIELDS = ("actual_start", "actual_finish", "status_date", "day")


@dataclass(frozen=True, slots=True)
class _Current:
    id: int
    version: int
    fields: dict[str, Any]  # as the history holds them (dates as ISO text)


def _chunks(ranges: list[list[int]]) -> list[list[list[int]]]:
    return [ranges[i : i + _CHUNK] for i in range(0, len(ranges), _CHUNK)]


def _within(ranges: list[list[int]]) -> Any:
    return or_(*(and_(ChangeRow.id >= lo, ChangeRow.id <= hi) for lo, hi in ranges))


def _current(
    session: Session, model: Any, fields: tuple[str, ...], plan: PlanRow, ids: list[int]
) -> dict[int, _Current]:
    """Each row of ``plan`` with these ids, locked, by id."""
    rows = rows_by_id(
        session, model.__table__, ("plan_id", "id", "version", *fields), ids, lock=True
    )
    return {
        row["id"]: _Current(
            row["id"],
            row["version"],
            {
                name: row[name].isoformat() if isinstance(row[name], date) else row[name]
                for name in fields
            },
        )
        for row in rows
        if row["plan_id"] == plan.id
    }
