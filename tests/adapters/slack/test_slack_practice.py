"""Answer practice in Slack: a written answer through the slash command, and a whole mock
interview that moves to the app's Messages tab, through the real Bolt app and the stand-in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.storage.schema import attempts, mock_interviews
from tests.adapters.slack.conftest import MEMBER, SECRET, SlackHarness, texts
from tests.adapters.slack.standin import action_body, command_body, sign

DM = f"D{MEMBER}"  # the stand-in's id for the bot's direct messages with MEMBER


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def next_dm(slack: SlackHarness, seen: int) -> dict[str, Any]:
    await slack.standin.wait_for(lambda: len(slack.standin.messages.get(DM, [])) > seen)
    return slack.standin.messages[DM][-1]


def dm_count(slack: SlackHarness) -> int:
    return len(slack.standin.messages.get(DM, []))


async def click_in_dm(slack: SlackHarness, message: dict[str, Any], label: str) -> dict[str, Any]:
    (button,) = [b for b in buttons(message) if b["text"]["text"] == label]
    seen = dm_count(slack)
    body = action_body(
        button["action_id"], button["value"], MEMBER, DM, slack.standin.response_url()
    )
    assert await slack.post(body, sign(SECRET, body)) == 200
    return await next_dm(slack, seen)


async def command_in_dm(slack: SlackHarness, text: str) -> dict[str, Any]:
    seen = dm_count(slack)
    body = command_body("/mini-quiz", text, MEMBER, DM, slack.standin.response_url())
    assert await slack.post(body, sign(SECRET, body)) == 200
    return await next_dm(slack, seen)


async def test_a_written_answer_shows_coverage_and_a_suggested_grade(slack: SlackHarness) -> None:
    reply = await slack.command("answer 3 The event loop runs many tasks on one thread.")
    assert reply["response_type"] == "ephemeral"
    shown = texts(reply)
    assert "*Key points you covered:" in shown
    assert "> The event loop runs many tasks on one thread." in shown
    suggested = [line for line in shown.splitlines() if line.startswith("Suggested grade: ")]
    assert len(suggested) == 1
    grade_buttons = buttons(reply)
    assert [b["text"]["text"] for b in grade_buttons] == ["Knew it", "Partly", "Missed"]
    primary = [b["text"]["text"] for b in grade_buttons if b.get("style") == "primary"]
    assert primary == [suggested[0].removeprefix("Suggested grade: ")]
    graded = await slack.click(reply, "Partly")
    assert "Recorded *partly* for question 3" in texts(graded)
    async with slack.runtime.engine.connect() as connection:
        row = (await connection.execute(select(attempts))).one()
    assert row.written_answer == "The event loop runs many tasks on one thread."


async def test_a_whole_mock_interview_in_the_messages_tab(slack: SlackHarness) -> None:
    seen = dm_count(slack)
    pointer = await slack.command("mock 2")
    assert "direct messages with Quizbot" in texts(pointer)
    assert pointer["response_type"] == "ephemeral"
    first = await next_dm(slack, seen)
    assert "Mock interview: question 1 of 2" in texts(first)

    written = await command_in_dm(slack, "answer It runs tasks one at a time on one thread.")
    assert "Mock interview: your answer to question 1 of 2" in texts(written)
    labels = [b["text"]["text"] for b in buttons(written)]
    assert labels == ["Knew it", "Partly", "Missed", "Skip"]

    second = await click_in_dm(slack, written, "Partly")
    assert "Mock interview: question 2 of 2" in texts(second)
    assert "Recorded *partly*" in texts(second)
    summary = await click_in_dm(slack, second, "Skip")
    shown = texts(summary)
    assert "Mock interview: summary" in shown
    assert "Partly" in shown
    assert "skipped" in shown
    assert "*Total time:*" in shown

    async with slack.runtime.engine.connect() as connection:
        grades = (await connection.execute(select(attempts.c.grade))).all()
        (state,) = (await connection.execute(select(mock_interviews.c.state))).one()
    assert grades == [("partly",)]
    assert state == "finished"
    assert slack.standin.refusals == []


async def test_a_mock_question_slack_refuses_to_put_in_direct_messages_comes_here(
    slack: SlackHarness,
) -> None:
    slack.standin.fail_next = 1  # chat.postMessage into the DM answers channel_not_found
    reply = await slack.command("mock 2")
    assert reply["response_type"] == "ephemeral"
    assert "Mock interview: question 1 of 2" in texts(reply)
    assert [b["text"]["text"] for b in buttons(reply)] == ["Skip", "End interview"]
    assert dm_count(slack) == 0
