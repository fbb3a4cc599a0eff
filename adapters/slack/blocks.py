"""Render the core's Reply as Block Kit messages, within Slack's limits.

Limits (Block Kit reference): 50 blocks a message, 1 to 3000 characters of section text,
150 characters of header text, 75 of button text, 2000 of button value, action ids unique
within a message. Long answers become several sections (and, past 50 blocks, several
messages), never cut. A message's `text` (notifications, screen readers) is the reply as plain
words, clipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adapters.slack.mrkdwn import clip_words, escape, split_code, split_text, to_mrkdwn, to_plain
from bot.domain.replies import Button, ButtonStyle, CodeBlock, Markdown, Reply, Tone

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
BLOCKS_PER_MESSAGE = 50
FALLBACK_LIMIT = 300
ACTION_SEPARATOR = "#"

_TONE_ICON = {Tone.ERROR: ":warning: ", Tone.SUCCESS: ":white_check_mark: "}


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[dict[str, Any]]


def render(reply: Reply) -> list[SlackMessage]:
    body: list[dict[str, Any]] = []
    if reply.title:
        title = _TONE_ICON.get(reply.tone, "") + reply.title
        body.append(
            {"type": "header", "text": {"type": "plain_text", "text": _clip(title, HEADER_LIMIT)}}
        )
    if reply.subtitle:
        body.append({"type": "context", "elements": [_mrkdwn(to_mrkdwn(reply.subtitle))]})
    for index, block in enumerate(reply.blocks):
        if isinstance(block, Markdown):
            text = to_mrkdwn(block.text)
            if index == 0 and not reply.title:
                text = _TONE_ICON.get(reply.tone, "") + text
            body += [_section(p) for p in split_text(text, SECTION_LIMIT) if p.strip()]
        elif isinstance(block, CodeBlock):
            body += [_section(piece) for piece in split_code(block.code, SECTION_LIMIT)]
    if reply.buttons:
        body.append(
            {"type": "actions", "elements": [_button(i, b) for i, b in enumerate(reply.buttons)]}
        )
    fallback = _fallback(reply)
    chunks = [body[i : i + BLOCKS_PER_MESSAGE] for i in range(0, len(body), BLOCKS_PER_MESSAGE)]
    return [SlackMessage(fallback, chunk) for chunk in chunks] or [SlackMessage(fallback, [])]


def action_id_of(slack_action_id: str) -> str:
    """Undo the per-button suffix that keeps action ids unique within a message."""
    return slack_action_id.rsplit(ACTION_SEPARATOR, 1)[0]


def _fallback(reply: Reply) -> str:
    """The message's `text`: what notifications and screen readers say. Plain words rather
    than Markdown's markers, clipped (at FALLBACK_LIMIT visible characters) before escaping so
    that no entity is cut."""
    parts = [reply.title or "", to_plain(reply.subtitle or "")]
    parts += [to_plain(b.text) if isinstance(b, Markdown) else b.code for b in reply.blocks]
    return escape(clip_words("\n\n".join(p for p in parts if p.strip()), FALLBACK_LIMIT))


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _button(index: int, button: Button) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": _clip(button.label, BUTTON_TEXT_LIMIT)},
        "action_id": f"{button.action_id}{ACTION_SEPARATOR}{index}",
        "value": button.value,
    }
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = button.style.value
    return element


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
