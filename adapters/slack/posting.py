"""The Slack posting port: daily posts as channel messages, discussion and answers in the thread."""

from __future__ import annotations

from functools import lru_cache

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import SlackMessage, render
from bot.daily.pacing import Pacer
from bot.daily.ports import PostedMessage, RateLimited
from bot.domain.replies import Reply
from bot.domain.subscriptions import ChannelAddress


class SlackPostingPort:
    """slack_sdk's retry handlers already wait out 429s; a 429 that survives them is handed to
    the poster as RateLimited so it can wait once more, and any other error fails the post."""

    def __init__(self, client: AsyncWebClient, pacer: Pacer | None = None) -> None:
        self._client = client
        self._pacer = pacer

    async def post(self, channel: ChannelAddress, reply: Reply) -> PostedMessage:
        first = await self._send(channel.channel_id, reply, thread_ts=None)
        return PostedMessage(message_id=first, thread_id=first)

    async def post_in_thread(
        self, channel: ChannelAddress, thread_id: str, reply: Reply
    ) -> PostedMessage:
        first = await self._send(channel.channel_id, reply, thread_ts=thread_id)
        return PostedMessage(message_id=first, thread_id=thread_id)

    async def notify(self, user_id: str, reply: Reply) -> None:
        await self._paced()
        conversation = await self._client.conversations_open(users=user_id)
        await self._send(conversation["channel"]["id"], reply, thread_ts=None)

    async def _send(self, channel_id: str, reply: Reply, thread_ts: str | None) -> str:
        messages = _render_once(reply)
        first_ts = ""
        for index, message in enumerate(messages):
            await self._paced()
            try:
                response = await self._client.chat_postMessage(
                    channel=channel_id,
                    text=message.text,
                    blocks=message.blocks,
                    thread_ts=thread_ts or (first_ts if index else None),
                    unfurl_links=False,
                )
            except SlackApiError as exc:
                if exc.response.status_code == 429:
                    retry_after = float(exc.response.headers.get("Retry-After", 1))
                    raise RateLimited(retry_after) from exc
                raise
            first_ts = first_ts or str(response["ts"])
        return first_ts

    async def _paced(self) -> None:
        if self._pacer is not None:
            await self._pacer.wait()


@lru_cache(maxsize=128)
def _render_once(reply: Reply) -> tuple[SlackMessage, ...]:
    """A daily post goes to every subscribed channel alike: render it once, not per channel."""
    return tuple(render(reply))
