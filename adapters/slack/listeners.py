"""Slack events in, core calls, Block Kit out. No rules here: only translation and rendering.

Every command and click gets an answer. If anything fails after the ack, the person is told so
privately and the failure is logged once: one line for Slack failing us, a traceback for a bug.
A reply that carries a form opens it as a modal instead (submitted: adapters.slack.submissions).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import modals, payloads
from adapters.slack.blocks import action_id_of
from adapters.slack.delivery import Delivery, ReplyRefused
from adapters.slack.failures import SLACK_FAILURES, describe
from adapters.slack.identity import PLATFORM, SlackIdentity
from adapters.slack.payloads import Malformed, Origin
from bot.domain.context import Context, Place
from bot.domain.forms import Form
from bot.domain.replies import Reply, text_reply
from bot.presenters import general as general_replies
from bot.quizbot import Quizbot

log = logging.getLogger(__name__)

NOTHING_SAVED = general_replies.failure_reply().plain_text
IN_DIRECT_MESSAGES = "Sent to your direct messages with Quizbot (its Messages tab)."
NOT_SHOWN = (
    "Something went wrong on our side while sending you the reply. Please ask again to see it."
)

# Work after the ack runs at most this many at a time. Slack needs the ack within 3 s; a burst
# of thousands of clicks must not fill the event loop with runnable tasks that acks queue behind.
WORK_AT_ONCE = 6

Ask = Callable[[Context], Awaitable[Reply]]
Parsed = TypeVar("Parsed")


def register(
    app: AsyncApp, quizbot: Quizbot, identity: SlackIdentity, *, work_at_once: int = WORK_AT_ONCE
) -> None:
    """One slash command per pack, and every quizbot button."""
    working = asyncio.Semaphore(work_at_once)

    async def on_command(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        command = _parsed(payloads.slash_command, body, "slash command")
        if command is None:
            return
        async with working:

            async def ask(ctx: Context) -> Reply:
                return await quizbot.handle_text(ctx, command.name, command.text)

            await _answer(client, identity, command.origin, [ask])

    async def on_action(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        clicked = _parsed(payloads.button_clicks, body, "button click")
        if clicked is None:
            return
        async with working:
            asks: list[Ask] = []
            for click in clicked.clicks:

                async def ask(ctx: Context, click: payloads.Click = click) -> Reply:
                    return await quizbot.handle_action(
                        ctx, action_id_of(click.action_id), click.value
                    )

                asks.append(ask)
            await _answer(client, identity, clicked.origin, asks)

    for pack in quizbot.packs:
        app.command(f"/{pack.command}")(on_command)
    app.action(payloads.QUIZBOT_ACTIONS)(on_action)


def _parsed(
    parse: Callable[[Mapping[str, Any]], Parsed], body: Mapping[str, Any], what: str
) -> Parsed | None:
    """Over HTTP the endpoint refused malformed bodies already; Socket Mode has no such door."""
    try:
        return parse(body)
    except Malformed as exc:
        log.warning("Ignored a malformed %s from Slack: %s", what, exc)
        return None


async def _answer(
    client: AsyncWebClient, identity: SlackIdentity, origin: Origin, asks: list[Ask]
) -> None:
    """Run one interaction to the end; whatever fails, the person hears back."""
    delivery = Delivery(client, origin.response_url)
    try:
        ctx = await context_of(identity, origin, client)
    except Exception as exc:
        log_failure("Could not handle a Slack request", exc)
        await delivery.tell(NOTHING_SAVED)
        return
    for ask in asks:
        try:
            reply = await ask(ctx)
        except Exception as exc:
            log_failure("Could not handle a Slack request", exc)
            await delivery.tell(NOTHING_SAVED)
            return
        if reply.form is not None:
            # First, before anything slow: Slack honours the trigger_id for 3 s only.
            problem = await modals.open_modal(
                client, reply.form, _form_origin(reply.form, origin), origin.trigger_id
            )
            if problem is None:
                continue
            log.warning("Could not open a form for %s: %s", origin.user_id, problem)
            reply = modals.not_opened(reply)
        # Into the direct messages; if Slack refuses that, the reply still comes here,
        # privately, so a mock interview never stalls on an unseen question.
        if reply.direct and await delivery.send_direct(ctx.actor.user_id, reply):
            if not ctx.place.is_direct:
                try:
                    await delivery.reply(text_reply(IN_DIRECT_MESSAGES))
                except Exception as exc:
                    log_failure("Could not point the person to their direct messages", exc)
            continue
        try:
            await delivery.reply(reply)
        except Exception as exc:
            log_failure("Could not send a reply to Slack", exc)
            if not isinstance(exc, SLACK_FAILURES):  # the response_url still answers
                await delivery.tell(NOT_SHOWN)
            return
        problem = await delivery.send_files(ctx.actor.user_id, reply)
        if problem is not None:
            await delivery.tell(problem)


def log_failure(what: str, exc: Exception) -> None:
    """One line when Slack failed us; the traceback when our own code did."""
    if isinstance(exc, (ReplyRefused, *SLACK_FAILURES)):
        log.error("%s: %s", what, describe(exc))
    else:
        log.exception("%s", what)


def _form_origin(form: Form, origin: Origin) -> modals.FormOrigin:
    return modals.FormOrigin(
        form.kind.value, form.state, origin.channel_id, origin.channel_name, origin.response_url
    )


async def context_of(
    identity: SlackIdentity, origin: Origin, client: AsyncWebClient | None = None
) -> Context:
    """Who and where; `client` is the request's, with its workspace's token."""
    actor = await identity.actor(origin.user_id, origin.user_name, client)
    name = origin.channel_name or origin.channel_id
    is_direct = name == "directmessage" or origin.channel_id.startswith("D")
    return Context(actor, Place(PLATFORM, origin.channel_id, name, is_direct=is_direct))
