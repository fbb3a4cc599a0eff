"""A person's own settings: usual level, timezone, reminders."""

from __future__ import annotations

from bot.domain.content import Pack
from bot.domain.replies import (
    Reply,
    Tone,
    text_reply,
)
from bot.usecases.progress import LevelSetting


def level_reply(setting: LevelSetting, pack: Pack) -> Reply:
    name = setting.level.value if setting.level else "any"
    if setting.changed:
        text = f"Your usual level is now **{name}**. `/{pack.command}` will use it."
    else:
        text = (
            f"Your usual level is **{name}**. Change it with "
            f"`/{pack.command} level junior|mid|senior|any`."
        )
    return text_reply(text, tone=Tone.SUCCESS if setting.changed else Tone.INFO)


def timezone_reply(zone: str | None, *, changed: bool, pack: Pack) -> Reply:
    if changed and zone:
        text = f"Your timezone is now **{zone}**: your streak days follow it from now on."
    elif changed:
        text = "Cleared your timezone: streak days follow the channel's timezone again."
    elif zone:
        text = f"Your timezone is **{zone}**. Change it with `/{pack.command} timezone Area/City`."
    else:
        text = (
            "You have not set a timezone, so streak days follow the channel's. "
            f"Set one with `/{pack.command} timezone Europe/Berlin`."
        )
    return text_reply(text, tone=Tone.SUCCESS if changed else Tone.INFO)


def remind_reply(on: bool, pack: Pack, *, changed: bool = True) -> Reply:
    if on:
        text = (
            "Reminders are **on**: when your streak is at risk, you get a private nudge "
            "four hours before your day ends."
        )
        if not changed:
            text += f" Turn them off with `/{pack.command} remind off`."
    else:
        text = f"Reminders are **off**. Turn them on with `/{pack.command} remind on`."
    return text_reply(text, tone=Tone.SUCCESS if changed else Tone.INFO)
