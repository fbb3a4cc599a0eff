"""mock interviews

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mock_interviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_mock_interviews_user_state",
        "mock_interviews",
        ["user_id", "pack_id", "state"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_mock_interviews_user_state", table_name="mock_interviews")
    op.drop_table("mock_interviews")
