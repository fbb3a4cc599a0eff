"""The Discord posting port: a channel message with a discussion thread; answers in the thread.

It needs only REST: `quizbot post-due` logs a plain client in without opening a gateway session
(`open_rest_port`), and `quizbot run` hands it the connected client. discord.py waits out 429s
itself (it reads Retry-After) and retries a dropped connection; every daily post carries a
nonce with `enforce_nonce`, so Discord creates it once however often the request arrives within
a few minutes. Past that window a post whose fate is unknown is looked up in the channel.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import aiohttp
import discord

from adapters.discord.render import DiscordMessage, render
from adapters.discord.startup import log_in
from bot.daily.ports import DeliveryUnknown, PostedMessage, PostKey
from bot.domain.replies import Reply
from bot.domain.subscriptions import ChannelAddress, PersonAddress

THREAD_NAME_LIMIT = 100
THREAD_ALREADY_CREATED = 160004
HISTORY_LIMIT = 500
CLOCK_SKEW = timedelta(minutes=5)


class DiscordPostingPort:
    """Created before the client (the core's poster needs it); `attach` binds the client."""

    def __init__(self, client: discord.Client | None = None) -> None:
        self._client = client

    def attach(self, client: discord.Client) -> None:
        self._client = client

    async def post(self, channel: ChannelAddress, reply: Reply, key: PostKey) -> PostedMessage:
        target = await self._messageable(channel.channel_id)
        first, *rest = render(reply)
        try:
            message = await target.send(
                embeds=first.embeds, view=first.view or discord.utils.MISSING, nonce=key.token
            )
        except Exception as exc:
            raise _translate(exc) from exc
        try:
            thread = await self._thread_of(message, reply)
            for more in rest:
                await thread.send(embeds=more.embeds, view=more.view or discord.utils.MISSING)
        except Exception as exc:
            # The message exists: finishing it is the lookup's job, never a second message.
            raise DeliveryUnknown(f"posted, but its thread failed: {exc}") from exc
        return PostedMessage(message_id=str(message.id), thread_id=str(thread.id))

    async def find_post(
        self, channel: ChannelAddress, reply: Reply, key: PostKey
    ) -> PostedMessage | None:
        """Our own message since the post was claimed that shows this post's question (its
        title and buttons); its thread is created if the earlier attempt did not get that far."""
        client = self._connected()
        assert client.user is not None
        target = await self._messageable(channel.channel_id)
        expected = render(reply)[0]
        async for message in target.history(
            after=key.since - CLOCK_SKEW, limit=HISTORY_LIMIT, oldest_first=True
        ):
            if message.author.id == client.user.id and _same_post(message, expected):
                thread = await self._thread_of(message, reply)
                return PostedMessage(message_id=str(message.id), thread_id=str(thread.id))
        return None

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

    async def notify(self, person: PersonAddress, reply: Reply) -> None:
        """A direct message; fails (and is retried later) if the person blocks DMs."""
        client = self._connected()
        user_id = int(person.user_id)
        user = client.get_user(user_id) or await client.fetch_user(user_id)
        for message in render(reply):
            await user.send(embeds=message.embeds, view=message.view or discord.utils.MISSING)

    async def _thread_of(self, message: discord.Message, reply: Reply) -> Any:
        """The discussion thread started from `message`, created unless it already exists (a
        thread started from a message has the message's id)."""
        name = (reply.title or "Discussion")[:THREAD_NAME_LIMIT]
        try:
            return await message.create_thread(name=name)
        except discord.HTTPException as exc:
            if exc.code != THREAD_ALREADY_CREATED:
                raise
        return discord.Object(id=message.id)

    async def _messageable(self, channel_id: str) -> Any:
        client = self._connected()
        found = client.get_channel(int(channel_id))
        if found is None:
            found = await client.fetch_channel(int(channel_id))
        if not isinstance(found, discord.abc.Messageable):
            raise TypeError(f"Discord channel {channel_id} cannot receive messages")
        return found

    def _connected(self) -> discord.Client:
        if self._client is None:
            raise RuntimeError("the Discord client is not connected")
        return self._client


def _same_post(message: discord.Message, expected: DiscordMessage) -> bool:
    if not message.embeds or not expected.embeds:
        return False
    if message.embeds[0].title != expected.embeds[0].title:
        return False
    items = expected.view.children if expected.view else []
    wanted = {getattr(item, "custom_id", None) for item in items}
    return set(_custom_ids(message.components)) == wanted


def _custom_ids(components: list[Any]) -> Iterator[str | None]:
    for component in components:
        children = getattr(component, "children", None)
        if children is not None:
            yield from _custom_ids(children)
        else:
            yield getattr(component, "custom_id", None)


def _translate(exc: Exception) -> Exception:
    """Refused (4xx) means nothing was created; a server error or a broken connection, after
    discord.py's own retries, leaves it unknown."""
    if isinstance(exc, discord.DiscordServerError):
        return DeliveryUnknown(str(exc))
    if isinstance(exc, aiohttp.ClientConnectorError):
        return exc
    if isinstance(exc, aiohttp.ClientError | asyncio.TimeoutError | OSError):
        return DeliveryUnknown(f"{type(exc).__name__}: {exc}")
    return exc


async def open_rest_port(
    token: str, *, attempts: int | None = None
) -> tuple[DiscordPostingPort, discord.Client]:
    """A port over REST alone, for `quizbot post-due`: logs in (which checks the token) without
    a gateway session. Close the returned client when done."""
    # No gateway session, so intents do not matter; guilds keeps discord.py from warning.
    client = discord.Client(intents=discord.Intents(guilds=True))
    try:
        await log_in(client, token, attempts=attempts)
    except BaseException:
        await client.close()
        raise
    return DiscordPostingPort(client), client
