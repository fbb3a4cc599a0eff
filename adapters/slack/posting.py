"""The Slack posting port: daily posts as channel messages, discussion and answers in the thread.

Each call goes out with the token of the channel's (or the person's) workspace, paced per
token: Slack counts its rate limits per app and workspace, that is per installation, so one
workspace's pace never slows another's (and SLACK_BOT_TOKEN alone keeps one pace, whichever
teams its channels record). A workspace with no working token is `WorkspaceUnavailable`.

A daily post carries our post key in its message metadata. When a send breaks after the
request was written (the connection dropped, the call timed out), whether Slack kept the message
is unknown: it is never simply sent again, but looked up in the channel's history by that key.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import SlackMessage, render
from adapters.slack.clients import WorkspaceClients, refused_token
from bot.daily.pacing import Pacer
from bot.daily.ports import DeliveryUnknown, PostedMessage, PostKey, RateLimited
from bot.domain.replies import Reply
from bot.domain.subscriptions import ChannelAddress, PersonAddress

POST_EVENT = "quizbot_daily_post"
HISTORY_PAGE = 200
HISTORY_PAGES = 10
# A message's ts comes from Slack's clock, the key's time from ours: allow for skew.
CLOCK_SKEW = timedelta(minutes=5)

log = logging.getLogger(__name__)


class SlackPostingPort:
    """slack_sdk's retry handlers already wait out 429s; a 429 that survives them is handed to
    the poster as RateLimited so it can wait once more, and any other error fails the post.

    `pacer`: makes the pacer of one installation's token (None: no pacing)."""

    def __init__(self, clients: WorkspaceClients, pacer: Callable[[], Pacer] | None = None) -> None:
        self._clients = clients
        self._make_pacer = pacer
        self._pacers: dict[str, Pacer] = {}

    async def post(self, channel: ChannelAddress, reply: Reply, key: PostKey) -> PostedMessage:
        async def work(client: AsyncWebClient) -> PostedMessage:
            first = await self._send(client, channel.channel_id, reply, thread_ts=None, key=key)
            return PostedMessage(message_id=first, thread_id=first)

        return await self._clients.call(channel.workspace, work)

    async def find_post(
        self, channel: ChannelAddress, reply: Reply, key: PostKey
    ) -> PostedMessage | None:
        """Pages of the channel's history since the post was first claimed, looking for our key
        in the messages' metadata. A channel the bot posted in without joining (chat:write.public)
        must be joined before its history can be read."""
        oldest = f"{(key.since - CLOCK_SKEW).timestamp():.6f}"

        async def work(client: AsyncWebClient) -> PostedMessage | None:
            try:
                return await self._search_history(client, channel.channel_id, oldest, key)
            except SlackApiError as exc:
                if exc.response.get("error") != "not_in_channel":
                    raise
            await client.conversations_join(channel=channel.channel_id)
            return await self._search_history(client, channel.channel_id, oldest, key)

        return await self._clients.call(channel.workspace, work)

    async def _search_history(
        self, client: AsyncWebClient, channel_id: str, oldest: str, key: PostKey
    ) -> PostedMessage | None:
        cursor: str | None = None
        for _page in range(HISTORY_PAGES):
            await self._paced(client)
            response = await client.conversations_history(
                channel=channel_id,
                oldest=oldest,
                include_all_metadata=True,
                limit=HISTORY_PAGE,
                cursor=cursor,
            )
            for message in response.get("messages") or []:
                if _carries(message, key):
                    ts = str(message["ts"])
                    return PostedMessage(message_id=ts, thread_id=ts)
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                return None
        raise RuntimeError(f"post {key.post_id} not within {HISTORY_PAGES} pages of history")

    async def post_in_thread(
        self, channel: ChannelAddress, thread_id: str, reply: Reply
    ) -> PostedMessage:
        async def work(client: AsyncWebClient) -> PostedMessage:
            first = await self._send(client, channel.channel_id, reply, thread_ts=thread_id)
            return PostedMessage(message_id=first, thread_id=thread_id)

        return await self._clients.call(channel.workspace, work)

    async def notify(self, person: PersonAddress, reply: Reply) -> None:
        async def work(client: AsyncWebClient) -> None:
            await self._paced(client)
            conversation = await client.conversations_open(users=person.user_id)
            await self._send(client, conversation["channel"]["id"], reply, thread_ts=None)

        await self._clients.call(person.workspace, work)

    async def _paced(self, client: AsyncWebClient) -> None:
        """Calls with one token wait their turn: Slack's limits count per installation."""
        if self._make_pacer is None:
            return
        token = client.token or ""
        pacer = self._pacers.get(token)
        if pacer is None:
            pacer = self._pacers[token] = self._make_pacer()
        await pacer.wait()

    async def _send(
        self,
        client: AsyncWebClient,
        channel_id: str,
        reply: Reply,
        thread_ts: str | None,
        key: PostKey | None = None,
    ) -> str:
        """The first message's ts. Once it is accepted the post exists: a later part that
        fails (a long reply continues in its thread) is logged, not raised. Slack refusing
        the token is raised as it is (see WorkspaceClients.call)."""
        messages = _render_once(reply)
        first_ts = ""
        for index, message in enumerate(messages):
            await self._paced(client)
            extra: dict[str, Any] = {}
            if key is not None and index == 0:
                extra["metadata"] = {"event_type": POST_EVENT, "event_payload": {"post": key.token}}
            try:
                response = await client.chat_postMessage(
                    channel=channel_id,
                    text=message.text,
                    blocks=message.blocks,
                    thread_ts=thread_ts or (first_ts if index else None),
                    unfurl_links=False,
                    **extra,
                )
            except Exception as exc:
                if first_ts:
                    log.error("part %d of a message to %s failed: %s", index + 1, channel_id, exc)
                    return first_ts
                if refused_token(exc) is not None:
                    raise
                raise _translate(exc) from exc
            first_ts = first_ts or str(response["ts"])
        return first_ts


def _carries(message: dict[str, Any], key: PostKey) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return metadata.get("event_type") == POST_EVENT and payload.get("post") == key.token


def _translate(exc: Exception) -> Exception:
    """What the poster should make of a failed chat.postMessage."""
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        if status == 429:
            return RateLimited(float(exc.response.headers.get("Retry-After", 1)))
        if status >= 500:
            return DeliveryUnknown(f"Slack answered {status}")
        return exc  # refused: nothing was posted
    if isinstance(exc, aiohttp.ClientConnectorError):
        return exc  # never connected: nothing was sent
    if isinstance(exc, aiohttp.ClientError | asyncio.TimeoutError | OSError):
        return DeliveryUnknown(f"{type(exc).__name__}: {exc}")
    return exc


@lru_cache(maxsize=128)
def _render_once(reply: Reply) -> tuple[SlackMessage, ...]:
    """A daily post goes to every subscribed channel alike: render it once, not per channel."""
    return tuple(render(reply))
