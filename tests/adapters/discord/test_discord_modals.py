"""Forms as Discord modals, through the real discord.py client and the stand-in: "Write my
answer", and the channel's daily question by `/mini-quiz subscribe` with no options or the "Set
up daily question" button. The stand-in refuses any modal that breaks Discord's rules
(limits.py) and any that comes after a defer or after 3 s, so a shown modal is a valid one."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import select

from adapters.discord.answering import FORM_TOO_LATE
from adapters.discord.posting import DiscordPostingPort
from bot.composition import build_runtime
from bot.config import Settings
from bot.storage.schema import attempts, exposures, subscriptions
from tests.adapters.discord import limits
from tests.adapters.discord.conftest import (
    ADMIN,
    MEMBER,
    DiscordHarness,
    as_message,
    private,
    reply_of,
    shown,
    start_client,
)
from tests.adapters.discord.lifecycle import DEFERRED_MESSAGE, MODAL, InteractionRecord
from tests.adapters.discord.modal_client import NotSubmittable, fields_of
from tests.adapters.discord.standin import DiscordStandIn, member
from tests.adapters.discord.test_discord_deadline import slow_database

ANSWER = "answer|Your answer"
WHEN = "post_time+timezone|Post at"
DAYS = "days|Days"
LEVEL = "level|Level"
REVEAL = "reveal_time|Post the answer at"
TEAM = "team|Team size"
# The admin again, after someone took Manage Channels away from them.
ADMIN_DEMOTED = member(ADMIN["user"]["id"], ADMIN["user"]["username"])


def a_valid_modal(record: InteractionRecord) -> dict[str, Any]:
    assert record.response_type == MODAL
    assert record.modal is not None
    assert limits.modal_errors(record.modal) == {}
    assert record.messages == []
    return record.modal


def defaults(field: dict[str, Any]) -> list[str]:
    return [option["value"] for option in field["options"] if option.get("default")]


async def saved_subscriptions(harness: DiscordHarness) -> list[Any]:
    async with harness.runtime.engine.connect() as connection:
        return list((await connection.execute(select(subscriptions))).all())


async def test_write_my_answer_in_a_modal_then_grade_it(discord_bot: DiscordHarness) -> None:
    question = await discord_bot.command("question", number=3)
    opened = await discord_bot.press(as_message(question), "Write my answer")
    modal = a_valid_modal(opened)
    assert modal["title"] == "Write my answer"
    assert modal["custom_id"] == "form|answer|mini:event-loop"
    assert modal["components"][0] == {"type": 10, "content": "**3. What does an event loop do?**"}
    answer = fields_of(modal)[ANSWER]
    assert (answer["type"], answer["style"], answer["max_length"]) == (4, 2, 3000)
    assert answer["shown_label"] == "Your answer"
    # discord.py keeps no modal object waiting: the submission is read from its ids alone.
    assert not discord_bot.runner.client._connection._view_store._modals

    written = await discord_bot.submit(
        opened, {ANSWER: "The event loop runs many tasks on one thread."}
    )
    assert private(reply_of(written))
    text = shown(written)
    assert "Key points you covered:" in text
    assert "> The event loop runs many tasks on one thread." in text
    (suggested,) = [line for line in text.splitlines() if line.startswith("Suggested grade: ")]
    label = suggested.removeprefix("Suggested grade: ")
    graded = await discord_bot.press(as_message(written), label)
    assert "Recorded **" in shown(graded)
    assert "for question 3" in shown(graded)
    async with discord_bot.runtime.engine.connect() as connection:
        assert len((await connection.execute(select(attempts.c.grade))).all()) == 1
    assert discord_bot.standin.refusals == []


async def test_an_answer_too_long_for_the_modal_cannot_be_submitted(
    discord_bot: DiscordHarness,
) -> None:
    """Discord's client holds a modal to its own max_length, so the 3,000 is kept before the
    core sees anything; only whitespace gets through as "empty", and is refused."""
    question = await discord_bot.command("question", number=3)
    opened = await discord_bot.press(as_message(question), "Write my answer")
    with pytest.raises(NotSubmittable, match="3001 characters"):
        await discord_bot.submit(opened, {ANSWER: "x" * 3001})
    blank = await discord_bot.submit(opened, {ANSWER: "   "})
    assert private(reply_of(blank))
    assert "Nothing was saved" in shown(blank)
    assert "**Your answer** (you entered `   `): Write your answer here first." in shown(blank)
    async with discord_bot.runtime.engine.connect() as connection:
        written = (await connection.execute(select(exposures.c.written_answer))).all()
        graded = (await connection.execute(select(attempts))).all()
    assert all(answer is None for (answer,) in written)
    assert graded == []


async def test_subscribe_through_the_modal_and_see_it_in_schedule(
    discord_bot: DiscordHarness,
) -> None:
    opened = await discord_bot.command("subscribe", ADMIN)
    modal = a_valid_modal(opened)
    assert modal["custom_id"] == "form|subscribe|mini"
    assert len(modal["components"]) == 5  # six settings: the time and its timezone share one
    fields = fields_of(modal)
    assert list(fields) == [WHEN, DAYS, LEVEL, REVEAL, TEAM]
    assert fields[WHEN]["value"] == "09:00 UTC"
    assert defaults(fields[DAYS]) == ["mon", "tue", "wed", "thu", "fri"]
    assert defaults(fields[LEVEL]) == ["any"]
    assert "value" not in fields[REVEAL]
    assert fields[TEAM]["value"] == "2"

    done = await discord_bot.submit(
        opened,
        {
            WHEN: "08:30 Europe/Berlin",
            DAYS: ["mon", "wed", "fri"],
            LEVEL: ["senior"],
            REVEAL: "17:00",
            TEAM: "3",
        },
        ADMIN,
    )
    assert not private(reply_of(done))  # the channel's new setting is news for everyone
    assert "Daily question subscribed" in shown(done)
    schedule = await discord_bot.command("schedule")
    text = shown(schedule)
    assert "08:30 Europe/Berlin" in text
    assert "Mon, Wed, Fri" in text or "Monday, Wednesday, Friday" in text, text
    assert "17:00" in text

    # "Change the schedule" opens the same modal on what was saved.
    again = await discord_bot.press(as_message(schedule), "Change the schedule", ADMIN)
    fields = fields_of(a_valid_modal(again))
    assert fields[WHEN]["value"] == "08:30 Europe/Berlin"
    assert defaults(fields[DAYS]) == ["mon", "wed", "fri"]
    assert defaults(fields[LEVEL]) == ["senior"]
    assert fields[REVEAL]["value"] == "17:00"
    assert fields[TEAM]["value"] == "3"
    assert discord_bot.standin.refusals == []


async def test_an_invalid_field_is_named_with_what_was_typed_and_nothing_is_saved(
    discord_bot: DiscordHarness,
) -> None:
    empty = await discord_bot.command("schedule")
    opened = await discord_bot.press(as_message(empty), "Set up daily question", ADMIN)
    a_valid_modal(opened)
    refused = await discord_bot.submit(
        opened, {WHEN: "25:00 Mars/Olympus", REVEAL: "17:00", TEAM: "0"}, ADMIN
    )
    assert [private(m) for m in refused.messages] == [True]
    text = shown(refused)
    assert "Nothing was saved" in text
    lines = text.splitlines()
    (when,) = [line for line in lines if line.startswith("- **Post at**")]
    assert "(you entered `25:00 Mars/Olympus`)" in when
    assert "`25:00` is not a time of day" in when
    assert "`Mars/Olympus` is not a timezone I know" in when
    (team,) = [line for line in lines if line.startswith("- **Team size**")]
    assert "(you entered `0`)" in team
    assert "from 1 to 100" in team
    assert not [line for line in lines if "Post the answer at" in line]  # 17:00 was fine
    assert await saved_subscriptions(discord_bot) == []
    assert "no daily question" in shown(await discord_bot.command("schedule"))


async def test_only_members_who_manage_channels_open_or_submit_it(
    discord_bot: DiscordHarness,
) -> None:
    refused = await discord_bot.command("subscribe", MEMBER)
    assert refused.modal is None
    assert private(reply_of(refused))
    assert "Only channel admins" in shown(refused)
    empty = await discord_bot.command("schedule")
    pressed = await discord_bot.press(as_message(empty), "Set up daily question", MEMBER)
    assert pressed.modal is None
    assert "Only channel admins" in shown(pressed)

    # Opened while allowed; Manage Channels taken away before submitting.
    opened = await discord_bot.command("subscribe", ADMIN)
    a_valid_modal(opened)
    late = await discord_bot.submit(opened, {WHEN: "08:00 UTC"}, ADMIN_DEMOTED)
    assert private(reply_of(late))
    assert "Nothing was saved" in shown(late)
    assert "Only channel admins" in shown(late)
    assert await saved_subscriptions(discord_bot) == []


async def test_typed_subscribe_keeps_working_and_any_option_means_typed(
    discord_bot: DiscordHarness,
) -> None:
    half = await discord_bot.command("subscribe", ADMIN, timezone="Europe/Berlin")
    assert half.modal is None
    assert private(reply_of(half))
    assert await saved_subscriptions(discord_bot) == []
    done = await discord_bot.command("subscribe", ADMIN, time="07:15", timezone="UTC")
    assert done.modal is None
    assert "07:15 UTC" in shown(done)


async def test_a_modal_submitted_after_a_restart_still_works(
    discord_settings: Settings, standin: DiscordStandIn
) -> None:
    port = DiscordPostingPort()
    runtime = await build_runtime(discord_settings, rng=random.Random(2), ports={"discord": port})
    runner = await start_client(discord_settings, runtime, port)
    harness = DiscordHarness(standin, runtime, runner)
    question = await harness.command("question", number=3)
    opened = await harness.press(as_message(question), "Write my answer")
    a_valid_modal(opened)
    await runner.stop()

    harness.runner = await start_client(discord_settings, runtime, port)
    try:
        written = await harness.submit(opened, {ANSWER: "Tasks take turns on one thread."})
        assert "Key points you covered:" in shown(written)
    finally:
        await harness.runner.stop()
        await runtime.aclose()


async def test_a_core_too_slow_for_a_modal_sends_the_typed_way_privately(
    discord_bot: DiscordHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The channel-settings form reads a row; behind a database slower than Discord's 3 s the
    interaction is deferred, and a modal can no longer follow. "Write my answer" reads nothing,
    so its modal still opens in time."""
    question = await discord_bot.command("question", number=3)
    slow_database(monkeypatch, 3.2)
    opened = await discord_bot.press(as_message(question), "Write my answer")
    a_valid_modal(opened)

    record = await discord_bot.command("subscribe", ADMIN)
    await discord_bot.standin.wait_for(lambda: record.answered, 20)
    assert record.response_type == DEFERRED_MESSAGE
    assert record.modal is None
    assert [private(m) for m in record.messages] == [True]
    text = shown(record)
    assert FORM_TOO_LATE in text
    assert "/mini-quiz subscribe 09:00 Europe/Berlin" in text
    assert discord_bot.standin.refusals == []
