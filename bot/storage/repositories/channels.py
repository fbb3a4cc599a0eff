"""Channels, one row per platform channel, so subscriptions, posts and grades can point at one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.context import WorkspaceRef
from bot.storage.repositories.upsert import chunked, insert_ignore_many
from bot.storage.repositories.workspaces import (
    MOVED_TO,
    moved_to,
    workspace_of,
    workspace_values,
)
from bot.storage.schema import channels

# (platform, channel id, name, workspace): a channel as a request shows it.
SeenChannel = tuple[str, str, str, WorkspaceRef | None]


class ChannelRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get_or_create(
        self,
        platform: str,
        platform_channel_id: str,
        name: str,
        now: datetime,
        workspace: WorkspaceRef | None = None,
    ) -> int:
        found = await self.get_or_create_many(
            [(platform, platform_channel_id, name, workspace)], now
        )
        return found[(platform, platform_channel_id)]

    async def get_or_create_many(
        self, places: Sequence[SeenChannel], now: datetime
    ) -> dict[tuple[str, str], int]:
        """Row ids of the channels, creating the ones not seen before. A workspace given is
        recorded (a channel created before workspaces were recorded gets it now); None leaves
        the stored one alone."""
        seen = {(platform, channel_id): (name, ws) for platform, channel_id, name, ws in places}
        found = await self._find_many(list(seen))
        missing = [key for key in seen if key not in found]
        if missing:
            await insert_ignore_many(
                self._c,
                channels,
                [
                    {
                        "platform": platform,
                        "platform_channel_id": channel_id,
                        "name": seen[(platform, channel_id)][0],
                        "created_at": now,
                        **workspace_values(seen[(platform, channel_id)][1]),
                    }
                    for platform, channel_id in missing
                ],
                ["platform", "platform_channel_id"],
            )
            found.update(await self._find_many(missing))
        moved = [
            {"row_id": found[key][0], **moved_to(workspace)}
            for key, (_name, workspace) in seen.items()
            if workspace is not None and found[key][1] != workspace
        ]
        if moved:
            await self._c.execute(
                update(channels).where(channels.c.id == bindparam("row_id")).values(**MOVED_TO),
                moved,
            )
        return {key: row_id for key, (row_id, _ws) in found.items()}

    async def _find_many(
        self, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[int, WorkspaceRef | None]]:
        found: dict[tuple[str, str], tuple[int, WorkspaceRef | None]] = {}
        for part in chunked(keys):
            rows = await self._c.execute(
                select(
                    channels.c.id,
                    channels.c.platform,
                    channels.c.platform_channel_id,
                    channels.c.workspace_id,
                    channels.c.enterprise_id,
                ).where(tuple_(channels.c.platform, channels.c.platform_channel_id).in_(part))
            )
            found.update(
                {(r.platform, r.platform_channel_id): (r.id, workspace_of(r)) for r in rows}
            )
        return found

    async def find(self, platform: str, platform_channel_id: str) -> int | None:
        result = await self._c.execute(
            select(channels.c.id).where(
                channels.c.platform == platform,
                channels.c.platform_channel_id == platform_channel_id,
            )
        )
        return result.scalar_one_or_none()
