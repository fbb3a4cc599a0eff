"""Tables, in SQLAlchemy Core. Migrations under migrations/ must produce exactly this schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC on every database, handed back timezone-aware."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(20), nullable=False),
    Column("platform_user_id", String(64), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("timezone", String(64)),
    Column("level", String(10)),
    Column("remind", Boolean, nullable=False, server_default=sa_false()),
    Column("reminded_on", Date),
    Column("created_at", UTCDateTime(), nullable=False),
    # The Slack workspace (team id, and Enterprise Grid org id) the person was last seen in;
    # NULL on platforms without workspaces. See bot.usecases.workspaces.
    Column("workspace_id", String(32)),
    Column("enterprise_id", String(32)),
    # When their workspace's installation went away: no reminders until it is back.
    Column("paused_at", UTCDateTime()),
    UniqueConstraint("platform", "platform_user_id"),
    Index("ix_users_workspace", "platform", "workspace_id"),
)

channels = Table(
    "channels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(20), nullable=False),
    Column("platform_channel_id", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # The Slack workspace the channel belongs to (whose token posts there); NULL elsewhere.
    Column("workspace_id", String(32)),
    Column("enterprise_id", String(32)),
    UniqueConstraint("platform", "platform_channel_id"),
    Index("ix_channels_workspace", "platform", "workspace_id"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("pack_id", String(64), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("post_time", String(5), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("weekdays", String(27), nullable=False),
    Column("level", String(10)),
    Column("reveal_time", String(5)),
    Column("team_threshold", Integer, nullable=False, default=2),
    Column("grace_minutes", Integer, nullable=False, server_default="180"),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # When the channel's workspace lost its installation: nothing is posted until it is
    # installed again (unlike `active`, not the channel's choice).
    Column("paused_at", UTCDateTime()),
    UniqueConstraint("channel_id", "pack_id"),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel_id", ForeignKey("channels.id", ondelete="CASCADE"), nullable=False),
    Column("pack_id", String(64), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("state", String(10), nullable=False),
    Column("lease_until", UTCDateTime()),
    Column("tries", Integer, nullable=False, default=0),
    Column("platform_message_id", String(64)),
    Column("platform_thread_id", String(64)),
    Column("claimed_at", UTCDateTime(), nullable=False),
    Column("posted_at", UTCDateTime()),
    Column("revealed_at", UTCDateTime()),
    UniqueConstraint("channel_id", "pack_id", "local_date"),
)

exposures = Table(
    "exposures",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("pack_id", String(64), primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("asked_at", UTCDateTime()),
    Column("revealed_at", UTCDateTime()),
    Column("graded_at", UTCDateTime()),
    # What the person wrote before seeing this reveal, and which key points it covered
    # ("1" or "0" per point, in order); cleared by a plain reveal.
    Column("written_answer", Text),
    Column("coverage", String(12)),
)

attempts = Table(
    "attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("pack_id", String(64), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("grade", String(10), nullable=False),
    Column("graded_at", UTCDateTime(), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("channel_id", ForeignKey("channels.id", ondelete="SET NULL")),
    Column("post_id", ForeignKey("posts.id", ondelete="SET NULL")),
    Column("written_answer", Text),
    Column("coverage", String(12)),
    Index("ix_attempts_user_graded", "user_id", "graded_at"),
    Index("ix_attempts_channel_graded", "channel_id", "graded_at"),
    Index("ix_attempts_user_day", "user_id", "local_date"),
    Index("ix_attempts_channel_day", "channel_id", "local_date"),
    Index("ix_attempts_post", "post_id"),
)

review_states = Table(
    "review_states",
    metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("pack_id", String(64), primary_key=True),
    Column("question_id", String(64), primary_key=True),
    Column("card_json", Text, nullable=False),
    Column("due", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_review_states_due", "user_id", "pack_id", "due"),
)

mock_interviews = Table(
    "mock_interviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("pack_id", String(64), nullable=False),
    Column("level", String(10)),
    Column("state", String(10), nullable=False),
    # One JSON object per question: id, when shown and answered, coverage, grade or skip.
    Column("items", Text, nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("last_activity_at", UTCDateTime(), nullable=False),
    Index("ix_mock_interviews_user_state", "user_id", "pack_id", "state"),
)


# Slack's OAuth tables, in the shape slack_sdk's SQLAlchemy installation and OAuth state stores
# read and write (tests/adapters/slack checks the match column by column). They are ours to
# create, by migration like every other table; the stores only use them.
slack_installations = Table(
    "slack_installations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

slack_bots = Table(
    "slack_bots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, nullable=False),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
