"""Slack's published rules, as the test stand-in enforces them.

Written from Slack's method and Block Kit reference, not from the adapter's own scope table, so
a wrong table in the adapter shows up as `missing_scope` in the tests rather than in production.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, InputBlock, InputInteractiveElement, Option
from slack_sdk.models.views import View

# Bot-token scopes per method ("Required scopes" in each method's reference page).
# conversations.history depends on the kind of conversation: see HISTORY_SCOPES.
METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "auth.test": (),
    "apps.connections.open": (),  # app-level token with connections:write, no bot scope
    "users.info": ("users:read",),
    "chat.postMessage": ("chat:write",),
    "chat.postEphemeral": ("chat:write",),
    "chat.update": ("chat:write",),
    "conversations.open": ("im:write",),
    "conversations.join": ("channels:join",),
    "conversations.history": (),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
    "files.info": ("files:read",),
    "files.delete": ("files:write",),
    "views.open": (),
    "views.publish": (),
    "views.update": (),
}
HISTORY_SCOPES = {
    "public": "channels:history",
    "private": "groups:history",
    "im": "im:history",
    "mpim": "mpim:history",
}
# chat.postMessage to a public channel the bot is not a member of needs this one as well.
POST_ANYWHERE = "chat:write.public"

BLOCKS_PER_MESSAGE = 50
TEXT_LIMIT = 40_000
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})


def channel_kind(channel_id: str, private: set[str]) -> str:
    """Slack's id prefixes: D direct message, G legacy private channel or group DM, C channel."""
    if channel_id.startswith("D"):
        return "im"
    if channel_id.startswith("G") or channel_id in private:
        return "private"
    return "public"


def block_problems(blocks: object, limit: int = BLOCKS_PER_MESSAGE) -> list[str]:
    """What Slack would say about a message's blocks (or, with limit 100, a view's): [] when
    they are valid.

    Each block is parsed and validated by slack_sdk's own models (Slack's documented limits),
    plus the message-level rules those models cannot see."""
    if blocks is None:
        return []
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            return ["blocks are not valid JSON"]
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"no more than {limit} items allowed [/blocks]")
    action_ids: Counter[str] = Counter()
    for index, raw in enumerate(blocks):
        where = f"[/blocks/{index}]"
        if not isinstance(raw, dict):
            problems.append(f"a block must be an object {where}")
            continue
        try:
            parsed = Block.parse(raw)
            if parsed is None:
                problems.append(f"unknown block type {raw.get('type')!r} {where}")
                continue
            parsed.validate_json()
        except (SlackObjectFormationError, TypeError, ValueError, KeyError, AttributeError) as exc:
            problems.append(f"{exc} {where}")
            continue
        problems += [f"text must not be empty {where}" for text in _texts(raw) if not text]
        action_ids.update(_action_ids(raw))
    problems += [
        f"action_id {action_id!r} is used {n} times in one message"
        for action_id, n in action_ids.items()
        if n > 1
    ]
    return problems


def message_error(args: dict[str, Any]) -> tuple[str, list[str]] | None:
    """The error a chat.* method answers for this message, or None when Slack would take it."""
    text = args.get("text")
    blocks = args.get("blocks")
    if not text and not blocks and not args.get("attachments"):
        return "no_text", []
    if isinstance(text, str) and len(text) > TEXT_LIMIT:
        return "msg_too_long", []
    problems = block_problems(blocks)
    if problems:
        return "invalid_blocks", problems
    if (
        "metadata" in args
        and args["metadata"] is not None
        and not _valid_metadata(args["metadata"])
    ):
        return "invalid_metadata_format", []
    return None


def _valid_metadata(metadata: object) -> bool:
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return False
    return (
        isinstance(metadata, dict)
        and isinstance(metadata.get("event_type"), str)
        and bool(metadata["event_type"])
        and isinstance(metadata.get("event_payload"), dict)
    )


def _texts(node: object) -> Iterator[object]:
    """Every text composition object's text, however deep (Slack requires 1+ characters)."""
    if isinstance(node, dict):
        if node.get("type") in ("plain_text", "mrkdwn") and "text" in node:
            yield node["text"]
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def _action_ids(block: dict[str, Any]) -> Iterator[str]:
    elements = block.get("elements") if block.get("type") == "actions" else None
    for element in [*(elements or []), block.get("accessory")]:
        if isinstance(element, dict) and isinstance(element.get("action_id"), str):
            yield element["action_id"]


# --- Views (modals and the App Home): views.open, views.push, views.update, views.publish ---

VIEW_METHODS = frozenset({"views.open", "views.push", "views.update", "views.publish"})
BLOCKS_PER_VIEW = 100
TRIGGER_SECONDS = 3.0  # a trigger_id opens a view only this long after the interaction
CHECKBOX_OPTIONS = 10
OPTIONS_PER_RESPONSE = 100  # an external select's options response
TEXT_INPUT_MAX_LENGTH = 3000
VIEW_BYTES = 250_000  # view_too_large beyond this
# Elements whose options are listed in the view, and where their initial choice is.
_LISTED_OPTIONS = {"static_select": "initial_option", "checkboxes": "initial_options"}


def view_problems(view: object) -> list[str]:
    """What Slack would say about a view passed to a views.* method: [] when it is valid.

    The view is parsed and validated by slack_sdk's `View` model, its blocks and elements by
    theirs (Slack's documented limits), plus the rules of the views reference that the models
    do not check."""
    if isinstance(view, str):
        if len(view.encode()) > VIEW_BYTES:
            return ["view_too_large"]
        try:
            view = json.loads(view)
        except ValueError:
            return ["view is not valid JSON"]
    if not isinstance(view, dict):
        return ["view must be an object"]
    try:
        parsed = View(**view)
        parsed.validate_json()
        parsed.to_dict()  # validates every block and element it holds
    except (SlackObjectFormationError, TypeError, ValueError, KeyError, AttributeError) as exc:
        return [f"{exc} [/view]"]
    problems = block_problems(view.get("blocks"), BLOCKS_PER_VIEW)
    kind = view["type"]
    blocks = [b for b in view.get("blocks") or [] if isinstance(b, dict)]
    inputs = [b for b in blocks if b.get("type") == "input"]
    if kind == "modal" and not view.get("title"):
        problems.append("a modal needs a title [/view/title]")
    if kind == "modal" and inputs and not view.get("submit"):
        problems.append("a modal with input blocks needs a submit button [/view/submit]")
    block_ids = Counter(str(b["block_id"]) for b in blocks if "block_id" in b)
    problems += [
        f"block_id {bid!r} is used {n} times [/view]" for bid, n in block_ids.items() if n > 1
    ]
    for index, block in enumerate(inputs):
        problems += [f"{p} [/view/blocks/input {index}]" for p in _input_problems(block)]
    return problems


def _input_problems(block: dict[str, Any]) -> list[str]:
    try:
        parsed = InputBlock(**block)
    except (TypeError, ValueError) as exc:
        return [str(exc)]
    if not isinstance(parsed.element, InputInteractiveElement):
        return [f"unknown input element {block.get('element')!r}"]
    element: dict[str, Any] = block["element"]
    kind = element.get("type")
    problems = []
    if kind in _LISTED_OPTIONS:
        options = element.get("options") or []
        problems += option_problems(options)
        if kind == "checkboxes" and len(options) > CHECKBOX_OPTIONS:
            problems.append(f"checkboxes take at most {CHECKBOX_OPTIONS} options")
        initial = element.get(_LISTED_OPTIONS[kind])
        chosen = initial if isinstance(initial, list) else [initial] if initial else []
        if any(option not in options for option in chosen):
            problems.append("an initial option must be one of the element's options")
    if kind == "external_select" and element.get("initial_option"):
        problems += option_problems([element["initial_option"]])
    if kind == "plain_text_input":
        longest = element.get("max_length")
        if longest is not None and not 0 < int(longest) <= TEXT_INPUT_MAX_LENGTH:
            problems.append(f"max_length must be 1 to {TEXT_INPUT_MAX_LENGTH}")
    if kind == "number_input":
        problems += _number_problems(element)
    return problems


def _number_problems(element: dict[str, Any]) -> list[str]:
    if not isinstance(element.get("is_decimal_allowed"), bool):
        return ["number_input needs is_decimal_allowed"]
    bounds = {k: element.get(k) for k in ("min_value", "initial_value", "max_value")}
    try:
        numbers = {k: float(v) for k, v in bounds.items() if v is not None}
    except (TypeError, ValueError):
        return ["number_input values must be numbers"]
    ordered = [numbers[k] for k in ("min_value", "initial_value", "max_value") if k in numbers]
    if ordered != sorted(ordered):
        return ["number_input needs min_value <= initial_value <= max_value"]
    return []


def option_problems(options: object) -> list[str]:
    """Option objects as a select lists them, or an options response returns them."""
    if not isinstance(options, list):
        return ["options must be a list"]
    problems = []
    for option in options:
        try:
            if not isinstance(option, dict) or not isinstance(option.get("text"), dict):
                raise ValueError(f"an option needs a plain_text text: {option!r}")
            Option(**option).validate_json()
        except (SlackObjectFormationError, TypeError, ValueError) as exc:
            problems.append(str(exc))
    return problems


def options_response_problems(body: object) -> list[str]:
    """What Slack would make of an app's answer to a block_suggestion request."""
    if not isinstance(body, dict) or not isinstance(body.get("options"), list):
        return ["the answer needs an options list"]
    options = body["options"]
    problems = option_problems(options)
    if len(options) > OPTIONS_PER_RESPONSE:
        problems.append(f"at most {OPTIONS_PER_RESPONSE} options")
    return problems


def submission_ack_problems(ack: object, view: dict[str, Any]) -> list[str]:
    """What Slack would make of an app's ack to a view_submission: [] when it is one it acts on
    (empty closes the modal; `errors` names input blocks of the view; `update` or `push` carry
    a valid view; `clear` closes every view)."""
    if ack in (None, "", {}):
        return []
    if not isinstance(ack, dict):
        return [f"the ack must be empty or a JSON object, not {ack!r}"]
    action = ack.get("response_action")
    if action == "errors":
        errors = ack.get("errors")
        inputs = {b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"}
        if not isinstance(errors, dict) or not errors:
            return ["errors must be an object naming at least one block"]
        return [
            f"errors name {block_id!r}, which is no input block of the view"
            for block_id, message in errors.items()
            if block_id not in inputs or not isinstance(message, str) or not message
        ]
    if action in ("update", "push"):
        return view_problems(ack.get("view"))
    if action == "clear":
        return []
    return [f"unknown response_action {action!r}"]
