"""The outbound port each adapter implements; the scheduler and use cases talk only to this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from bot.domain.replies import Reply
from bot.domain.subscriptions import ChannelAddress


@dataclass(frozen=True)
class PostedMessage:
    message_id: str
    thread_id: str | None = None


class RateLimited(Exception):
    """The platform asked us to wait `retry_after` seconds before trying again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:.1f}s")
        self.retry_after = retry_after


class PostingPort(Protocol):
    async def post(self, channel: ChannelAddress, reply: Reply) -> PostedMessage:
        """A new channel message; its thread (if the platform makes one) is for discussion."""
        ...

    async def post_in_thread(
        self, channel: ChannelAddress, thread_id: str, reply: Reply
    ) -> PostedMessage: ...

    async def notify(self, user_id: str, reply: Reply) -> None:
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
