"""local dates on attempts, reminders

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("local_date", sa.Date(), nullable=True))
    op.execute("UPDATE attempts SET local_date = DATE(graded_at) WHERE local_date IS NULL")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.alter_column("local_date", existing_type=sa.Date(), nullable=False)
        batch_op.create_index("ix_attempts_user_day", ["user_id", "local_date"], unique=False)
        batch_op.create_index("ix_attempts_channel_day", ["channel_id", "local_date"], unique=False)
        batch_op.create_index("ix_attempts_post", ["post_id"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("remind", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("reminded_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("reminded_on")
        batch_op.drop_column("remind")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_post")
        batch_op.drop_index("ix_attempts_channel_day")
        batch_op.drop_index("ix_attempts_user_day")
        batch_op.drop_column("local_date")
