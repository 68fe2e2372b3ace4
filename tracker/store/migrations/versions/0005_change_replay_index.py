"""an index for the state on a past date

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 07:20:00

The state on a past date reads, per item and deliverable, its last change effective by then
and its first one after (``tracker.store.queries.REPLAY_LAST``). An index on what that query
groups and filters by answers it from the index alone: on 100,000 changes, about 55 ms
instead of 135 ms on SQLite. Nothing else changes; nothing is rewritten.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ``id`` last: SQLite keeps the row id in every index, PostgreSQL needs it named to
    # answer from the index alone.
    op.create_index(
        "ix_changes_replay", "changes", ["plan_id", "entity", "entity_key", "effective", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_changes_replay", table_name="changes")
