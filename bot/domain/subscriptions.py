"""A channel's subscription to a pack, and the daily posts it produced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.domain.content import Level
from bot.domain.schedule import DailySchedule


@dataclass(frozen=True)
class ChannelAddress:
    """Where an outbound post goes, in the platform's own terms."""

    platform: str
    channel_id: str
    name: str


@dataclass(frozen=True)
class Subscription:
    id: int
    channel_row_id: int
    channel: ChannelAddress
    pack_id: str
    schedule: DailySchedule
    level: Level | None
    reveal_time: time | None
    active: bool
    team_threshold: int = 2


@dataclass(frozen=True)
class SubscriptionSettings:
    schedule: DailySchedule
    level: Level | None
    reveal_time: time | None
    team_threshold: int = 2


@dataclass(frozen=True)
class Post:
    id: int
    channel_row_id: int
    pack_id: str
    local_date: date
    question_id: str
    state: str
    message_id: str | None
    thread_id: str | None
    revealed_at: datetime | None


CLAIMED = "claimed"
POSTED = "posted"
