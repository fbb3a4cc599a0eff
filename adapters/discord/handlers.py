"""What buttons and slash commands hand their interaction to.

The client implements both; naming them here lets buttons and commands depend on this small
contract instead of on the client that builds them, so imports point one way.
"""

from __future__ import annotations

from typing import Any, Protocol

import discord

from bot.domain.content import Pack


class ButtonHandler(Protocol):
    async def on_button(
        self, interaction: discord.Interaction[Any], action_id: str, value: str
    ) -> None: ...


class CommandHandler(Protocol):
    async def run_text(
        self,
        interaction: discord.Interaction[Any],
        pack: Pack,
        text: str,
        *,
        may_open_form: bool = False,
    ) -> None: ...
