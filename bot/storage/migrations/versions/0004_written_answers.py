"""written answers: kept with the open reveal, then with the attempt that grades it

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("exposures", "attempts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("written_answer", sa.Text(), nullable=True))
            batch_op.add_column(sa.Column("coverage", sa.String(12), nullable=True))


def downgrade() -> None:
    for table in ("attempts", "exposures"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("coverage")
            batch_op.drop_column("written_answer")
