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
from slack_sdk.models.blocks import Block

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


def block_problems(blocks: object) -> list[str]:
    """What Slack would say about a message's blocks: [] when they are valid.

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
    if len(blocks) > BLOCKS_PER_MESSAGE:
        problems.append(f"no more than {BLOCKS_PER_MESSAGE} items allowed [/blocks]")
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
