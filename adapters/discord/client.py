"""The Discord client: commands synced at start, persistent buttons, replies as embeds, forms
as modals whose submissions are read from their ids alone (adapters.discord.modals).

A bot in more servers than one gateway session may hold (2,500) runs discord.py's own
AutoShardedClient instead (`ShardedQuizbotClient`), the same handlers over several sessions;
`make_client` picks one from the settings.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
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
    """One gateway session, which receives every server's events."""

    def __init__(
        self,
        quizbot: Quizbot,
        *,
        admin_ids: frozenset[str],
        guild_id: int | None,
        answerer: Answerer | None = None,
        **client_options: Any,
    ) -> None:
        super().__init__(intents=discord.Intents(guilds=True), **client_options)
        self.quizbot = quizbot
        self.answerer = answerer or Answerer()
        self._admin_ids = admin_ids
        self._guild_id = guild_id
        self.tree = app_commands.CommandTree(self)
        self.tree.error(self._on_command_error)
        for pack in quizbot.packs:
            self.tree.add_command(pack_group(self, pack))

    @property
    def registers_commands(self) -> bool:
        """Whether this process syncs the slash commands at start."""
        return True

    @property
    def shards_held(self) -> str | None:
        """Which shards this process holds, for the start-up line; None without sharding."""
        return None

    async def setup_hook(self) -> None:
        self.add_dynamic_items(QuizButton)
        if not self.registers_commands:
            log.info("Slash commands are synced by the process that holds shard 0")
            return
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


class ShardedQuizbotClient(QuizbotClient, discord.AutoShardedClient):
    """The same bot on discord.py's AutoShardedClient: this process opens a session for each
    of `shard_ids` (all of `shard_count` when None), and Discord sends each session the events
    of the servers whose `(guild_id >> 22) % shard_count` is its shard. Other processes hold the
    other shards; posting goes over REST, which needs no session, so any process can post to any
    channel."""

    def __init__(
        self,
        quizbot: Quizbot,
        *,
        shard_count: int,
        shard_ids: Sequence[int] | None,
        admin_ids: frozenset[str],
        guild_id: int | None,
        answerer: Answerer | None = None,
    ) -> None:
        super().__init__(
            quizbot,
            admin_ids=admin_ids,
            guild_id=guild_id,
            answerer=answerer,
            shard_count=shard_count,
            shard_ids=None if shard_ids is None else list(shard_ids),
        )

    @property
    def registers_commands(self) -> bool:
        """Commands are the application's, not a shard's: one process syncs them, the one
        holding shard 0 (which also receives direct messages, so it always runs)."""
        return self.shard_ids is None or 0 in self.shard_ids

    @property
    def shards_held(self) -> str:
        assert self.shard_count is not None
        held = list(self.shard_ids) if self.shard_ids is not None else range(self.shard_count)
        spans = _spans(sorted(held))
        noun = "shard" if len(held) == 1 else "shards"
        return f"{noun} {spans} of {self.shard_count}"


def _spans(numbers: Sequence[int]) -> str:
    """[0, 1, 2, 5] as `0-2,5`, the way DISCORD_SHARD_IDS is written."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def make_client(
    quizbot: Quizbot,
    *,
    admin_ids: frozenset[str],
    guild_id: int | None,
    shard_count: int | None = None,
    shard_ids: Sequence[int] | None = None,
    answerer: Answerer | None = None,
) -> QuizbotClient:
    """A plain client unless a shard count is given (DISCORD_SHARD_COUNT)."""
    if shard_count is None:
        return QuizbotClient(quizbot, admin_ids=admin_ids, guild_id=guild_id, answerer=answerer)
    return ShardedQuizbotClient(
        quizbot,
        shard_count=shard_count,
        shard_ids=shard_ids,
        admin_ids=admin_ids,
        guild_id=guild_id,
        answerer=answerer,
    )
