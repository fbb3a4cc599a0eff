"""Render the core's Reply as Discord embeds and a persistent view.

Discord speaks the same Markdown the core does, so text passes through; only the limits need
care (embed description 4096 characters, 6000 characters across a message's embeds, 10 embeds
a message, 5 buttons a row): long answers continue in further embeds and messages, never cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import discord

from adapters.discord.buttons import QuizButton
from bot.domain.replies import CodeBlock, Markdown, Reply, Tone

DESCRIPTION_LIMIT = 4096
MESSAGE_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
TITLE_LIMIT = 256

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
    pieces = _split(_body(reply), DESCRIPTION_LIMIT)
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


def _body(reply: Reply) -> str:
    parts: list[str] = []
    for block in reply.blocks:
        if isinstance(block, Markdown):
            parts.append(block.text)
        elif isinstance(block, CodeBlock):
            parts.append(f"```{block.language}\n{block.code}\n```")
    return "\n\n".join(parts) or "\u200b"


def _split(text: str, limit: int) -> list[str]:
    """At paragraph breaks where possible; a code fence cut in two is closed and reopened."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while len(paragraph) > limit:
            cut = paragraph.rfind("\n", 0, limit - 8)
            cut = cut if cut > 0 else limit - 8
            head, paragraph = paragraph[:cut], paragraph[cut:].lstrip("\n")
            if head.count("```") % 2:
                head, paragraph = head + "\n```", "```\n" + paragraph
            chunks.append(head)
        current = paragraph
    chunks.append(current)
    return chunks


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
