"""Workspaces as channel and user rows record them: adopting rows that have none, and pausing
or resuming everything a workspace's installation posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.context import WorkspaceRef
from bot.storage.schema import channels, subscriptions, users


def workspace_of(row: Any) -> WorkspaceRef | None:
    """The workspace a row with workspace_id and enterprise_id columns records, if any."""
    if row.workspace_id is None and row.enterprise_id is None:
        return None
    return WorkspaceRef(row.workspace_id, row.enterprise_id)


def workspace_values(workspace: WorkspaceRef | None) -> dict[str, str | None]:
    if workspace is None:
        return {"workspace_id": None, "enterprise_id": None}
    return {"workspace_id": workspace.workspace_id, "enterprise_id": workspace.enterprise_id}


# An executemany UPDATE that records each row's new workspace (see `moved_to`); bound names
# differ from the columns', which SQLAlchemy reserves for the row's own values.
MOVED_TO: dict[str, Any] = {
    "workspace_id": bindparam("new_workspace"),
    "enterprise_id": bindparam("new_enterprise"),
}


def moved_to(workspace: WorkspaceRef) -> dict[str, str | None]:
    return {"new_workspace": workspace.workspace_id, "new_enterprise": workspace.enterprise_id}


def in_workspace(table: Table, platform: str, workspace: WorkspaceRef) -> ColumnElement[bool]:
    """Rows of `table` that belong to `workspace`: by team id when it has one (unique across
    Slack), else every team of the Enterprise Grid organisation, else the rows that record
    no workspace at all."""
    if workspace.workspace_id is not None:
        where = table.c.workspace_id == workspace.workspace_id
    elif workspace.enterprise_id is not None:
        where = table.c.enterprise_id == workspace.enterprise_id
    else:
        where = and_(table.c.workspace_id.is_(None), table.c.enterprise_id.is_(None))
    return and_(table.c.platform == platform, where)


@dataclass(frozen=True)
class Changed:
    """Subscriptions (by id) and people whose paused state a pause or resume changed."""

    subscription_ids: list[int]
    people: int

    def __bool__(self) -> bool:
        return bool(self.subscription_ids or self.people)


class WorkspaceRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def adopt(self, platform: str, workspace: WorkspaceRef) -> tuple[int, int]:
        """Channels and people of `platform` that record no workspace get this one; how many
        of each."""
        counts: list[int] = []
        for table in (channels, users):
            result = await self._c.execute(
                update(table)
                .where(in_workspace(table, platform, WorkspaceRef(None)))
                .values(**workspace_values(workspace))
            )
            counts.append(int(result.rowcount))
        return counts[0], counts[1]

    async def pause(self, platform: str, workspace: WorkspaceRef, now: datetime) -> Changed:
        """Active subscriptions of the workspace's channels, and its people, paused at `now`
        (those already paused keep their time)."""
        result = await self._c.execute(
            update(subscriptions)
            .where(
                subscriptions.c.channel_id.in_(self._channels_of(platform, workspace)),
                subscriptions.c.active.is_(True),
                subscriptions.c.paused_at.is_(None),
            )
            .values(paused_at=now)
            .returning(subscriptions.c.id)
        )
        paused = sorted(result.scalars())
        people = await self._c.execute(
            update(users)
            .where(in_workspace(users, platform, workspace), users.c.paused_at.is_(None))
            .values(paused_at=now)
        )
        return Changed(paused, int(people.rowcount))

    async def resume(self, platform: str, workspace: WorkspaceRef | None) -> Changed:
        """What `pause` paused, posting again. None: every workspace of the platform."""
        result = await self._c.execute(
            update(subscriptions)
            .where(
                subscriptions.c.channel_id.in_(self._channels_of(platform, workspace)),
                subscriptions.c.paused_at.is_not(None),
            )
            .values(paused_at=None)
            .returning(subscriptions.c.id)
        )
        resumed = sorted(result.scalars())
        people = await self._c.execute(
            update(users)
            .where(_in(users, platform, workspace), users.c.paused_at.is_not(None))
            .values(paused_at=None)
        )
        return Changed(resumed, int(people.rowcount))

    @staticmethod
    def _channels_of(platform: str, workspace: WorkspaceRef | None) -> Any:
        return select(channels.c.id).where(_in(channels, platform, workspace))


def _in(table: Table, platform: str, workspace: WorkspaceRef | None) -> ColumnElement[bool]:
    """`in_workspace`, or the whole platform for None."""
    if workspace is None:
        return table.c.platform == platform
    return in_workspace(table, platform, workspace)
