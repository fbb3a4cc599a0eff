"""Slack events in, core calls, Block Kit out. No rules here: only translation and rendering."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import action_id_of, render
from adapters.slack.identity import PLATFORM, SlackIdentity
from bot.domain.context import Context, Place
from bot.domain.replies import Reply
from bot.quizbot import Quizbot

ACTIONS = re.compile(r"^quizbot\.")

log = logging.getLogger(__name__)


def register(app: AsyncApp, quizbot: Quizbot, identity: SlackIdentity) -> None:
    """One slash command per pack, and every quizbot button."""

    async def on_command(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        ctx = await _context(identity, command["user_id"], command.get("user_name", ""), command)
        reply = await quizbot.handle_text(
            ctx, command["command"].lstrip("/"), command.get("text", "")
        )
        await _respond(respond, reply)
        await _upload_privately(client, ctx.actor.user_id, reply)

    async def on_action(
        ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        await ack()
        user = body.get("user") or {}
        ctx = await _context(identity, user.get("id", ""), user.get("name", ""), body)
        for action in body.get("actions", []):
            reply = await quizbot.handle_action(
                ctx, action_id_of(action["action_id"]), action.get("value", "")
            )
            await _respond(respond, reply)
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


async def _respond(respond: AsyncRespond, reply: Reply) -> None:
    response_type = "ephemeral" if reply.private else "in_channel"
    for message in render(reply):
        await respond(
            text=message.text,
            blocks=message.blocks,
            response_type=response_type,
            replace_original=False,
        )
