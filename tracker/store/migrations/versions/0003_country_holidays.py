"""country holidays stored with the plan

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 13:50:00

The public holidays the baseline was computed with, kept in the database: the schedule does
not shift under the team when the holidays package is updated, and read commands need not
import it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("country_holidays", sa.JSON(), nullable=False, server_default="{}")
        )


def downgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("country_holidays")
