"""the date each recorded change took effect

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 04:30:00

Every change keeps, besides when it was typed (``at``), the day it took effect: the state of
the plan on a past date is computed from the changes effective by then. Existing rows get one
from what they recorded (a completion's actual finish, a start's actual start, a
deliverable's status date, an activity's day), else the local day they were recorded.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        import json

        value = json.loads(value or "{}")
    return value if isinstance(value, dict) else {}


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value  # type: ignore[no-any-return]


def backfill_effective(
    entity: str, before: dict[str, Any], after: dict[str, Any], at: datetime
) -> date:
    """The effective day of a change recorded before effective days were stored."""
    recorded = (at if at.tzinfo is None else at.astimezone()).date()
    day: Any = None
    if entity == "item":
        status = after.get("status")
        if status == "completada" and before.get("status") != status:
            day = after.get("actual_finish")
        elif status == "en_curso" and before.get("actual_start") != after.get("actual_start"):
            day = after.get("actual_start")
    elif entity == "deliverable":
        day = after.get("status_date")
    elif entity == "comms":
        day = after.get("day") or before.get("day")
    if isinstance(day, str):
        try:
            return date.fromisoformat(day)
        except ValueError:
            return recorded
    return recorded


def upgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("effective", sa.Date(), nullable=True))
    bind = op.get_bind()
    changes = sa.table(
        "changes",
        sa.column("id", sa.Integer),
        sa.column("entity", sa.String),
        sa.column("before", sa.JSON),
        sa.column("after", sa.JSON),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("effective", sa.Date),
    )
    rows = bind.execute(
        sa.select(changes.c.id, changes.c.entity, changes.c.before, changes.c.after, changes.c.at)
    ).all()
    updates = [
        {
            "change_id": row_id,
            "day": backfill_effective(entity, _as_dict(before), _as_dict(after), _as_datetime(at)),
        }
        for row_id, entity, before, after, at in rows
    ]
    if updates:
        bind.execute(
            changes.update()
            .where(changes.c.id == sa.bindparam("change_id"))
            .values(effective=sa.bindparam("day")),
            updates,
        )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.alter_column("effective", existing_type=sa.Date(), nullable=False)
        batch_op.create_index(batch_op.f("ix_changes_effective"), ["effective"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_effective"))
        batch_op.drop_column("effective")
