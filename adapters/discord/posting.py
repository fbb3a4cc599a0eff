"""The Discord posting port: a channel message with a discussion thread; answers in the thread.

discord.py waits out 429s itself (it reads Retry-After); other HTTP errors fail the post,
which the poster logs with its channel and retries later.
"""

from __future__ import annotations

from typing import Any

import discord

from adapters.discord.render import render
from bot.daily.ports import PostedMessage
from bot.domain.replies import Reply
from bot.domain.subscriptions import ChannelAddress

THREAD_NAME_LIMIT = 100


class DiscordPostingPort:
    """Created before the client (the core's poster needs it); `attach` binds the client."""

    def __init__(self, client: discord.Client | None = None) -> None:
        self._client = client

    def attach(self, client: discord.Client) -> None:
        self._client = client

    async def post(self, channel: ChannelAddress, reply: Reply) -> PostedMessage:
        target = await self._messageable(channel.channel_id)
        first, *rest = render(reply)
        message = await target.send(embeds=first.embeds, view=first.view or discord.utils.MISSING)
        name = (reply.title or "Discussion")[:THREAD_NAME_LIMIT]
        thread = await message.create_thread(name=name)
        for more in rest:
            await thread.send(embeds=more.embeds, view=more.view or discord.utils.MISSING)
        return PostedMessage(message_id=str(message.id), thread_id=str(thread.id))

    async def post_in_thread(
        self, channel: ChannelAddress, thread_id: str, reply: Reply
    ) -> PostedMessage:
        thread = await self._messageable(thread_id)
        first_id = ""
        for message in render(reply):
            sent = await thread.send(
                embeds=message.embeds, view=message.view or discord.utils.MISSING
            )
            first_id = first_id or str(sent.id)
        return PostedMessage(message_id=first_id, thread_id=thread_id)

    async def notify(self, user_id: str, reply: Reply) -> None:
        """A direct message; fails (and is retried later) if the person blocks DMs."""
        if self._client is None:
            raise RuntimeError("the Discord client is not connected")
        person = self._client.get_user(int(user_id)) or await self._client.fetch_user(int(user_id))
        for message in render(reply):
            await person.send(embeds=message.embeds, view=message.view or discord.utils.MISSING)

    async def _messageable(self, channel_id: str) -> Any:
        if self._client is None:
            raise RuntimeError("the Discord client is not connected")
        found = self._client.get_channel(int(channel_id))
        if found is None:
            found = await self._client.fetch_channel(int(channel_id))
        if not isinstance(found, discord.abc.Messageable):
            raise TypeError(f"Discord channel {channel_id} cannot receive messages")
        return found
