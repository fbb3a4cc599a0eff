"""A full disk as people on Discord meet it: every command and click still gets a private reply
saying nothing was saved, each failure is one log line with the database's own words (no
traceback), and not a row changes."""

from __future__ import annotations

import logging

import pytest

from tests.adapters.discord.conftest import ADMIN as DISCORD_ADMIN
from tests.adapters.discord.conftest import DiscordHarness, as_message, private, shown
from tests.faults import FULL, SORRY, disk_full, row_counts


def failures(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_discord_on_a_full_disk(
    discord_bot: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    question = await discord_bot.command("question", number=3)
    answer = await discord_bot.press(as_message(question), "Reveal answer")
    engine = discord_bot.runtime.engine
    before = await row_counts(engine)
    caplog.set_level(logging.WARNING)
    with disk_full(engine):
        records = [
            await discord_bot.command("question", level="junior"),
            await discord_bot.command("question", number=2),
            await discord_bot.press(as_message(question), "Reveal answer"),
            await discord_bot.press(as_message(answer), "Knew it"),
            await discord_bot.command("level", level="mid"),
            await discord_bot.command("timezone", timezone="Europe/Berlin"),
            await discord_bot.command("remind", switch="on"),
            await discord_bot.command("subscribe", DISCORD_ADMIN, time="09:00", timezone="UTC"),
        ]
    for record in records:
        (message,) = record.messages
        assert private(message)
        assert SORRY in shown(message)
    assert await row_counts(engine) == before
    logged = failures(caplog)
    assert len(logged) == 8
    assert all(FULL[engine.dialect.name] in r.getMessage() for r in logged)
    assert all(r.exc_info is None for r in logged)
