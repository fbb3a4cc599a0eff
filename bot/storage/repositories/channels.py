"""Channels, one row per platform channel, so subscriptions, posts and grades can point at one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.repositories.upsert import chunked, insert_ignore_many
from bot.storage.schema import channels


class ChannelRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get_or_create(
        self, platform: str, platform_channel_id: str, name: str, now: datetime
    ) -> int:
        found = await self.get_or_create_many([(platform, platform_channel_id, name)], now)
        return found[(platform, platform_channel_id)]

    async def get_or_create_many(
        self, places: Sequence[tuple[str, str, str]], now: datetime
    ) -> dict[tuple[str, str], int]:
        """Row ids of (platform, channel id, name) triples, creating the ones not seen before."""
        names = {(platform, channel_id): name for platform, channel_id, name in places}
        found = await self._find_many(list(names))
        missing = [key for key in names if key not in found]
        if missing:
            await insert_ignore_many(
                self._c,
                channels,
                [
                    {
                        "platform": platform,
                        "platform_channel_id": channel_id,
                        "name": names[(platform, channel_id)],
                        "created_at": now,
                    }
                    for platform, channel_id in missing
                ],
                ["platform", "platform_channel_id"],
            )
            found.update(await self._find_many(missing))
        return found

    async def _find_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for part in chunked(keys):
            rows = await self._c.execute(
                select(channels.c.id, channels.c.platform, channels.c.platform_channel_id).where(
                    tuple_(channels.c.platform, channels.c.platform_channel_id).in_(part)
                )
            )
            found.update({(r.platform, r.platform_channel_id): r.id for r in rows})
        return found

    async def find(self, platform: str, platform_channel_id: str) -> int | None:
        result = await self._c.execute(
            select(channels.c.id).where(
                channels.c.platform == platform,
                channels.c.platform_channel_id == platform_channel_id,
            )
        )
        return result.scalar_one_or_none()
