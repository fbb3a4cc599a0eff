"""slack workspaces: channels and users record theirs; subscriptions and reminders pause with it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

Existing rows keep every value and get NULL in the new columns: which workspace they belong to
is not in the database. A single-workspace install fills it at its next start, from `auth.test`
(bot.usecases.workspaces.adopt_workspace). Only columns are added, which SQLite does in place
(no table rebuild); bot.storage.migrate turns foreign keys off around every upgrade anyway.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workspace_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("enterprise_id", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_channels_workspace", ["platform", "workspace_id"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workspace_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("enterprise_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("paused_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_users_workspace", ["platform", "workspace_id"], unique=False)
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("paused_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_workspace")
        batch_op.drop_column("paused_at")
        batch_op.drop_column("enterprise_id")
        batch_op.drop_column("workspace_id")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_index("ix_channels_workspace")
        batch_op.drop_column("enterprise_id")
        batch_op.drop_column("workspace_id")
