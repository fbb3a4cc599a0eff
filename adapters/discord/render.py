"""Render the core's Reply as Discord embeds and a persistent view.

Discord speaks the same Markdown the core does, so text passes through; only the limits need
care (embed description 4096 characters, 6000 characters across a message's embeds, 10 embeds
a message, 5 buttons a row): long answers continue in further embeds and messages, never cut,
and every embed holds whole code fences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from adapters.discord.buttons import QuizButton
from bot.domain.replies import CodeBlock, Markdown, Reply, Tone
from bot.domain.splitting import split_at_breaks

DESCRIPTION_LIMIT = 4096
MESSAGE_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
TITLE_LIMIT = 256
PARAGRAPH = "\n\n"

_COLOURS = {
    Tone.QUESTION: discord.Colour.blurple(),
    Tone.ANSWER: discord.Colour.purple(),
    Tone.SUCCESS: discord.Colour.green(),
    Tone.ERROR: discord.Colour.red(),
    Tone.INFO: discord.Colour.light_grey(),
}


@dataclass
class DiscordMessage:
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None


def render(reply: Reply) -> list[DiscordMessage]:
    pieces = _descriptions(reply)
    embeds: list[discord.Embed] = []
    for index, piece in enumerate(pieces):
        embed = discord.Embed(description=piece, colour=_COLOURS[reply.tone])
        if index == 0:
            if reply.title:
                embed.title = _clip(reply.title, TITLE_LIMIT)
            if reply.subtitle:
                embed.set_author(name=_clip(reply.subtitle, TITLE_LIMIT))
        embeds.append(embed)
    messages = _pack(embeds)
    if reply.buttons:
        messages[-1].view = view_for(reply)
    return messages


def view_for(reply: Reply) -> discord.ui.View:
    """A persistent view: no timeout, and every button's custom id carries its meaning."""
    view = discord.ui.View(timeout=None)
    for index, button in enumerate(reply.buttons):
        view.add_item(QuizButton.build(button, row=index // 5))
    return view


def _descriptions(reply: Reply) -> list[str]:
    """The reply's text in embed-sized pieces: paragraphs and code blocks packed in order.

    Code is split apart from prose, so every piece holds whole fences: a code block too long
    for one embed is closed and reopened with its language at line (preferably blank-line)
    breaks."""
    units: list[str] = []
    for block in reply.blocks:
        if isinstance(block, Markdown):
            units += _prose_units(block.text)
        elif isinstance(block, CodeBlock):
            units += _code_units(block)
    return _join_up_to(units, DESCRIPTION_LIMIT) or ["\u200b"]


def _prose_units(text: str) -> list[str]:
    paragraphs = [p for p in text.split(PARAGRAPH) if p.strip()]
    return [piece for p in paragraphs for piece in split_at_breaks(p, DESCRIPTION_LIMIT)]


def _code_units(block: CodeBlock) -> list[str]:
    opening, closing = f"```{block.language}\n", "\n```"
    room = DESCRIPTION_LIMIT - len(opening) - len(closing)
    return [f"{opening}{piece}{closing}" for piece in split_at_breaks(block.code, room)]


def _join_up_to(units: list[str], limit: int) -> list[str]:
    """Consecutive units joined by blank lines, as many to a piece as fit within `limit`."""
    pieces: list[str] = []
    for unit in units:
        if pieces and len(pieces[-1]) + len(PARAGRAPH) + len(unit) <= limit:
            pieces[-1] += PARAGRAPH + unit
        else:
            pieces.append(unit)
    return pieces


def _pack(embeds: list[discord.Embed]) -> list[DiscordMessage]:
    messages = [DiscordMessage()]
    size = 0
    for embed in embeds:
        length = len(embed)
        current = messages[-1]
        if current.embeds and (
            size + length > MESSAGE_LIMIT or len(current.embeds) == EMBEDS_PER_MESSAGE
        ):
            messages.append(DiscordMessage())
            size = 0
        messages[-1].embeds.append(embed)
        size += length
    return messages


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
