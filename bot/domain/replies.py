"""The reply model every adapter renders natively (Block Kit, embeds, terminal text).

Text is neutral Markdown: **bold**, *italic*, `code`, lists, [links](url). Code is kept apart in
`CodeBlock`s so that each platform can fence, split or colour it its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.forms import Form


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


class Tone(StrEnum):
    INFO = "info"
    QUESTION = "question"
    ANSWER = "answer"
    SUCCESS = "success"
    ERROR = "error"


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    value: str
    style: ButtonStyle = ButtonStyle.DEFAULT


@dataclass(frozen=True)
class Markdown:
    text: str


@dataclass(frozen=True)
class CodeBlock:
    code: str
    language: str = ""


Block = Markdown | CodeBlock


@dataclass(frozen=True)
class Attachment:
    """A file that goes with a reply: uploaded on Slack and Discord, saved by the console."""

    filename: str
    data: bytes
    title: str = ""


@dataclass(frozen=True)
class Reply:
    blocks: tuple[Block, ...]
    title: str | None = None
    subtitle: str | None = None
    buttons: tuple[Button, ...] = ()
    private: bool = True
    in_thread: bool = False
    tone: Tone = Tone.INFO
    files: tuple[Attachment, ...] = ()
    # Belongs in the person's direct messages with the app (Slack's Messages tab), where a
    # conversation of several turns stays readable; elsewhere private replies already are.
    direct: bool = False
    # A form to open instead of a message (Slack and Discord modals, console prompts); the
    # blocks are what a platform that cannot open it now shows instead.
    form: Form | None = None

    @property
    def plain_text(self) -> str:
        """Everything readable in one string: for notifications, logs and tests."""
        parts = [p for p in (self.title, self.subtitle) if p]
        parts += [b.text if isinstance(b, Markdown) else b.code for b in self.blocks]
        return "\n\n".join(parts)


def text_reply(text: str, *, tone: Tone = Tone.INFO, title: str | None = None) -> Reply:
    return Reply(blocks=(Markdown(text),), tone=tone, title=title)


_FENCE = re.compile(r"^```[ \t]*([^\n`]*)\n(.*?)^```[ \t]*$", re.S | re.M)


def markdown_blocks(text: str) -> tuple[Block, ...]:
    """Split Markdown into prose and code blocks; the fence's first word is the language."""
    blocks: list[Block] = []
    position = 0
    for match in _FENCE.finditer(text):
        prose = text[position : match.start()].strip()
        if prose:
            blocks.append(Markdown(prose))
        info = match.group(1).split()
        blocks.append(CodeBlock(match.group(2).rstrip("\n"), info[0] if info else ""))
        position = match.end()
    tail = text[position:].strip()
    if tail:
        blocks.append(Markdown(tail))
    return tuple(blocks)
