"""Help, and what a person sees when they typed something wrong or we failed."""

from __future__ import annotations

from bot.domain.content import Pack
from bot.domain.replies import (
    Block,
    Markdown,
    Reply,
    Tone,
    text_reply,
)


def help_reply(pack: Pack, usage: str) -> Reply:
    return Reply(
        title=pack.title,
        blocks=(
            Markdown(pack.description) if pack.description else Markdown(pack.title),
            Markdown(usage),
            Markdown(f"Topics: {', '.join(f'`{t}`' for t in pack.topics)}"),
        ),
    )


def failure_reply(*, saved: bool | None = False) -> Reply:
    """Our fault, not the person's: private. `saved` False when we know nothing was stored
    (a failed transaction), None when we cannot tell (a bug)."""
    nothing = " and nothing was saved" if saved is False else ""
    return text_reply(
        f"Something went wrong on our side{nothing}. Please try again.", tone=Tone.ERROR
    )


def error_reply(message: str, usage: str | None = None) -> Reply:
    blocks: tuple[Block, ...] = (Markdown(message),)
    if usage:
        blocks += (Markdown(f"**Usage:** {usage}"),)
    return Reply(blocks=blocks, tone=Tone.ERROR)
