"""The change history: every change recorded with author, time, before/after and note."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from tracker.store.models import ChangeRow, PlanRow

# (entity, key, action, before, after, note, undoes): one change for record_many.
Change = tuple[str, str, str, dict[str, Any], dict[str, Any], str, int | None]


def current_author() -> str:
    """TRACKER_USER, else the operating-system user."""
    author = os.environ.get("TRACKER_USER", "").strip()
    if author:
        return author
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "desconocido"


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
    *,
    flush: bool = True,
) -> ChangeRow:
    """Add the change to the history; ``flush=False`` leaves the INSERT to the next flush
    (many changes at once: one round trip instead of one each), and its id unknown."""
    change = ChangeRow(
        plan_id=plan.id,
        at=datetime.now(UTC),
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
    if flush:
        session.flush()
    return change


def record_many(
    session: Session,
    plan: PlanRow,
    author: str,
    changes: list[Change],
) -> list[int]:
    """Record many changes in one INSERT; returns their ids (in no particular order).
    For imports: the ORM's bookkeeping, per object, costs more than the database does."""
    if not changes:
        return []
    at = datetime.now(UTC)
    rows = [
        {
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
        }
        for entity, key, action, before, after, note, undoes in changes
    ]
    table: Any = ChangeRow.__table__
    return list(session.connection().execute(insert(table).returning(table.c.id), rows).scalars())
