"""Persistent buttons: the custom id is `action|value`, so a click needs no stored view state.

Registered as a DynamicItem in setup_hook, a button from before a restart still works after it.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from adapters.discord.handlers import ButtonHandler
from bot.domain.replies import Button, ButtonStyle

CUSTOM_ID_LIMIT = 100
LABEL_LIMIT = 80
SEPARATOR = "|"
_STYLES = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
    ButtonStyle.DEFAULT: discord.ButtonStyle.secondary,
}


def custom_id(button: Button) -> str:
    value = f"{button.action_id}{SEPARATOR}{button.value}"
    if len(value) > CUSTOM_ID_LIMIT:
        raise ValueError(f"custom id longer than Discord allows: {value!r}")
    return value


class QuizButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=re.compile(r"(?P<action>quizbot\.[a-z]+)\|(?P<value>.*)"),
):
    def __init__(self, action_id: str, value: str, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)
        self.action_id = action_id
        self.value = value

    @classmethod
    def build(cls, button: Button, *, row: int = 0) -> QuizButton:
        label = button.label if len(button.label) <= LABEL_LIMIT else button.label[:79] + "…"
        item: discord.ui.Button[Any] = discord.ui.Button(
            label=label, style=_STYLES[button.style], custom_id=custom_id(button), row=row
        )
        return cls(button.action_id, button.value, item)

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> QuizButton:
        assert isinstance(item, discord.ui.Button)
        return cls(match["action"], match["value"], item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler: ButtonHandler = interaction.client
        await handler.on_button(interaction, self.action_id, self.value)
