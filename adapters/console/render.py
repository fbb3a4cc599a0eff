"""Render the neutral reply model for a terminal, with Rich.

Rich wraps prose at word boundaries to the terminal's width, keeps list items hanging and code
inside its margin, and highlights code when the terminal shows colour. Piped output is plain
text: no escape codes, 80 columns, and inline code kept between backticks (with no colour to
mark it, the backticks are what tells it apart). Links are written out as `text (url)`
everywhere: a terminal without OSC 8 hyperlinks would otherwise hide the address.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.markdown import Markdown as RichMarkdown
from rich.rule import Rule
from rich.segment import Segment
from rich.syntax import Syntax
from rich.text import Text
from rich.theme import Theme

from bot.domain.replies import Button, CodeBlock, Markdown, Reply, Tone

PIPED_WIDTH = 80
_CODE_THEME = "ansi_dark"  # the terminal's own palette, readable on dark and light backgrounds
_THEME = Theme({"markdown.code": "bold cyan", "markdown.code_block": "cyan"})
_TONES = {
    Tone.ERROR: "bold red",
    Tone.SUCCESS: "bold green",
    Tone.QUESTION: "bold cyan",
    Tone.ANSWER: "bold magenta",
    Tone.INFO: "bold",
}


@dataclass(frozen=True)
class Style:
    """What the output can show: colour (a real terminal) or plain text (piped), and its width
    in columns; None follows the terminal's width as it is at each reply."""

    color: bool
    width: int | None = PIPED_WIDTH

    def columns(self) -> int:
        if self.width is not None:
            return self.width
        return shutil.get_terminal_size((PIPED_WIDTH, 24)).columns


def style_for(stream: TextIO) -> Style:
    """Colour and the terminal's width on a terminal (unless NO_COLOR is set); plain text at
    80 columns when piped or redirected."""
    if stream.isatty():
        return Style(color=not os.environ.get("NO_COLOR"), width=None)
    return Style(color=False)


class _Prose(RichMarkdown):
    """Rich's Markdown, read the way Slack and Discord read our replies: a newline is a line
    break, HTML is text like any other, and without colour inline code keeps its backticks."""

    _parser = MarkdownIt("commonmark", {"html": False}).enable("strikethrough").enable("table")

    def __init__(self, text: str, *, color: bool) -> None:
        super().__init__(text, code_theme=_CODE_THEME, justify="default", hyperlinks=False)
        self.parsed = self._parser.parse(text)
        for token in _inline_tokens(self.parsed):
            if token.type == "softbreak":
                token.type = "hardbreak"
            elif token.type == "code_inline" and not color:
                token.content = f"`{token.content}`"


def _inline_tokens(tokens: Iterable[Token]) -> Iterable[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _inline_tokens(token.children)


@dataclass(frozen=True)
class _CodeFrame:
    """A code block two columns in, behind a `│` rule that runs down every line, wrapped ones
    too, between a `┌ language` label and a `└`."""

    block: CodeBlock

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        margin = Segment("  ")
        rule = Segment("│ ", console.get_style("dim"))
        label = f"┌ {self.block.language}" if self.block.language else "┌"
        yield Text(f"  {label}", style="dim", no_wrap=True, overflow="ellipsis")
        syntax = Syntax(
            self.block.code,
            self.block.language or "text",
            theme=_CODE_THEME,
            word_wrap=True,
            background_color="default",
        )
        inner = options.update_width(max(options.max_width - 4, 20))
        for line in console.render_lines(syntax, inner, pad=False):
            yield margin
            yield rule
            yield from line
            yield Segment.line()
        yield Text("  └", style="dim")


def render_reply(reply: Reply, style: Style) -> str:
    parts: list[RenderableType] = [Rule(style="dim")]
    title = reply.title or ("Sorry" if reply.tone is Tone.ERROR else None)
    if title:
        parts.append(Text(title, style=_TONES[reply.tone]))
    if reply.subtitle:
        parts.append(Text(reply.subtitle, style="dim"))
    for block in reply.blocks:
        parts.append(Text())
        if isinstance(block, Markdown):
            parts.append(_Prose(block.text, color=style.color))
        else:
            parts.append(_CodeFrame(block))
    if reply.buttons:
        parts += [Text(), buttons_text(reply.buttons)]
    return _render(parts, style)


def render_line(text: str, style: Style, *, dim: bool = False) -> str:
    """A line of our own (a header, a note), wrapped like everything else."""
    return _render([Text(text, style="dim" if dim else "")], style)


def render_field(
    label: str, current: str, notes: Iterable[str], options: Iterable[str], style: Style
) -> str:
    """A form field as the console asks for it: the label in bold with the value that Enter
    keeps in brackets, then its hint and help lines, dim, then its options, numbered."""
    heading = Text()
    heading.append(label, style="bold")
    if current:
        heading.append(f" [{current}]")
    parts: list[RenderableType] = [Text(), heading]
    parts += [Text(f"  {note}", style="dim") for note in notes]
    parts += _packed(list(options), style.columns())
    return _render(parts, style)


def _packed(options: list[str], columns: int) -> list[Text]:
    """Numbered options, as many to a line as fit, never one broken across two lines."""
    lines: list[Text] = []
    line = Text("  ")
    for index, option in enumerate(options, start=1):
        entry = f"[{index}] {option}"
        gap = "   " if len(line) > 2 else ""
        if len(line) > 2 and len(line) + len(gap) + len(entry) > columns:
            lines.append(line)
            line, gap = Text("  "), ""
        line.append(gap)
        line.append(f"[{index}]", style="bold")
        line.append(entry[len(f"[{index}]") :])
    if len(line) > 2:
        lines.append(line)
    return lines


def buttons_text(buttons: tuple[Button, ...]) -> Text:
    text = Text()
    for index, button in enumerate(buttons, start=1):
        if index > 1:
            text.append("   ")
        text.append(f"[{index}]", style="bold")
        text.append(f" {button.label}")
    return text


def _render(parts: list[RenderableType], style: Style) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=style.columns(),
        force_terminal=style.color,
        no_color=not style.color,
        color_system="auto" if style.color else None,
        theme=_THEME,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    for part in parts:
        console.print(part)
    lines = out.getvalue().splitlines()
    return "\n".join(line.rstrip() if not style.color else line for line in lines)
