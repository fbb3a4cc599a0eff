"""Slack events in, core calls, Block Kit out. No rules here: only translation and rendering."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.blocks import action_id_of, render
from adapters.slack.identity import PLATFORM, SlackIdentity
from bot.domain.context import Context, Place
from bot.domain.replies import Reply
from bot.quizbot import Quizbot

ACTIONS = re.compile(r"^quizbot\.")

log = logging.getLogger(__name__)


# Work after the ack runs at most this many at a time. Slack needs the ack within 3 s; a burst
# of thousands of clicks must not fill the event loop with runnable tasks that acks queue behind.
WORK_AT_ONCE = 6


def register(
    app: AsyncApp, quizbot: Quizbot, identity: SlackIdentity, *, work_at_once: int = WORK_AT_ONCE
) -> None:
    """One slash command per pack, and every quizbot button."""
    working = asyncio.Semaphore(work_at_once)

    async def on_command(ack: AsyncAck, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        async with working:
            ctx = await _context(
                identity, command["user_id"], command.get("user_name", ""), command
            )
            reply = await quizbot.handle_text(
                ctx, command["command"].lstrip("/"), command.get("text", "")
            )
            await _respond(client, command.get("response_url"), reply)
            await _upload_privately(client, ctx.actor.user_id, reply)

    async def on_action(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        async with working:
            user = body.get("user") or {}
            ctx = await _context(identity, user.get("id", ""), user.get("name", ""), body)
            for action in body.get("actions", []):
                reply = await quizbot.handle_action(
                    ctx, action_id_of(action["action_id"]), action.get("value", "")
                )
                await _respond(client, body.get("response_url"), reply)
                await _upload_privately(client, ctx.actor.user_id, reply)

    for pack in quizbot.packs:
        app.command(f"/{pack.command}")(on_command)
    app.action(ACTIONS)(on_action)


async def _context(
    identity: SlackIdentity, user_id: str, user_name: str, payload: dict[str, Any]
) -> Context:
    channel = payload.get("channel") or {}
    channel_id = payload.get("channel_id") or channel.get("id", "")
    channel_name = payload.get("channel_name") or channel.get("name") or channel_id
    actor = await identity.actor(user_id, user_name)
    is_direct = channel_name == "directmessage" or channel_id.startswith("D")
    return Context(actor, Place(PLATFORM, channel_id, channel_name, is_direct=is_direct))


async def _upload_privately(client: AsyncWebClient, user_id: str, reply: Reply) -> None:
    """Files cannot be ephemeral in Slack, so they go to the person's direct messages."""
    if not reply.files:
        return
    conversation = await client.conversations_open(users=user_id)
    channel_id = conversation["channel"]["id"]
    for attachment in reply.files:
        await client.files_upload_v2(
            channel=channel_id,
            file=attachment.data,
            filename=attachment.filename,
            title=attachment.title or attachment.filename,
        )


async def _respond(client: AsyncWebClient, response_url: str | None, reply: Reply) -> None:
    """To the interaction's response_url, over the Web API client's HTTP session: Bolt's own
    `respond()` opens a new session, and connection, for every reply."""
    if not response_url:
        log.warning("no response_url to reply to; the reply is dropped")
        return
    webhook = AsyncWebhookClient(url=response_url, session=client.session, logger=client.logger)
    response_type = "ephemeral" if reply.private else "in_channel"
    for message in render(reply):
        await webhook.send(
            text=message.text,
            blocks=message.blocks,
            response_type=response_type,
            replace_original=False,
        )
