"""Answer practice in Discord: `answer` with a number, and a whole mock interview in
ephemeral replies, through the real discord.py client and the stand-in."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.schema import attempts, mock_interviews
from tests.adapters.discord.conftest import (
    DiscordHarness,
    as_message,
    private,
    reply_of,
    shown,
)

PRIMARY = 1


def button_labels(message: dict[str, object]) -> list[str]:
    rows = message["components"]
    assert isinstance(rows, list)
    return [item["label"] for row in rows for item in row["components"]]


async def test_a_written_answer_shows_coverage_and_a_suggested_grade(
    discord_bot: DiscordHarness,
) -> None:
    record = await discord_bot.command(
        "answer", number=3, text="The event loop runs many tasks on one thread."
    )
    message = reply_of(record)
    assert private(message)
    text = shown(record)
    assert "Key points you covered:" in text
    assert "> The event loop runs many tasks on one thread." in text
    (suggested,) = [line for line in text.splitlines() if line.startswith("Suggested grade: ")]
    reply = as_message(record)
    assert button_labels(reply) == ["Knew it", "Partly", "Missed"]
    primary = [
        item["label"]
        for row in reply["components"]
        for item in row["components"]
        if item["style"] == PRIMARY
    ]
    assert primary == [suggested.removeprefix("Suggested grade: ")]
    graded = await discord_bot.press(reply, "Missed")
    assert "Recorded **missed** for question 3" in shown(graded)


async def test_a_whole_mock_interview_in_ephemeral_replies(discord_bot: DiscordHarness) -> None:
    first = await discord_bot.command("mock", questions=2)
    assert private(reply_of(first))
    assert "Mock interview: question 1 of 2" in shown(first)
    assert button_labels(as_message(first)) == ["Skip", "End interview"]

    written = await discord_bot.command("answer", text="Tasks take turns on a single thread.")
    assert "Mock interview: your answer to question 1 of 2" in shown(written)
    assert button_labels(as_message(written)) == ["Knew it", "Partly", "Missed", "Skip"]

    second = await discord_bot.press(as_message(written), "Knew it")
    assert "Mock interview: question 2 of 2" in shown(second)
    assert private(reply_of(second))
    summary = await discord_bot.press(as_message(second), "End interview")
    text = shown(summary)
    assert "Mock interview: summary" in text
    assert "Knew it" in text
    assert "not answered" in text

    async with discord_bot.runtime.engine.connect() as connection:
        grades = (await connection.execute(select(attempts.c.grade))).all()
        (state,) = (await connection.execute(select(mock_interviews.c.state))).one()
    assert grades == [("knew",)]
    assert state == "ended"
