"""Every interaction acknowledged within Discord's 3 seconds, however long its reply takes.

A reply that is ready while the interaction is younger than ANSWER_WITHIN_SECONDS is the response
itself. Otherwise the interaction is deferred as a private "thinking…" message, which the reply
then replaces. A deferred message keeps the defer's visibility, so a public reply that comes after
one is posted as a follow-up and the private placeholder says where it went. Files always travel
with a private message. At most WORK_AT_ONCE core calls run at a time: a burst then leaves the
event loop free to send acknowledgements instead of queueing them behind the work.

A reply that carries a form opens it as a modal. A modal can only be the first response, never
after a defer, so an interaction that may open one (a "Write my answer" or "Set up daily
question" button, `subscribe` with no options) waits up to FORM_WITHIN_SECONDS before deferring,
and does not queue behind other work: opening a form reads at most one row. If the core is later
still, the deferred reply is the form's text instead, with a note saying why.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import discord
from discord.utils import MISSING

from adapters.discord.modals import modal_for
from adapters.discord.render import DiscordMessage, render
from bot.domain.replies import Attachment, Markdown, Reply
from bot.presenters import general as general_replies

log = logging.getLogger(__name__)

WORK_AT_ONCE = 6
ANSWER_WITHIN_SECONDS = 1.0
# Discord allows 3 s; what is left covers sending the modal.
FORM_WITHIN_SECONDS = 2.0
FORM_TOO_LATE = "The form took too long to open here, so this is the typed way to do the same."
PUBLIC_NOTE = "Posted in the channel for everyone."
SEND_FAILED = "Something went wrong on our side while sending the reply. Please try again."
UNKNOWN_INTERACTION = 10062

MakeReply = Callable[[], Awaitable[Reply]]


class Answerer:
    def __init__(
        self,
        *,
        work_at_once: int = WORK_AT_ONCE,
        answer_within: float = ANSWER_WITHIN_SECONDS,
        form_within: float = FORM_WITHIN_SECONDS,
    ) -> None:
        self._working = asyncio.Semaphore(work_at_once)
        self._answer_within = answer_within
        self._form_within = form_within

    async def answer(
        self,
        interaction: discord.Interaction[Any],
        make_reply: MakeReply,
        *,
        may_open_form: bool = False,
    ) -> None:
        """Never raises: whatever fails is logged once and the person is told, privately."""
        work = asyncio.ensure_future(self._reply(interaction, make_reply, queue=not may_open_form))
        budget = self._form_within if may_open_form else self._answer_within
        done, _ = await asyncio.wait({work}, timeout=self._time_left(interaction, budget))
        if work in done:
            await self._send(Delivery(interaction), work.result())
            return
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        except Exception:
            log.exception("Discord %s: could not defer", _describe(interaction))
            await work  # finishes the work; its reply can no longer reach anyone
            return
        await self._send(Delivery(interaction, deferred=True), await work)

    async def apologise(self, interaction: discord.Interaction[Any]) -> None:
        """For a failure before the core was reached; the caller has logged it."""
        await self._send(Delivery(interaction), general_replies.failure_reply())

    async def _reply(
        self, interaction: discord.Interaction[Any], make_reply: MakeReply, *, queue: bool
    ) -> Reply:
        """The core's reply, or the apology if it raised (logged here, once)."""
        if not queue:
            return await self._run(interaction, make_reply)
        async with self._working:
            return await self._run(interaction, make_reply)

    @staticmethod
    async def _run(interaction: discord.Interaction[Any], make_reply: MakeReply) -> Reply:
        try:
            return await make_reply()
        except Exception:
            log.exception("Discord %s failed", _describe(interaction))
            return general_replies.failure_reply()

    async def _send(self, delivery: Delivery, reply: Reply) -> None:
        try:
            await delivery.send(reply)
        except Exception as exc:
            if isinstance(exc, discord.NotFound) and exc.code == UNKNOWN_INTERACTION:
                log.error("Discord %s: answered too late", _describe(delivery.interaction))
                return
            log.exception("Discord %s: the reply was not sent", _describe(delivery.interaction))
            try:
                await delivery.send_private_text(SEND_FAILED)
            except Exception as again:
                log.error(
                    "Discord %s: could not say so either: %s",
                    _describe(delivery.interaction),
                    again,
                )

    @staticmethod
    def _time_left(interaction: discord.Interaction[Any], budget: float) -> float:
        """Measured from the interaction's creation (its snowflake), so time spent reaching us
        counts; a clock that runs ahead only makes us defer sooner."""
        age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
        return max(0.0, budget - max(0.0, age))


class Delivery:
    """One interaction's messages: the response or the deferred placeholder, then follow-ups."""

    def __init__(self, interaction: discord.Interaction[Any], *, deferred: bool = False) -> None:
        self.interaction = interaction
        self._placeholder = deferred  # a private "thinking…" message waits to be replaced

    async def send(self, reply: Reply) -> None:
        if reply.form is not None:
            response = self.interaction.response
            modal = None if self._placeholder or response.is_done() else modal_for(reply.form)
            if modal is not None:
                await response.send_modal(modal)
                return
            reply = _instead_of_form(reply, late=self._placeholder)
        messages = render(reply)
        files, notice = self._fitting_files(reply.files)
        if reply.private:
            first, *rest = messages
            await self._first(first, files, notice, private=True)
            for message in rest:
                await self._followup(message, private=True)
        elif self._placeholder:
            # The placeholder is private: it keeps the note and any files; the reply follows.
            await self._first(DiscordMessage(), files, _join(PUBLIC_NOTE, notice), private=True)
            for message in messages:
                await self._followup(message, private=False)
        else:
            first, *rest = messages
            await self._first(first, [], "", private=False)
            for message in rest:
                await self._followup(message, private=False)
            if files or notice:
                await self._first(DiscordMessage(), files, notice, private=True)

    async def send_private_text(self, text: str) -> None:
        await self._first(DiscordMessage(), [], text, private=True)

    async def _first(
        self, message: DiscordMessage, files: list[Attachment], content: str, *, private: bool
    ) -> None:
        """Replaces the placeholder if there is one, else is the response; a follow-up once
        either has happened."""
        interaction = self.interaction
        if self._placeholder:
            self._placeholder = False
            await interaction.edit_original_response(
                content=content or None,
                embeds=message.embeds,
                view=message.view,
                attachments=_discord_files(files),
            )
        elif not interaction.response.is_done():
            await interaction.response.send_message(
                content=content or None,
                embeds=message.embeds,
                view=message.view or MISSING,
                files=_discord_files(files),
                ephemeral=private,
            )
        else:
            await interaction.followup.send(
                content=content or MISSING,
                embeds=message.embeds,
                view=message.view or MISSING,
                files=_discord_files(files),
                ephemeral=private,
            )

    async def _followup(self, message: DiscordMessage, *, private: bool) -> None:
        await self.interaction.followup.send(
            embeds=message.embeds, view=message.view or MISSING, ephemeral=private
        )

    def _fitting_files(self, files: tuple[Attachment, ...]) -> tuple[list[Attachment], str]:
        """Files within this interaction's upload limit, and a note about any that are not."""
        limit = self.interaction.filesize_limit
        fitting = [f for f in files if len(f.data) <= limit]
        notes = [
            f"**{f.filename}** is too large to attach here ({_megabytes(len(f.data))}; "
            f"Discord allows {_megabytes(limit)})."
            for f in files
            if len(f.data) > limit
        ]
        return fitting, "\n".join(notes)


def _instead_of_form(reply: Reply, *, late: bool) -> Reply:
    """The form's text, privately: the typed way to do what the form does."""
    note = (Markdown(FORM_TOO_LATE),) if late else ()
    return replace(reply, blocks=note + reply.blocks, form=None, private=True)


def _discord_files(files: list[Attachment]) -> list[discord.File]:
    """Fresh objects for every request: discord.py reads a File's stream as it sends it."""
    return [discord.File(io.BytesIO(f.data), filename=f.filename) for f in files] or MISSING


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _describe(interaction: discord.Interaction[Any]) -> str:
    what = interaction.command.qualified_name if interaction.command else interaction.custom_id
    return (
        f"interaction {interaction.id} ({what or interaction.type.name}) by {interaction.user.id}"
    )
