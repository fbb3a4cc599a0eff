"""The core's forms as Slack modals, and a submitted modal read back into the core's values.

A form becomes a `modal` view: its intro as sections, then one input block per field, the
field id as the block id, so the core's errors per field map straight onto Slack's
`response_action: errors`. What the submission needs besides the values (which form, its opaque
state, the channel it was opened from and that interaction's response_url) travels in
`private_metadata`, which Slack hands back with the submission untouched.

Limits (Block Kit reference): title, submit and close 24 characters; private_metadata 3,000;
100 blocks a view; labels and hints 2,000; placeholders 150; checkboxes 10 options; a static
select, and an options response, 100 options; option text 75 characters, value 150;
plain_text_input max_length 3,000. A trigger_id opens a view only within 3 s of the click.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import render
from adapters.slack.failures import SLACK_FAILURES, describe
from adapters.slack.mrkdwn import to_plain
from bot.domain.forms import FieldKind, Form, FormField
from bot.domain.replies import Markdown, Reply, Tone, markdown_blocks
from bot.domain.schedule import timezones_matching

CALLBACK_ID = "quizbot.form"  # every Quizbot modal; the form's kind is in private_metadata
# Input elements' action ids. Not `quizbot.` ones: those are buttons that Bolt routes to the
# click listener. Every timezone field shares one, which the options listener answers.
FIELD_ACTION = "quizform."
TIMEZONE_ACTION = FIELD_ACTION + "timezone"

VIEW_TEXT_LIMIT = 24  # title, submit, close
LABEL_LIMIT = 2000
PLACEHOLDER_LIMIT = 150
OPTION_TEXT_LIMIT = 75
OPTIONS_LIMIT = 100
METADATA_LIMIT = 3000

CLOSE = "Cancel"
TIMEZONE_PLACEHOLDER = "Type a city or region, e.g. Berlin"
CHOOSE_PLACEHOLDER = "Choose one"
NOT_OPENED = "I couldn't open the form."


@dataclass(frozen=True)
class FormOrigin:
    """A form's kind and state, and where it was opened: what its submission is answered with."""

    kind: str
    state: str
    channel_id: str
    channel_name: str
    response_url: str  # of the command or click that opened it; "" if there was none

    def encode(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> FormOrigin:
        """ValueError unless `text` is what `encode` wrote."""
        try:
            data = json.loads(text)
        except ValueError:
            raise ValueError("the form's metadata is not JSON") from None
        if not isinstance(data, dict) or set(data) != set(cls.__dataclass_fields__):
            raise ValueError("not a Quizbot form's metadata")
        if not all(isinstance(value, str) for value in data.values()):
            raise ValueError("a Quizbot form's metadata holds text only")
        if not data["channel_id"]:
            raise ValueError("the form's metadata has no channel")
        return cls(**data)


def modal(form: Form, origin: FormOrigin) -> dict[str, Any]:
    """The view for `views.open`."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain(_fit(form.title, VIEW_TEXT_LIMIT)),
        "submit": _plain(_fit(form.submit, VIEW_TEXT_LIMIT)),
        "close": _plain(CLOSE),
        "private_metadata": origin.encode(),
        "blocks": [*_intro(form.intro), *(_input(field) for field in form.fields)],
    }


async def open_modal(
    client: AsyncWebClient, form: Form, origin: FormOrigin, trigger: str
) -> str | None:
    """Opens the form for the person whose interaction gave `trigger`: None when it opened,
    else why not, in a few words for the log (an expired trigger, Slack refusing the view)."""
    if not trigger:
        return "the interaction carried no trigger_id"
    try:
        await client.views_open(trigger_id=trigger, view=modal(form, origin))
    except SLACK_FAILURES as exc:
        return describe(exc)
    return None


def not_opened(reply: Reply) -> Reply:
    """What the person sees, privately, when their form could not open: the typed way."""
    return Reply(blocks=(Markdown(NOT_OPENED), *reply.blocks), tone=Tone.ERROR)


def form_values(state_values: Mapping[str, Any]) -> dict[str, str | tuple[str, ...]]:
    """`view.state.values` as the core reads them: per block (field) id, the text, time or
    option value, or the option values of checkboxes; "" for a field left empty.
    ValueError for a shape Slack does not send."""
    values: dict[str, str | tuple[str, ...]] = {}
    for block_id, elements in state_values.items():
        if not isinstance(elements, dict) or len(elements) != 1:
            raise ValueError(f"block {block_id!r} must hold one element's state")
        (element,) = elements.values()
        if not isinstance(element, dict):
            raise ValueError(f"block {block_id!r} holds no element state")
        values[block_id] = _element_value(element)
    return values


def inline_errors(errors: Mapping[str, str], block_ids: tuple[str, ...]) -> dict[str, str]:
    """The errors for `response_action: errors`: Slack shows one, as plain text, under each
    input block named; an error for a field the view does not show goes under its first input."""
    plain = {field_id: to_plain(message) for field_id, message in errors.items()}
    shown = {field_id: message for field_id, message in plain.items() if field_id in block_ids}
    others = [message for field_id, message in plain.items() if field_id not in block_ids]
    if others and block_ids:
        first = block_ids[0]
        shown[first] = " ".join(filter(None, [shown.get(first), *others]))
    return shown


def timezone_options(typed: str) -> list[dict[str, Any]]:
    """What the timezone search offers for the text typed so far."""
    return [_option(zone, zone) for zone in timezones_matching(typed, OPTIONS_LIMIT)]


def _intro(intro: str) -> list[dict[str, Any]]:
    if not intro.strip():
        return []
    return [block for message in render(Reply(markdown_blocks(intro))) for block in message.blocks]


def _input(field: FormField) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": field.id,
        "label": _plain(_fit(field.label, LABEL_LIMIT)),
        "element": _element(field),
    }
    if not field.required:
        block["optional"] = True
    if field.hint:
        block["hint"] = _plain(_fit(field.hint, LABEL_LIMIT))
    return block


def _element(field: FormField) -> dict[str, Any]:
    initial = field.initial if isinstance(field.initial, str) else ""
    action_id = FIELD_ACTION + field.id
    element: dict[str, Any]
    if field.kind is FieldKind.TIME:
        element = {"type": "timepicker", "action_id": action_id}
        if initial:
            element["initial_time"] = initial
    elif field.kind is FieldKind.TIMEZONE:
        element = {
            "type": "external_select",
            "action_id": TIMEZONE_ACTION,
            "min_query_length": 1,
            "placeholder": _plain(TIMEZONE_PLACEHOLDER),
        }
        if initial:
            element["initial_option"] = _option(initial, initial)
    elif field.kind is FieldKind.CHOICE:
        options = [_option(option.value, option.label) for option in field.options]
        element = {
            "type": "static_select",
            "action_id": action_id,
            "placeholder": _plain(CHOOSE_PLACEHOLDER),
            "options": options,
        }
        chosen = [option for option in options if option["value"] == initial]
        if chosen:
            element["initial_option"] = chosen[0]
    elif field.kind is FieldKind.CHOICES:
        options = [_option(option.value, option.label) for option in field.options]
        element = {"type": "checkboxes", "action_id": action_id, "options": options}
        picked = field.initial if isinstance(field.initial, tuple) else (field.initial,)
        chosen = [option for option in options if option["value"] in picked]
        if chosen:
            element["initial_options"] = chosen
    elif field.kind is FieldKind.NUMBER:
        element = {"type": "number_input", "action_id": action_id, "is_decimal_allowed": False}
        if field.min_value is not None:
            element["min_value"] = str(field.min_value)
        if field.max_value is not None:
            element["max_value"] = str(field.max_value)
        if initial:
            element["initial_value"] = initial
    else:
        element = {"type": "plain_text_input", "action_id": action_id, "multiline": True}
        if field.max_length is not None:
            element["max_length"] = field.max_length
        if initial:
            element["initial_value"] = initial
    return element


def _element_value(element: Mapping[str, Any]) -> str | tuple[str, ...]:
    kind = element.get("type")
    if kind == "timepicker":
        return _text_or_empty(element.get("selected_time"))
    if kind in ("plain_text_input", "number_input"):
        return _text_or_empty(element.get("value"))
    if kind in ("static_select", "external_select"):
        selected = element.get("selected_option")
        return "" if selected is None else _option_value(selected)
    if kind == "checkboxes":
        selected = element.get("selected_options") or []
        if not isinstance(selected, list):
            raise ValueError("selected_options must be a list")
        return tuple(_option_value(option) for option in selected)
    raise ValueError(f"unexpected element type {str(kind)[:40]!r}")


def _text_or_empty(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("an input's value must be text")
    return value


def _option_value(option: object) -> str:
    if not isinstance(option, dict) or not isinstance(option.get("value"), str):
        raise ValueError("a selected option needs a value")
    return str(option["value"])


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(_fit(label, OPTION_TEXT_LIMIT)), "value": value}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
