"""People, one row per platform identity: names, zones, levels and daily reminders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.content import Level
from bot.domain.context import WorkspaceRef
from bot.domain.progress import ReminderCandidate, UserRecord
from bot.storage.repositories.upsert import chunked, insert_ignore_many
from bot.storage.repositories.workspaces import (
    MOVED_TO,
    moved_to,
    workspace_of,
    workspace_values,
)
from bot.storage.schema import attempts, subscriptions, users

# (platform, user id, display name, workspace): a person as a request shows them.
SeenPerson = tuple[str, str, str, WorkspaceRef | None]


class UserRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get_or_create(
        self,
        platform: str,
        platform_user_id: str,
        display_name: str,
        now: datetime,
        workspace: WorkspaceRef | None = None,
    ) -> UserRecord:
        """One row per platform identity; the display name follows the platform's latest."""
        found = await self.get_or_create_many(
            [(platform, platform_user_id, display_name, workspace)], now
        )
        return found[(platform, platform_user_id)]

    async def get_or_create_many(
        self, people: Sequence[SeenPerson], now: datetime
    ) -> dict[tuple[str, str], UserRecord]:
        """People in a few statements, whatever their number. The display name follows the
        platform's latest, and so does the workspace when one is given (None leaves it)."""
        names = {(platform, user_id): name for platform, user_id, name, _ws in people}
        workspaces = {(platform, user_id): ws for platform, user_id, _name, ws in people}
        found = await self.find_many(list(names))
        missing = [key for key in names if key not in found]
        if missing:
            await insert_ignore_many(
                self._c,
                users,
                [
                    {
                        "platform": platform,
                        "platform_user_id": user_id,
                        "display_name": names[(platform, user_id)],
                        "created_at": now,
                        **workspace_values(workspaces[(platform, user_id)]),
                    }
                    for platform, user_id in missing
                ],
                ["platform", "platform_user_id"],
            )
            found.update(await self.find_many(missing))
        renamed = [
            {"row_id": found[key].id, "new_name": name}
            for key, name in names.items()
            if found[key].display_name != name
        ]
        if renamed:
            await self._c.execute(
                update(users)
                .where(users.c.id == bindparam("row_id"))
                .values(display_name=bindparam("new_name")),
                renamed,
            )
        moved = [
            {"row_id": found[key].id, **moved_to(workspace)}
            for key, workspace in workspaces.items()
            if workspace is not None and found[key].workspace != workspace
        ]
        if moved:
            await self._c.execute(
                update(users).where(users.c.id == bindparam("row_id")).values(**MOVED_TO), moved
            )
        return {
            key: replace(
                found[key], display_name=name, workspace=workspaces[key] or found[key].workspace
            )
            for key, name in names.items()
        }

    async def lock(self, user_id: int) -> None:
        """Serialise one person's requests that must not interleave (starting a mock): a row
        lock on PostgreSQL; SQLite writers already hold the whole database."""
        await self._c.execute(select(users.c.id).where(users.c.id == user_id).with_for_update())

    async def find_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], UserRecord]:
        """The stored people among (platform, user id) pairs; nobody is created."""
        found: dict[tuple[str, str], UserRecord] = {}
        for part in chunked(keys):
            rows = await self._c.execute(
                select(
                    users.c.id,
                    users.c.platform,
                    users.c.platform_user_id,
                    users.c.display_name,
                    users.c.timezone,
                    users.c.level,
                    users.c.workspace_id,
                    users.c.enterprise_id,
                ).where(tuple_(users.c.platform, users.c.platform_user_id).in_(part))
            )
            for row in rows:
                found[(row.platform, row.platform_user_id)] = UserRecord(
                    id=row.id,
                    display_name=row.display_name,
                    timezone=row.timezone,
                    level=Level(row.level) if row.level else None,
                    workspace=workspace_of(row),
                )
        return found

    async def set_timezone(self, user_id: int, timezone: str | None) -> None:
        await self._c.execute(update(users).where(users.c.id == user_id).values(timezone=timezone))

    async def reminder_candidates(self) -> list[ReminderCandidate]:
        """People who asked for reminders (and whose workspace is not paused), with the zone
        of the channel they last graded in."""
        channel_zone = (
            select(subscriptions.c.timezone)
            .select_from(
                attempts.join(
                    subscriptions,
                    (subscriptions.c.channel_id == attempts.c.channel_id)
                    & (subscriptions.c.pack_id == attempts.c.pack_id),
                )
            )
            .where(attempts.c.user_id == users.c.id)
            .order_by(attempts.c.graded_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        rows = await self._c.execute(
            select(
                users.c.id,
                users.c.platform,
                users.c.platform_user_id,
                users.c.timezone,
                users.c.reminded_on,
                users.c.workspace_id,
                users.c.enterprise_id,
                channel_zone.label("channel_timezone"),
            ).where(users.c.remind.is_(True), users.c.paused_at.is_(None))
        )
        return [
            ReminderCandidate(
                r.id,
                r.platform,
                r.platform_user_id,
                r.timezone or r.channel_timezone or "UTC",
                r.reminded_on,
                workspace_of(r),
            )
            for r in rows
        ]

    async def claim_reminder(self, user_id: int, today: date) -> bool:
        """True for the one caller that sends today's reminder to this person."""
        result = await self._c.execute(
            update(users)
            .where(
                users.c.id == user_id,
                (users.c.reminded_on.is_(None)) | (users.c.reminded_on != today),
            )
            .values(reminded_on=today)
        )
        return bool(result.rowcount)

    async def release_reminder(self, user_id: int, previous: date | None) -> None:
        await self._c.execute(
            update(users).where(users.c.id == user_id).values(reminded_on=previous)
        )

    async def reminds(self, user_id: int) -> bool:
        result = await self._c.execute(select(users.c.remind).where(users.c.id == user_id))
        return bool(result.scalar_one_or_none())

    async def set_remind(self, user_id: int, on: bool) -> None:
        await self._c.execute(update(users).where(users.c.id == user_id).values(remind=on))

    async def set_level(self, user_id: int, level: Level | None) -> None:
        await self._c.execute(
            update(users).where(users.c.id == user_id).values(level=level.value if level else None)
        )
