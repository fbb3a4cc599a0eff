"""The HTTP door in front of the Bolt app: what is checked before Bolt sees a request.

Bolt parses a body before it verifies the signature, and answers 500 with a traceback for a
timestamp that is not a number, a `payload=` that is not JSON, or JSON of an unexpected shape.
Here a request is refused first: 401 when Slack did not sign it, 400 when it is signed but
malformed. What passes is a body Bolt and the listeners can handle.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack import home_payloads, payloads
from adapters.slack.home_view import HOME_ACTIONS
from adapters.slack.payloads import Malformed

MAX_BODY_BYTES = 1024 * 1024
MAX_AGE_SECONDS = 5 * 60  # Slack's advice, and what Bolt checks
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# What Slack posts to a request URL besides slash commands.
INTERACTIVE_TYPES = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
        "dialog_cancellation",
        "dialog_suggestion",
        "workflow_step_edit",
    }
)
EVENTS_API_TYPES = frozenset({"url_verification", "event_callback", "app_rate_limited"})
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


@dataclass(frozen=True)
class Refused:
    status: int
    reason: str


@dataclass(frozen=True)
class Accepted:
    text: str
    body: dict[str, Any]

    def bolt_request(self, query: str, headers: Mapping[str, str]) -> AsyncBoltRequest:
        request = AsyncBoltRequest(body=self.text, query=query, headers=dict(headers))
        if request.body != self.body:
            # Bolt reads any form body containing the word "payload" as an interactive
            # payload, so `/quiz payload` (or a channel called payload-team) would reach no
            # listener. Hand it the body as Slack meant it.
            request.body = self.body
            request.context = build_async_context(AsyncBoltContext(), self.body)
        return request


def check(headers: Mapping[str, str], raw: bytes, signing_secret: str | None) -> Refused | Accepted:
    """Signed by Slack, then well formed; the first problem found is the answer."""
    if not _signed(headers, raw, signing_secret):
        return Refused(401, "not signed by Slack")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Refused(400, "the body is not UTF-8")
    content_type = headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    try:
        if content_type == FORM:
            body = _form_body(text)
        elif content_type == JSON:
            body = _events_api_body(text)
        else:
            raise Malformed(f"unexpected content type {content_type or 'none'}")
    except Malformed as exc:
        return Refused(400, str(exc))
    return Accepted(text, body)


def _signed(headers: Mapping[str, str], raw: bytes, signing_secret: str | None) -> bool:
    """Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>`, at most five minutes
    old. Computed over the bytes, so a body that is not UTF-8 is still answered 401 or 400."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not signing_secret or not _TIMESTAMP.fullmatch(timestamp) or not signature.isascii():
        return False
    if abs(time.time() - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    message = b"v0:" + timestamp.encode() + b":" + raw
    digest = hmac.new(signing_secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={digest}".encode(), signature.encode())


def _form_body(text: str) -> dict[str, Any]:
    """Slash commands, and interactive payloads as `payload=<JSON>`."""
    if text.startswith("{"):
        raise Malformed("a form body cannot start with {")  # Bolt would read it as JSON
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in form:
        return _interactive_payload(form["payload"])
    if "command" in form:
        payloads.slash_command(form)
        return form
    if "ssl_check" in form:
        return form
    raise Malformed("neither a slash command nor an interactive payload")


def _interactive_payload(text: str) -> dict[str, Any]:
    body = _json_object(text, "payload")
    kind = body.get("type")
    if kind not in INTERACTIVE_TYPES:
        raise Malformed(f"unknown payload type {str(kind)[:40]!r}")
    if kind == "block_actions":
        actions = payloads.actions_of(body)
        if payloads.QUIZBOT_ACTIONS.match(actions[0]["action_id"]):
            payloads.button_clicks(body)
        elif HOME_ACTIONS.match(actions[0]["action_id"]):
            home_payloads.home_clicks(body)
    if kind in ("view_submission", "view_closed"):
        _view_payload(body)
    if kind == "block_suggestion":
        for key in ("action_id", "value"):
            if not isinstance(body.get(key), str):
                raise Malformed(f"block_suggestion without a text {key}")
    _bolt_can_read(body)
    return body


def _view_payload(body: dict[str, Any]) -> None:
    """Bolt routes view payloads by `view.callback_id`, and fails without one."""
    view = body.get("view")
    if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
        raise Malformed("a view payload needs a view with a callback_id")
    if body["type"] == "view_submission" and payloads.is_quizbot_form(body):
        payloads.form_submission(body)


def _events_api_body(text: str) -> dict[str, Any]:
    body = _json_object(text, "body")
    kind = body.get("type")
    if kind not in EVENTS_API_TYPES:
        raise Malformed(f"unknown Events API type {str(kind)[:40]!r}")
    if kind == "url_verification" and not isinstance(body.get("challenge"), str):
        raise Malformed("url_verification without a challenge")
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise Malformed("event_callback without an event type")
        if event["type"] == home_payloads.HOME_OPENED:
            home_payloads.event_id(body)  # retries are told apart by it
            home_payloads.home_opened(event)
    _bolt_can_read(body)
    return body


def _json_object(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise Malformed(f"the {what} is not JSON") from None
    if not isinstance(value, dict):
        raise Malformed(f"the {what} is not a JSON object")
    return value


def _bolt_can_read(body: dict[str, Any]) -> None:
    """Bolt reads ids (user, channel, team…) from a payload before any listener; a payload
    whose fields have the wrong types makes it fail, so find that out here."""
    try:
        build_async_context(AsyncBoltContext(), body)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError):
        raise Malformed("the payload's fields have the wrong types") from None
