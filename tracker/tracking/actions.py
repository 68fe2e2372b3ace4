"""The user actions that change tracked state, each one transaction of the store.

The CLI and the TUI call these with a Store: neither holds a session of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.tracking.transition import (
    Outcome,
    StatusWriter,
    change_deliverable_status,
    change_item_status,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker.store.models import ChangeRow, PlanRow
    from tracker.store.store import Store
    from tracker.tracking.commlog import ActivityInput


def set_item(
    store: Store,
    key: str,
    status: str,
    *,
    author: str,
    on: date | None = None,
    percent: int | None = None,
    note: str = "",
    start: date | None = None,
    finish: date | None = None,
    expected_version: int | None = None,
) -> Outcome:
    """Change an item's status (see ``transition.change_item_status``), as one transaction."""

    def change(writer: StatusWriter) -> Outcome:
        return change_item_status(
            writer,
            key,
            status,
            on=on,
            author=author,
            percent=percent,
            note=note,
            start=start,
            finish=finish,
            expected_version=expected_version,
        )

    return _status_change(store, change)


def set_items(
    store: Store,
    keys: list[str],
    status: str,
    *,
    author: str,
    on: date | None = None,
    note: str = "",
    expected_versions: Mapping[str, int] | None = None,
) -> list[Outcome]:
    """Change several items' status at once, as one undoable action and one transaction
    (see ``set_items_status``): over no one else's change to any of them."""
    from tracker.tracking.status import set_items_status

    return store.write(
        lambda s: set_items_status(
            s,
            _find_plan(s, store.plan_key),
            keys,
            status,
            on=on,
            author=author,
            note=note,
            expected_versions=expected_versions,
        )
    )


def set_deliverable(
    store: Store,
    key: str,
    status: str,
    *,
    author: str,
    on: date,
    evidence: str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Outcome:
    """Change a deliverable's status, as one transaction."""

    def change(writer: StatusWriter) -> Outcome:
        return change_deliverable_status(
            writer,
            key,
            status,
            on=on,
            author=author,
            evidence=evidence,
            note=note,
            expected_version=expected_version,
        )

    return _status_change(store, change)


def _status_change(store: Store, change: Callable[[StatusWriter], Outcome]) -> Outcome:
    """One status change: on an embedded file through sqlite3 (a `tracker set` need not
    import SQLAlchemy), otherwise through the ORM; the same rules either way."""
    if store.embedded_file is not None:
        from tracker.store.litewrite import LiteStatusWriter

        return store.write_plain(lambda c: change(LiteStatusWriter(c, store.plan_key)))
    from tracker.tracking.status import OrmStatusWriter

    return store.write(lambda s: change(OrmStatusWriter(s, _find_plan(s, store.plan_key))))


def undo(store: Store, author: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Revert ``author``'s last change; returns (the change undone, the undo) as dicts."""

    def work(session: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        from tracker.tracking.status import undo_last

        undone, record = undo_last(session, _find_plan(session, store.plan_key), author)
        return _plain(undone), _plain(record)

    return store.write(work)


def _find_plan(session: Session, key: str | None) -> PlanRow:
    # Imported when called: SQLAlchemy's import is not for what goes through sqlite3.
    from tracker.store.planstore import find_plan

    return find_plan(session, key)


def _plain(change: ChangeRow) -> dict[str, Any]:
    return {
        "id": change.id,
        "entity": change.entity,
        "key": change.entity_key,
        "action": change.action,
        "before": dict(change.before),
        "after": dict(change.after),
        "effective": change.effective,
    }


def add_activity(store: Store, data: ActivityInput, author: str) -> int:
    """Log a communication activity; returns its id."""
    from tracker.store.planstore import stored_plan
    from tracker.tracking.commlog import add_activity as add

    def work(session: Any) -> int:
        row = _find_plan(session, store.plan_key)
        return add(session, row, stored_plan(session, row), data, author).id

    return store.write(work)


def edit_activity(store: Store, activity_id: int, changes: dict[str, Any], author: str) -> int:
    """Edit a logged communication activity (recorded); returns its id."""
    from tracker.store.planstore import stored_plan
    from tracker.tracking.commlog import edit_activity as edit

    def work(session: Any) -> int:
        row = _find_plan(session, store.plan_key)
        return edit(session, row, stored_plan(session, row), activity_id, changes, author).id

    return store.write(work)


def delete_activity(store: Store, activity_id: int, author: str, note: str) -> None:
    """Mark a logged activity deleted (it stays in the history)."""
    from tracker.tracking.commlog import delete_activity as delete

    store.write(lambda s: delete(s, _find_plan(s, store.plan_key), activity_id, author, note))


def sync(store: Store, plan: Any, author: str, *, dry_run: bool = False) -> Any:
    """Bring the database's plan in line with a plan file (see ``tracking.sync``)."""
    from tracker.tracking.sync import sync_plan

    return store.write(lambda s: sync_plan(s, plan, author, dry_run=dry_run))


def rebaseline(store: Store, author: str, as_of: date, note: str) -> int:
    """Freeze the forecast as of ``as_of`` as the new baseline; returns items moved."""
    from tracker.tracking.sync import rebaseline as freeze

    return store.write(lambda s: freeze(s, _find_plan(s, store.plan_key), author, as_of, note))


def rebase(store: Store, start: date, author: str, note: str) -> tuple[int, str, date, date]:
    """Move the whole baseline to a new start; returns (items moved, plan, new period)."""
    from tracker.tracking.rebase import rebase_plan

    def work(session: Any) -> tuple[int, str, date, date]:
        plan_row = _find_plan(session, store.plan_key)
        moved = rebase_plan(session, plan_row, start, author, note)
        return moved, plan_row.key, plan_row.period_start, plan_row.period_end

    return store.write(work)


def stored_problems(store: Store, today: date) -> Any:
    """Stored values a write would refuse today (``tracker db check``)."""
    from tracker.tracking.validate import stored_date_problems

    return store.write(lambda s: stored_date_problems(s, today))
