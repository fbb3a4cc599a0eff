"""Channel subscriptions to a pack: the daily schedule, level, reveal time and team goal."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.content import Level
from bot.domain.schedule import DailySchedule, decode_weekdays, encode_weekdays
from bot.domain.subscriptions import ChannelAddress, Subscription, SubscriptionSettings
from bot.storage.repositories.upsert import chunked, upsert
from bot.storage.repositories.workspaces import workspace_of
from bot.storage.schema import channels, subscriptions


def _hhmm(value: time | None) -> str | None:
    return f"{value:%H:%M}" if value else None


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


@lru_cache(maxsize=4096)
def _schedule(post_time: str, timezone: str, weekdays: str, grace_minutes: int) -> DailySchedule:
    """Cached: the daily sweep reads every subscription, and schedules repeat a great deal."""
    return DailySchedule(
        post_time=time.fromisoformat(post_time),
        timezone=timezone,
        weekdays=decode_weekdays(weekdays),
        grace=timedelta(minutes=grace_minutes),
    )


def _subscription(row: Any) -> Subscription:
    return Subscription(
        id=row.id,
        channel_row_id=row.channel_id,
        channel=ChannelAddress(row.platform, row.platform_channel_id, row.name, workspace_of(row)),
        pack_id=row.pack_id,
        schedule=_schedule(row.post_time, row.timezone, row.weekdays, row.grace_minutes),
        level=Level(row.level) if row.level else None,
        reveal_time=_time(row.reveal_time),
        active=row.active,
        team_threshold=row.team_threshold,
        paused=row.paused_at is not None,
    )


_SUBSCRIPTION_COLUMNS = (
    subscriptions.c.id,
    subscriptions.c.channel_id,
    subscriptions.c.pack_id,
    subscriptions.c.post_time,
    subscriptions.c.timezone,
    subscriptions.c.weekdays,
    subscriptions.c.grace_minutes,
    subscriptions.c.level,
    subscriptions.c.reveal_time,
    subscriptions.c.active,
    subscriptions.c.team_threshold,
    subscriptions.c.paused_at,
    channels.c.platform,
    channels.c.platform_channel_id,
    channels.c.name,
    channels.c.workspace_id,
    channels.c.enterprise_id,
)


class SubscriptionRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    def _select(self) -> Any:
        return select(*_SUBSCRIPTION_COLUMNS).select_from(
            subscriptions.join(channels, channels.c.id == subscriptions.c.channel_id)
        )

    async def save(
        self, channel_row_id: int, pack_id: str, settings: SubscriptionSettings, now: datetime
    ) -> int:
        """Subscribed anew posts again, even if its workspace had been paused: someone just
        used the app there, so it is installed."""
        values = {
            "active": True,
            "paused_at": None,
            "post_time": _hhmm(settings.schedule.post_time),
            "timezone": settings.schedule.timezone,
            "weekdays": encode_weekdays(settings.schedule.weekdays),
            "grace_minutes": int(settings.schedule.grace.total_seconds() // 60),
            "level": settings.level.value if settings.level else None,
            "reveal_time": _hhmm(settings.reveal_time),
            "team_threshold": settings.team_threshold,
            "updated_at": now,
        }
        await upsert(
            self._c,
            subscriptions,
            {"channel_id": channel_row_id, "pack_id": pack_id, "created_at": now, **values},
            ["channel_id", "pack_id"],
            values,
        )
        found = await self.for_channel(channel_row_id, pack_id)
        assert found is not None
        return found.id

    async def deactivate(self, channel_row_id: int, pack_id: str, now: datetime) -> int | None:
        """The subscription's id if one was active."""
        found = await self.for_channel(channel_row_id, pack_id)
        if found is None or not found.active:
            return None
        await self._c.execute(
            update(subscriptions)
            .where(subscriptions.c.id == found.id)
            .values(active=False, updated_at=now)
        )
        return found.id

    async def timezones(self, pairs: Collection[tuple[int, str]]) -> dict[tuple[int, str], str]:
        """The schedule's timezone of each (channel row id, pack id) that has a subscription."""
        found: dict[tuple[int, str], str] = {}
        for part in chunked(list(set(pairs))):
            rows = await self._c.execute(
                select(
                    subscriptions.c.channel_id, subscriptions.c.pack_id, subscriptions.c.timezone
                ).where(tuple_(subscriptions.c.channel_id, subscriptions.c.pack_id).in_(part))
            )
            found.update({(r.channel_id, r.pack_id): r.timezone for r in rows})
        return found

    async def for_channel(self, channel_row_id: int, pack_id: str) -> Subscription | None:
        row = (
            await self._c.execute(
                self._select().where(
                    subscriptions.c.channel_id == channel_row_id,
                    subscriptions.c.pack_id == pack_id,
                )
            )
        ).one_or_none()
        return _subscription(row) if row else None

    async def by_id(self, subscription_id: int) -> Subscription | None:
        row = (
            await self._c.execute(self._select().where(subscriptions.c.id == subscription_id))
        ).one_or_none()
        return _subscription(row) if row else None

    async def active(self) -> list[Subscription]:
        """The subscriptions that post: subscribed, in a workspace that is not paused."""
        rows = await self._c.execute(
            self._select()
            .where(subscriptions.c.active.is_(True), subscriptions.c.paused_at.is_(None))
            .order_by(subscriptions.c.id)
        )
        return [_subscription(r) for r in rows]
