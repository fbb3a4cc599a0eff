"""The Discord client: commands synced at start, persistent buttons, replies as embeds."""

from __future__ import annotations

import io
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.buttons import QuizButton
from adapters.discord.commands import pack_group
from adapters.discord.render import render
from bot.domain.content import Pack
from bot.domain.context import Actor, Context, Place
from bot.domain.replies import Reply
from bot.quizbot import Quizbot

PLATFORM = "discord"


def point_at(api_url: str, gateway_url: str) -> None:
    """discord.py reads its endpoints from class attributes; this is the one place we set them."""
    Route.BASE = api_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


class QuizbotClient(discord.Client):
    def __init__(
        self, quizbot: Quizbot, *, admin_ids: frozenset[str], guild_id: int | None
    ) -> None:
        super().__init__(intents=discord.Intents(guilds=True))
        self.quizbot = quizbot
        self._admin_ids = admin_ids
        self._guild_id = guild_id
        self.tree = app_commands.CommandTree(self)
        for pack in quizbot.packs:
            self.tree.add_command(pack_group(self, pack))

    async def setup_hook(self) -> None:
        self.add_dynamic_items(QuizButton)
        if self._guild_id is not None:
            guild = discord.Object(id=self._guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    def context(self, interaction: discord.Interaction[Any]) -> Context:
        user = interaction.user
        permissions = interaction.permissions
        is_admin = permissions.manage_channels or str(user.id) in self._admin_ids
        channel = interaction.channel
        name = getattr(channel, "name", None) or str(interaction.channel_id)
        return Context(
            Actor(PLATFORM, str(user.id), user.display_name, is_admin=is_admin),
            Place(
                PLATFORM, str(interaction.channel_id), name, is_direct=interaction.guild_id is None
            ),
        )

    async def run_text(self, interaction: discord.Interaction[Any], pack: Pack, text: str) -> None:
        reply = await self.quizbot.handle_text(self.context(interaction), pack.command, text)
        await self.send(interaction, reply)

    async def on_button(
        self, interaction: discord.Interaction[Any], action_id: str, value: str
    ) -> None:
        reply = await self.quizbot.handle_action(self.context(interaction), action_id, value)
        await self.send(interaction, reply)

    async def send(self, interaction: discord.Interaction[Any], reply: Reply) -> None:
        """Answer the interaction; a reply too long for one message continues in follow-ups."""
        first, *rest = render(reply)
        files = [discord.File(io.BytesIO(f.data), filename=f.filename) for f in reply.files]
        await interaction.response.send_message(
            embeds=first.embeds,
            view=first.view or discord.utils.MISSING,
            ephemeral=reply.private,
            files=files or discord.utils.MISSING,
        )
        for message in rest:
            await interaction.followup.send(
                embeds=message.embeds,
                view=message.view or discord.utils.MISSING,
                ephemeral=reply.private,
            )
