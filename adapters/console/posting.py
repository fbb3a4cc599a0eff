"""The console's posting port: daily posts and public answers appear in the terminal."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bot.daily.ports import PostedMessage, PostKey
from bot.domain.replies import Reply
from bot.domain.subscriptions import ChannelAddress, PersonAddress

Sink = Callable[[str, Reply], None]


class ConsolePostingPort:
    """Hands each post to a sink: the interactive session (so its buttons work) or stdout.

    Headers say where a post appears, never the message ids, which only the core needs."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self._ids = itertools.count(1)

    def attach(self, sink: Sink) -> None:
        self._sink = sink

    async def post(self, channel: ChannelAddress, reply: Reply, key: PostKey) -> PostedMessage:
        message_id = f"console-{next(self._ids)}"
        self._sink(f"#{channel.name} · daily question", reply)
        return PostedMessage(message_id=message_id, thread_id=message_id)

    async def find_post(
        self, channel: ChannelAddress, reply: Reply, key: PostKey
    ) -> PostedMessage | None:
        """Printed lines cannot be looked up, and printing cannot half-fail: a post whose
        process died mid-send is printed again."""
        return None

    async def post_in_thread(
        self, channel: ChannelAddress, thread_id: str, reply: Reply
    ) -> PostedMessage:
        message_id = f"console-{next(self._ids)}"
        self._sink(f"#{channel.name} · in the daily question's thread", reply)
        return PostedMessage(message_id=message_id, thread_id=thread_id)

    async def notify(self, person: PersonAddress, reply: Reply) -> None:
        self._sink(f"@{person.user_id} · private message", reply)
