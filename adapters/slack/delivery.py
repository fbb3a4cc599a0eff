"""Getting an answer to the person: replies through the response_url, files through their
direct messages, and an honest note when either fails."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack import timeouts
from adapters.slack.blocks import render
from adapters.slack.failures import SLACK_FAILURES, describe
from bot.domain.replies import Reply, Tone, text_reply

log = logging.getLogger(__name__)


class ReplyRefused(Exception):
    """A response_url answered something other than 200 (Slack puts the reason in the body)."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"the response_url answered HTTP {status} {body!r}")


class Delivery:
    """Replies to one interaction, over the Web API client's HTTP session: Bolt's own
    `respond()` opens a new session, and connection, for every reply."""

    def __init__(self, client: AsyncWebClient, response_url: str) -> None:
        self._client = client
        self._webhook = AsyncWebhookClient(
            url=response_url,
            session=client.session,
            logger=client.logger,
            timeout=timeouts.SLACK_TIMEOUT_SECONDS,
        )

    async def reply(self, reply: Reply) -> None:
        """Raises ReplyRefused, or one of SLACK_FAILURES, when the reply did not arrive."""
        response_type = "ephemeral" if reply.private else "in_channel"
        for message in render(reply):
            response = await self._webhook.send(
                text=message.text,
                blocks=message.blocks,
                response_type=response_type,
                replace_original=False,
            )
            if response.status_code != 200:
                raise ReplyRefused(response.status_code, response.body)

    async def tell(self, text: str) -> bool:
        """A private note (an apology, a file that did not arrive); False if even that failed,
        which is logged, since there is no other way left to reach the person."""
        try:
            await self.reply(text_reply(text, tone=Tone.ERROR))
        except (ReplyRefused, *SLACK_FAILURES) as exc:
            log.error("Could not tell the person either: %s", describe(exc))
            return False
        return True

    async def post_ephemeral(self, channel_id: str, user_id: str, reply: Reply) -> bool:
        """Privately to one person in a channel, without a response_url (Slack lets a bot do
        that only where it is a member). False if Slack refused or failed."""
        try:
            for message in render(reply):
                await self._client.chat_postEphemeral(
                    channel=channel_id, user=user_id, text=message.text, blocks=message.blocks
                )
        except SLACK_FAILURES as exc:
            log.warning(
                "Could not post privately to %s in %s: %s", user_id, channel_id, describe(exc)
            )
            return False
        return True

    async def send_direct(self, user_id: str, reply: Reply) -> bool:
        """A reply that belongs in the person's direct messages with the app (a mock interview
        of several turns): posted there, where it stays. False if Slack refused or failed."""
        try:
            conversation = await self._client.conversations_open(users=user_id)
            channel_id = conversation["channel"]["id"]
            for message in render(reply):
                await self._client.chat_postMessage(
                    channel=channel_id, text=message.text, blocks=message.blocks
                )
        except SLACK_FAILURES as exc:
            log.warning("Could not send a direct message to %s: %s", user_id, describe(exc))
            return False
        return True

    async def send_files(self, user_id: str, reply: Reply) -> str | None:
        """Files cannot be ephemeral in Slack, so they go to the person's direct messages.
        None when they all arrived; otherwise what went wrong, in words for the person."""
        if not reply.files:
            return None
        try:
            conversation = await self._client.conversations_open(users=user_id)
            channel_id = conversation["channel"]["id"]
            for attachment in reply.files:
                await self._client.files_upload_v2(
                    channel=channel_id,
                    file=attachment.data,
                    filename=attachment.filename,
                    title=attachment.title or attachment.filename,
                )
        except SLACK_FAILURES as exc:
            log.warning("Could not send %s to %s: %s", _names(reply), user_id, describe(exc))
            return _not_sent(exc, len(reply.files))
        return None


def _not_sent(exc: BaseException, count: int) -> str:
    what = "the file" if count == 1 else "the files"
    opening = f"I couldn't send {what} to your direct messages: "
    if isinstance(exc, SlackApiError) and exc.response.get("error") == "missing_scope":
        needed = exc.response.get("needed") or "a needed"
        return (
            f"{opening}the app lacks the {needed} permission. "
            "Ask an admin to reinstall Quizbot from its manifest."
        )
    if isinstance(exc, SlackApiError):
        return f"{opening}Slack answered `{exc.response.get('error')}`. Please try again later."
    if isinstance(exc, TimeoutError):
        return f"{opening}Slack did not answer in time. Please try again."
    return f"{opening}Slack could not be reached. Please try again."


def _names(reply: Reply) -> str:
    return ", ".join(attachment.filename for attachment in reply.files)
