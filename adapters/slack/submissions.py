"""Quizbot's modals submitted, and the timezone search inside them. Translation only: the core
reads the values and decides; this answers Slack and shows the person the result.

A submission is answered in Slack's ack, within its 3 s: `response_action: errors` keeps the
modal open with the core's message under each bad field (nothing was saved); a plain ack closes
it, and the reply then goes where the typed command's would, through the response_url of the
command or click that opened the form. That URL lasts 30 minutes; after it, the reply is posted
privately in the channel (Slack allows that only where the bot is a member), and failing that
in the person's direct messages with the app.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import modals, payloads
from adapters.slack.delivery import Delivery, ReplyRefused
from adapters.slack.failures import SLACK_FAILURES, describe
from adapters.slack.identity import SlackIdentity
from adapters.slack.listeners import IN_DIRECT_MESSAGES, NOTHING_SAVED, context_of, log_failure
from adapters.slack.payloads import FormSubmission, Malformed, Origin
from bot.domain.context import Context
from bot.domain.forms import FieldErrors
from bot.domain.replies import Reply, text_reply
from bot.quizbot import Quizbot

log = logging.getLogger(__name__)


def register(app: AsyncApp, quizbot: Quizbot, identity: SlackIdentity) -> None:
    async def on_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        try:
            submitted = payloads.form_submission(body)
        except Malformed as exc:  # Socket Mode; over HTTP the endpoint refused it already
            log.warning("Ignored a malformed form submission from Slack: %s", exc)
            await ack()
            return
        try:
            ctx = await context_of(identity, _origin(submitted), client)
            result = await quizbot.submit_form(
                ctx, submitted.origin.kind, submitted.origin.state, submitted.values
            )
        except Exception as exc:
            log_failure("Could not handle a form submission", exc)
            errors = modals.inline_errors({"": NOTHING_SAVED}, submitted.block_ids)
            await ack(response_action="errors", errors=errors)
            return
        if isinstance(result, FieldErrors):
            errors = modals.inline_errors(result.errors, submitted.block_ids)
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        await _deliver(Delivery(client, submitted.origin.response_url), ctx, submitted, result)

    async def on_timezone_search(ack: AsyncAck, body: dict[str, Any]) -> None:
        try:
            typed = payloads.suggestion_query(body)
        except Malformed as exc:
            log.warning("Ignored a malformed options request from Slack: %s", exc)
            typed = ""
        await ack(options=modals.timezone_options(typed) if typed.strip() else [])

    app.view_submission(modals.CALLBACK_ID)(on_submission)
    app.block_suggestion(modals.TIMEZONE_ACTION)(on_timezone_search)


def _origin(submitted: FormSubmission) -> Origin:
    where = submitted.origin
    return Origin(
        submitted.user_id,
        submitted.user_name,
        where.channel_id,
        where.channel_name,
        where.response_url,
    )


async def _deliver(
    delivery: Delivery, ctx: Context, submitted: FormSubmission, reply: Reply
) -> None:
    """The reply where the person opened the form, else privately there, else in their direct
    messages (where a reply marked for them goes first, as a typed one would)."""
    user_id, channel_id = ctx.actor.user_id, ctx.place.channel_id
    can_respond = bool(submitted.origin.response_url)
    if reply.direct and await delivery.send_direct(user_id, reply):
        if can_respond and not ctx.place.is_direct:
            await _respond(delivery, text_reply(IN_DIRECT_MESSAGES))
        return
    shown = (
        (can_respond and await _respond(delivery, reply))
        or await delivery.post_ephemeral(channel_id, user_id, reply)
        or await delivery.send_direct(user_id, reply)
    )
    if not shown:
        log.error("Could not show %s the reply to their form anywhere", user_id)
        return
    problem = await delivery.send_files(user_id, reply)
    if problem is not None and can_respond:
        await delivery.tell(problem)


async def _respond(delivery: Delivery, reply: Reply) -> bool:
    try:
        await delivery.reply(reply)
    except (ReplyRefused, *SLACK_FAILURES) as exc:
        log.warning("The form's response_url did not take the reply: %s", describe(exc))
        return False
    return True
