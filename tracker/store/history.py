"""The change history: every change recorded with author, time, before/after and note."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tracker.state.asof import local_today
from tracker.store.models import ChangeRow, PlanRow


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
