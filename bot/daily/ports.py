"""The outbound port each adapter implements; the scheduler and use cases talk only to this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from bot.domain.context import WorkspaceRef
from bot.domain.replies import Reply
from bot.domain.subscriptions import ChannelAddress, PersonAddress


@dataclass(frozen=True)
class PostedMessage:
    message_id: str
    thread_id: str | None = None


@dataclass(frozen=True)
class PostKey:
    """Names one daily post on the platform, so that a retry can find it instead of repeating it.

    `since` is when the post was first claimed: the message, if it exists, is not older.
    """

    post_id: int
    local_date: date
    since: datetime

    @property
    def token(self) -> str:
        """Short and unique per post (Discord's nonce allows 25 characters)."""
        return f"qb{self.post_id}d{self.local_date:%y%m%d}"


class RateLimited(Exception):
    """The platform asked us to wait `retry_after` seconds before trying again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:.1f}s")
        self.retry_after = retry_after


class DeliveryUnknown(Exception):
    """The request may have reached the platform (the connection broke after it was written):
    whether the message exists must be looked up before it is sent again."""


class WorkspaceUnavailable(Exception):
    """The channel's or person's workspace has no working installation of the app: no token
    (never installed, uninstalled) or one the platform refused as revoked or invalid. Nothing
    was sent. Trying again is pointless until the app is installed there again, so the
    workspace is paused (bot.usecases.workspaces) instead of retried."""

    def __init__(self, workspace: WorkspaceRef | None, reason: str) -> None:
        super().__init__(f"workspace {workspace} has no working installation: {reason}")
        self.workspace = workspace
        self.reason = reason


class PostingPort(Protocol):
    async def post(self, channel: ChannelAddress, reply: Reply, key: PostKey) -> PostedMessage:
        """A new channel message carrying `key`; its thread (if the platform makes one) is
        for discussion. Raises DeliveryUnknown when the message may exist after all.

        Every method raises WorkspaceUnavailable when the channel's (or person's) workspace
        has no working installation."""
        ...

    async def find_post(
        self, channel: ChannelAddress, reply: Reply, key: PostKey
    ) -> PostedMessage | None:
        """The message an earlier `post` with this key created, if it exists (completing
        what that post left undone, such as its thread); None if it was never created."""
        ...

    async def post_in_thread(
        self, channel: ChannelAddress, thread_id: str, reply: Reply
    ) -> PostedMessage: ...

    async def notify(self, person: PersonAddress, reply: Reply) -> None:
        """A private message to one person (a direct message where the platform has them)."""
        ...


@dataclass
class ScheduleSignal:
    """Tells whoever runs the timers that a subscription changed (or was removed)."""

    listeners: list[Callable[[int], None]] = field(default_factory=list)

    def connect(self, listener: Callable[[int], None]) -> None:
        self.listeners.append(listener)

    def notify(self, subscription_id: int) -> None:
        for listener in self.listeners:
            listener(subscription_id)
