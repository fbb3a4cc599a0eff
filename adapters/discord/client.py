"""The Discord client: commands synced at start, persistent buttons, replies as embeds, forms
as modals whose submissions are read from their ids alone (adapters.discord.modals)."""

from __future__ import annotations

import logging
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord.answering import Answerer
from adapters.discord.buttons import QuizButton
from adapters.discord.commands import pack_group
from adapters.discord.modals import Submission, errors_reply, read_submission
from bot.domain import actions
from bot.domain.content import Pack
from bot.domain.context import Actor, Context, Place
from bot.domain.forms import FieldErrors
from bot.domain.replies import Reply
from bot.quizbot import Quizbot

PLATFORM = "discord"
# Buttons whose reply is a form (unless the core refuses): they may answer with a modal.
FORM_ACTIONS = frozenset({actions.WRITE, actions.SETUP})

log = logging.getLogger(__name__)


def point_at(api_url: str, gateway_url: str) -> None:
    """discord.py reads its endpoints from class attributes; this is the one place we set them.
    It also warns at every start that voice libraries are missing: we use no voice."""
    Route.BASE = api_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


class QuizbotClient(discord.Client):
    def __init__(
        self,
        quizbot: Quizbot,
        *,
        admin_ids: frozenset[str],
        guild_id: int | None,
        answerer: Answerer | None = None,
    ) -> None:
        super().__init__(intents=discord.Intents(guilds=True))
        self.quizbot = quizbot
        self.answerer = answerer or Answerer()
        self._admin_ids = admin_ids
        self._guild_id = guild_id
        self.tree = app_commands.CommandTree(self)
        self.tree.error(self._on_command_error)
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

    async def run_text(
        self,
        interaction: discord.Interaction[Any],
        pack: Pack,
        text: str,
        *,
        may_open_form: bool = False,
    ) -> None:
        await self.answerer.answer(
            interaction,
            lambda: self.quizbot.handle_text(self.context(interaction), pack.command, text),
            may_open_form=may_open_form,
        )

    async def on_button(
        self, interaction: discord.Interaction[Any], action_id: str, value: str
    ) -> None:
        await self.answerer.answer(
            interaction,
            lambda: self.quizbot.handle_action(self.context(interaction), action_id, value),
            may_open_form=action_id in FORM_ACTIONS,
        )

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """A submitted modal of ours. discord.py hands a submission to the modal object it
        kept, and we keep none (a restart would lose it), so it is read here from its ids."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        submission = read_submission(dict(interaction.data or {}))
        if submission is None:
            return
        await self.answerer.answer(interaction, lambda: self._submit(interaction, submission))

    async def _submit(self, interaction: discord.Interaction[Any], submission: Submission) -> Reply:
        result = await self.quizbot.submit_form(
            self.context(interaction), submission.kind, submission.state, submission.values
        )
        return errors_reply(submission, result) if isinstance(result, FieldErrors) else result

    async def _on_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """discord.py failed before our command ran (an option it could not convert, a command
        that changed since the client synced): still an answer for the person."""
        log.error("Discord command failed before reaching Quizbot", exc_info=error)
        await self.answerer.apologise(interaction)
