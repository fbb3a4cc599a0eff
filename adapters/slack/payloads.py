"""What Slack sends the app, checked and typed before anything acts on it.

A signed body can still be malformed (a replay tool, a proxy, a payload version we never saw).
Every field the listeners use is checked here, once: over HTTP a body that fails is answered
400 before Bolt sees it; in Socket Mode it is dropped with one log line. Nothing malformed
reaches the core, so nothing is stored for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.slack.modals import CALLBACK_ID, FormOrigin, form_values

# The buttons Quizbot renders on messages; Bolt routes clicks on them to the listener. Those
# on the App Home (`quizbot.home.`) come without a channel or response_url: see home_payloads.
QUIZBOT_ACTIONS = re.compile(r"^quizbot\.(?!home\.)")


class Malformed(ValueError):
    """A request we cannot act on, and why, in a few words (safe to log and to answer)."""


@dataclass(frozen=True)
class Origin:
    """Who sent a request, from where, and where the answer goes."""

    user_id: str
    user_name: str
    channel_id: str
    channel_name: str
    response_url: str
    trigger_id: str = ""  # opens a modal within 3 s of the interaction


@dataclass(frozen=True)
class SlashCommand:
    origin: Origin
    name: str  # without the slash, as the core knows it: `fastapi-quiz`
    text: str


@dataclass(frozen=True)
class Click:
    action_id: str
    value: str


@dataclass(frozen=True)
class ButtonClicks:
    origin: Origin
    clicks: tuple[Click, ...]


def slash_command(body: Mapping[str, Any]) -> SlashCommand:
    command = _text(body, "command", required=True)
    if not command.startswith("/") or len(command) < 2:
        raise Malformed("the command does not start with a slash")
    origin = Origin(
        user_id=_text(body, "user_id", required=True),
        user_name=_text(body, "user_name"),
        channel_id=_text(body, "channel_id", required=True),
        channel_name=_text(body, "channel_name"),
        response_url=_url(body.get("response_url")),
        trigger_id=_text(body, "trigger_id"),
    )
    return SlashCommand(origin, command[1:], _text(body, "text"))


def button_clicks(body: Mapping[str, Any]) -> ButtonClicks:
    """A block_actions payload on a message with Quizbot's buttons."""
    user = _object(body, "user", required=True)
    channel = _object(body, "channel")
    container = _object(body, "container")
    channel_id = _text(channel, "id") or _text(container, "channel_id")
    if not channel_id:
        raise Malformed("the click has no channel")
    origin = Origin(
        user_id=_text(user, "id", required=True, field="user.id"),
        user_name=_text(user, "name") or _text(user, "username"),
        channel_id=channel_id,
        channel_name=_text(channel, "name"),
        response_url=_url(body.get("response_url")),
        trigger_id=_text(body, "trigger_id"),
    )
    clicks = tuple(
        Click(_text(action, "action_id", required=True), _text(action, "value"))
        for action in actions_of(body)
    )
    return ButtonClicks(origin, clicks)


@dataclass(frozen=True)
class FormSubmission:
    """A Quizbot modal submitted: who, the form and where it was opened, and its values."""

    user_id: str
    user_name: str
    origin: FormOrigin
    values: dict[str, str | tuple[str, ...]]
    block_ids: tuple[str, ...]  # the view's input blocks, in order: where errors can show


def is_quizbot_form(body: Mapping[str, Any]) -> bool:
    view = body.get("view")
    return isinstance(view, dict) and view.get("callback_id") == CALLBACK_ID


def form_submission(body: Mapping[str, Any]) -> FormSubmission:
    """A view_submission payload of a Quizbot modal."""
    user = _object(body, "user", required=True)
    view = _object(body, "view", required=True)
    try:
        origin = FormOrigin.decode(_text(view, "private_metadata", required=True))
        values = form_values(_object(_object(view, "state", required=True), "values"))
    except Malformed:
        raise
    except ValueError as exc:  # the metadata or the values are not what Quizbot's views hold
        raise Malformed(str(exc)) from None
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
        raise Malformed("the view's blocks must be a list of objects")
    block_ids = tuple(
        str(block.get("block_id")) for block in blocks if block.get("type") == "input"
    )
    return FormSubmission(
        user_id=_text(user, "id", required=True, field="user.id"),
        user_name=_text(user, "name") or _text(user, "username"),
        origin=origin,
        values=values,
        block_ids=block_ids,
    )


def suggestion_query(body: Mapping[str, Any]) -> str:
    """What the person has typed into a select that loads its options from the app."""
    return _text(body, "value")


def actions_of(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The actions of a block_actions payload: a non-empty list of objects with an action id
    (Bolt matches listeners on the first one's, and fails on anything else)."""
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        raise Malformed("actions must be a non-empty list")
    for action in actions:
        if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
            raise Malformed("every action needs an action_id")
    return actions


def _object(body: Mapping[str, Any], key: str, *, required: bool = False) -> Mapping[str, Any]:
    value = body.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise Malformed(f"{key} must be an object")
    return value


def _text(
    body: Mapping[str, Any], key: str, *, required: bool = False, field: str | None = None
) -> str:
    value = body.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise Malformed(f"{field or key} must be text")
    if required and not value.strip():
        raise Malformed(f"{field or key} is missing")
    return value


def _url(value: object) -> str:
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise Malformed("response_url is missing")
    return value
