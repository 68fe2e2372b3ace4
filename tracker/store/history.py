"""The change history: every change recorded with author, time, before/after and note."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tracker.state.asof import local_today
from tracker.store.author import current_author as current_author
from tracker.store.bulk import insert_rows, new_ids
from tracker.store.models import ChangeRow, PlanRow

# (entity, key, action, before, after, note, undoes, effective): a change for record_many.
Change = tuple[str, str, str, dict[str, Any], dict[str, Any], str, int | None, date | None]


def record(
    session: Session,
    plan: PlanRow,
    author: str,
    entity: str,
    key: str,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    note: str,
    undoes: int | None = None,
    effective: date | None = None,
) -> ChangeRow:
    """Append a change to the history. ``effective`` is the day it took effect (default:
    today, the day it is recorded)."""
    change = ChangeRow(
        plan_id=plan.id,
        at=datetime.now(UTC),
        effective=effective or local_today(),
        author=author,
        entity=entity,
        entity_key=key,
        action=action,
        before=before,
        after=after,
        note=note,
        undoes=undoes,
    )
    session.add(change)
    session.flush()
    return change


def record_many(
    session: Session,
    plan: PlanRow,
    author: str,
    changes: list[Change],
) -> list[int]:
    """Record many changes in one executemany; returns their ids, in the order of
    ``changes``. For imports: the ORM's bookkeeping, per object, costs more than the
    database does (and see tracker.store.bulk)."""
    if not changes:
        return []
    at = datetime.now(UTC)
    today = local_today()
    table: Any = ChangeRow.__table__
    ids = new_ids(session, table, len(changes))
    insert_rows(
        session,
        table,
        [
            {
                "id": change_id,
                "plan_id": plan.id,
                "at": at,
                "author": author,
                "entity": entity,
                "entity_key": key,
                "action": action,
                "before": before,
                "after": after,
                "note": note,
                "undone": False,
                "undoes": undoes,
                "effective": effective or today,
            }
            for change_id, (entity, key, action, before, after, note, undoes, effective) in zip(
                ids, changes, strict=True
            )
        ],
    )
    return ids
