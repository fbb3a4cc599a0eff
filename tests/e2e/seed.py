"""Subscribed channels written straight into a database, as earlier runs would leave them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.composition import build_runtime
from bot.config import Settings
from bot.domain.context import WorkspaceRef
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import SubscriptionSettings
from tests.conftest import MINI_CONTENT

NINE_UTC = time(9, 0)


def due_near_noon(now: datetime) -> tuple[time, str]:
    """A posting time and a fixed-offset zone whose local time is near noon at `now`, with
    the post due a minute ago: a test that runs on, or jumps minutes ahead, never crosses the
    channel's midnight, whatever time of day the suite runs."""
    hours = (12 - now.hour + 12) % 24 - 12  # -12 .. 11
    zone = "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"  # Etc/GMT-3 is UTC+3
    local = (now - timedelta(minutes=1)).astimezone(ZoneInfo(zone))
    return time(local.hour, local.minute), zone


async def subscribe_channels(
    database_url: str,
    platform: str,
    channel_ids: list[str],
    now: datetime,
    post_time: time = NINE_UTC,
    timezone: str = "UTC",
    workspace: WorkspaceRef | None = None,
) -> None:
    """Each channel takes the mini pack at `post_time` in `timezone` every day (channels of
    `workspace`, if given; else as a release from before workspaces left them)."""
    settings = Settings(_env_file=None, database_url=database_url, content_dir=MINI_CONTENT)
    runtime = await build_runtime(settings)
    subscription = SubscriptionSettings(DailySchedule(post_time, timezone), None, None)
    try:
        async with runtime.quizbot.deps.uow(write=True) as uow:
            for channel_id in channel_ids:
                row = await uow.channels.get_or_create(
                    platform, channel_id, channel_id, now, workspace
                )
                await uow.subscriptions.save(row, "mini", subscription, now)
            await uow.commit()
    finally:
        await runtime.aclose()
