"""Render the neutral reply model as terminal text."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from bot.domain.replies import Button, CodeBlock, Markdown, Reply, Tone

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_RULE = "─" * 60


@dataclass(frozen=True)
class Style:
    """ANSI styling for a real terminal; plain text when piped."""

    color: bool

    def bold(self, text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if self.color else text

    def dim(self, text: str) -> str:
        return f"\x1b[2m{text}\x1b[0m" if self.color else text

    def tone(self, text: str, tone: Tone) -> str:
        codes = {Tone.ERROR: "31", Tone.SUCCESS: "32", Tone.QUESTION: "36", Tone.ANSWER: "35"}
        code = codes.get(tone)
        return f"\x1b[{code};1m{text}\x1b[0m" if self.color and code else text


def render_markdown(text: str, style: Style) -> str:
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = _BOLD.sub(lambda m: style.bold(m.group(1)), text)
    return _ITALIC.sub(lambda m: m.group(1), text)


def render_reply(reply: Reply, style: Style) -> str:
    lines: list[str] = [_RULE]
    if reply.title:
        lines.append(style.tone(reply.title, reply.tone))
    elif reply.tone is Tone.ERROR:
        lines.append(style.tone("Sorry", reply.tone))
    if reply.subtitle:
        lines.append(style.dim(reply.subtitle))
    for block in reply.blocks:
        lines.append("")
        if isinstance(block, Markdown):
            lines.append(render_markdown(block.text, style))
        elif isinstance(block, CodeBlock):
            label = f"  ┌ {block.language}" if block.language else "  ┌"
            lines.append(style.dim(label))
            lines.append(textwrap.indent(block.code, "  │ ", lambda _line: True))
            lines.append(style.dim("  └"))
    if reply.buttons:
        lines.append("")
        lines.append(render_buttons(reply.buttons))
    return "\n".join(lines)


def render_buttons(buttons: tuple[Button, ...]) -> str:
    return "   ".join(f"[{i}] {b.label}" for i, b in enumerate(buttons, start=1))
