"""Subscribed channels written straight into a database, as earlier runs would leave them."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.composition import build_runtime
from bot.config import Settings
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import SubscriptionSettings
from tests.conftest import MINI_CONTENT

NINE_UTC = time(9, 0)


def a_minute_before(now: datetime) -> time:
    """A UTC posting time that makes a post due at `now` (midnight-safe)."""
    earlier = now - timedelta(minutes=1)
    return time(earlier.hour, earlier.minute) if earlier.date() == now.date() else time(0)


async def subscribe_channels(
    database_url: str,
    platform: str,
    channel_ids: list[str],
    now: datetime,
    post_time: time = NINE_UTC,
) -> None:
    """Each channel takes the mini pack at `post_time` UTC every day."""
    settings = Settings(_env_file=None, database_url=database_url, content_dir=MINI_CONTENT)
    runtime = await build_runtime(settings)
    subscription = SubscriptionSettings(DailySchedule(post_time, "UTC"), None, None)
    try:
        async with runtime.quizbot.deps.uow(write=True) as uow:
            for channel_id in channel_ids:
                row = await uow.channels.get_or_create(platform, channel_id, channel_id, now)
                await uow.subscriptions.save(row, "mini", subscription, now)
            await uow.commit()
    finally:
        await runtime.aclose()
