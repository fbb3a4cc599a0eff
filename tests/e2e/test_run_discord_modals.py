"""`quizbot run` against the Discord stand-in: a channel subscribed through the modal (a refused
field first, which saves nothing), and "Write my answer" from a question's button to the reply."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import select

from bot.storage.schema import channels, exposures, subscriptions
from tests.adapters.discord import limits
from tests.adapters.discord.conftest import (
    ADMIN,
    MEMBER,
    DiscordMembers,
    as_message,
    private,
    reply_of,
    shown,
)
from tests.adapters.discord.lifecycle import MODAL, InteractionRecord
from tests.adapters.discord.standin import CHANNEL_ID, DiscordStandIn
from tests.e2e.process import Quizbot, stopped_cleanly
from tests.e2e.rows import rows
from tests.e2e.seen import discord_env

WHEN = "post_time+timezone|Post at"
DAYS = "days|Days"
TEAM = "team|Team size"
ANSWER = "answer|Your answer"
SAVED = select(
    channels.c.platform_channel_id,
    subscriptions.c.post_time,
    subscriptions.c.timezone,
    subscriptions.c.weekdays,
    subscriptions.c.team_threshold,
).join(channels, subscriptions.c.channel_id == channels.c.id)


@asynccontextmanager
async def serving(
    tmp_path: Path, discord: DiscordStandIn, database_url: str
) -> AsyncIterator[tuple[Quizbot, DiscordMembers]]:
    """`quizbot run` connected to the stand-in's gateway, and the server's members using it;
    stopped with SIGTERM on the way out (the test checks how it ended)."""
    bot = Quizbot(["run"], discord_env(database_url, discord), tmp_path).start()
    try:
        await bot.wait_for_output("Stop with Ctrl-C.")
        yield bot, DiscordMembers(discord)
        await bot.stop()
    finally:
        if bot.process is not None and bot.process.poll() is None:
            bot.kill()


def a_modal(record: InteractionRecord) -> None:
    assert record.response_type == MODAL
    assert record.modal is not None
    assert limits.modal_errors(record.modal) == {}


async def test_subscribe_through_the_modal(tmp_path: Path, discord: DiscordStandIn) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"
    async with serving(tmp_path, discord, database_url) as (bot, members):
        opened = await members.command("subscribe", ADMIN)
        a_modal(opened)
        refused = await members.submit(opened, {WHEN: "25:00 Europe/Berlin", TEAM: "3"}, ADMIN)
        assert [private(m) for m in refused.messages] == [True]
        assert "Nothing was saved" in shown(refused)
        assert "`25:00` is not a time of day" in shown(refused)
        assert await rows(database_url, SAVED) == []

        done = await members.submit(
            opened, {WHEN: "08:30 Europe/Berlin", DAYS: ["mon", "fri"], TEAM: "3"}, ADMIN
        )
        assert not private(reply_of(done))
        assert "Daily question subscribed" in shown(done)
        assert await rows(database_url, SAVED) == [
            (CHANNEL_ID, "08:30", "Europe/Berlin", "mon,fri", 3)
        ]
    stopped_cleanly(bot)
    assert discord.refusals == []


async def test_write_my_answer_through_the_modal(tmp_path: Path, discord: DiscordStandIn) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"
    written = "The event loop runs many tasks on one thread."
    async with serving(tmp_path, discord, database_url) as (bot, members):
        question = await members.command("question", MEMBER, number=3)
        opened = await members.press(as_message(question), "Write my answer")
        a_modal(opened)
        reply = await members.submit(opened, {ANSWER: written})
    stopped_cleanly(bot)
    assert private(reply_of(reply))
    lines = shown(reply).splitlines()
    assert len([line for line in lines if line.startswith("Suggested grade: ")]) == 1
    assert await rows(database_url, select(exposures.c.written_answer)) == [(written,)]
    assert discord.refusals == []
