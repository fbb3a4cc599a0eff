"""The whole bot in Discord: app commands and buttons in, embeds and callbacks out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.discord.posting import DiscordPostingPort
from bot.domain.subscriptions import PersonAddress
from bot.presenters.progress import reminder_reply
from tests.adapters.discord.conftest import (
    ADMIN,
    MEMBER,
    DiscordHarness,
    as_message,
    private,
    reply_of,
    shown,
)
from tests.adapters.discord.standin import CHANNEL_ID, GUILD_ID, autocomplete


async def test_question_then_reveal_then_grade(discord_bot: DiscordHarness) -> None:
    question = await discord_bot.command("question", number=3)
    assert private(reply_of(question))
    assert "Question 3" in shown(question)
    assert "What does an event loop do?" in shown(question)
    (row,) = as_message(question)["components"]
    reveal, write = row["components"]
    assert reveal["custom_id"] == "quizbot.reveal|mini:event-loop"
    assert write["custom_id"] == "quizbot.write|mini:event-loop"

    answer = await discord_bot.press(as_message(question), "Reveal answer")
    assert "Key points" in shown(answer)
    labels = [c["label"] for c in as_message(answer)["components"][0]["components"]]
    assert labels == ["Knew it", "Partly", "Missed"]
    graded = await discord_bot.press(as_message(answer), "Partly")
    assert "Recorded **partly** for question 3" in shown(graded)


async def test_stats_top_review_help_and_bad_input(discord_bot: DiscordHarness) -> None:
    question = await discord_bot.command("question", number=1)
    answer = await discord_bot.press(as_message(question), "Reveal answer")
    await discord_bot.press(as_message(answer), "Knew it")
    stats = await discord_bot.command("stats")
    assert "**1** graded: 1 knew it" in shown(stats)
    assert private(reply_of(stats))
    top = await discord_bot.command("top")
    assert not private(reply_of(top))  # the leaderboard is public
    assert "1. **Bob**: 1 graded, recall 100%" in shown(top)
    assert "Due for review" not in shown(await discord_bot.command("review"))
    assert "/mini-quiz subscribe" in shown(await discord_bot.command("help"))
    assert "There is no question 99" in shown(await discord_bot.command("question", number=99))
    assert "No junior async questions" in shown(
        await discord_bot.command("question", level="junior", topic="async")
    )


async def test_member_without_manage_channels_is_refused(discord_bot: DiscordHarness) -> None:
    refused = await discord_bot.command("subscribe", MEMBER, time="09:00", timezone="UTC")
    assert "Only channel admins" in shown(refused)
    assert private(reply_of(refused))
    assert "no daily question" in shown(await discord_bot.command("schedule"))
    done = await discord_bot.command("subscribe", ADMIN, time="09:00", timezone="Europe/Berlin")
    assert "09:00 Europe/Berlin, every day" in shown(done)
    assert not private(reply_of(done))  # the channel's new setting is news for everyone


async def test_daily_post_thread_private_and_public_reveal(discord_bot: DiscordHarness) -> None:
    await discord_bot.command("subscribe", ADMIN, time="09:00", timezone="UTC")
    nine = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    assert (await discord_bot.runtime.poster.post_due(nine + timedelta(minutes=1))).posted == 1
    (post,) = discord_bot.standin.channel_messages
    assert post["channel_id"] == CHANNEL_ID
    assert "Question of the day: #" in shown(post)
    (thread,) = discord_bot.standin.threads
    assert thread["id"] == post["id"]

    revealed = await discord_bot.press(post, "Reveal answer", MEMBER)
    assert private(reply_of(revealed))
    assert "Key points" in shown(revealed)

    confirm = await discord_bot.command("reveal", ADMIN)
    assert "Posted the answer" in shown(confirm)
    await discord_bot.standin.wait_for(lambda: len(discord_bot.standin.channel_messages) == 2)
    in_thread = discord_bot.standin.channel_messages[1]
    assert in_thread["channel_id"] == thread["id"]
    assert "Key points" in shown(in_thread)


async def test_commands_are_synced_to_the_guild_with_subcommands(
    discord_bot: DiscordHarness,
) -> None:
    ((guild, commands),) = discord_bot.standin.synced
    assert guild == GUILD_ID
    (group,) = commands
    assert group["name"] == "mini-quiz"
    names = {option["name"] for option in group["options"]}
    assert names == {
        "question",
        "answer",
        "mock",
        "review",
        "stats",
        "top",
        "level",
        "subscribe",
        "unsubscribe",
        "schedule",
        "reveal",
        "help",
        "timezone",
        "remind",
        "export",
        "forget-me",
    }


async def test_every_synced_subcommand_and_option_has_a_real_description(
    discord_bot: DiscordHarness,
) -> None:
    """discord.py fills a missing description with `…`, which Discord shows as the help text
    (issue 13: `top period`, `remind switch` and `level level`)."""
    ((_guild, commands),) = discord_bot.standin.synced

    def described(node: dict[str, Any], path: str) -> Iterator[tuple[str, str]]:
        yield path, node["description"]
        for option in node.get("options", []):
            yield from described(option, f"{path} {option['name']}")

    descriptions = dict(d for command in commands for d in described(command, command["name"]))
    assert "mini-quiz top period" in descriptions
    assert len(descriptions) >= 1 + 16 + 17  # the group, its subcommands, their options
    placeholders = [path for path, text in descriptions.items() if text.strip() in ("", "…")]
    assert placeholders == []


async def test_number_and_topic_autocomplete(discord_bot: DiscordHarness) -> None:
    standin = discord_bot.standin
    await standin.send_interaction(
        autocomplete("mini-quiz", "question", "number", "", MEMBER, "ac-1")
    )
    await standin.wait_for(lambda: len(standin.callbacks) == 1)
    choices = standin.callbacks[0]["data"]["choices"]
    assert standin.callbacks[0]["type"] == 8
    assert [c["value"] for c in choices] == [1, 2, 3, 4, 5, 6]
    assert choices[2]["name"].startswith("3. What does an event loop do?")
    await standin.send_interaction(
        autocomplete("mini-quiz", "question", "topic", "rou", MEMBER, "ac-2")
    )
    await standin.wait_for(lambda: len(standin.callbacks) == 2)
    assert standin.callbacks[1]["data"]["choices"] == [{"name": "routing", "value": "routing"}]


async def test_level_unsubscribe_and_another_question(discord_bot: DiscordHarness) -> None:
    assert "now **senior**" in shown(await discord_bot.command("level", level="senior"))
    question = await discord_bot.command("question")
    assert "Senior" in shown(question)
    answer = await discord_bot.press(as_message(question), "Reveal answer")
    graded = await discord_bot.press(as_message(answer), "Knew it")
    another = await discord_bot.press(as_message(graded), "Another question")
    assert "Senior" in shown(another)
    assert private(reply_of(another))

    await discord_bot.command(
        "subscribe",
        ADMIN,
        time="08:30",
        timezone="Asia/Tokyo",
        weekdays="weekdays",
        level="mid",
        reveal="17:00",
    )
    schedule = shown(await discord_bot.command("schedule"))
    assert "08:30 Asia/Tokyo, Monday to Friday" in schedule
    assert "posted in the thread at 17:00" in schedule
    assert "Only channel admins" in shown(await discord_bot.command("unsubscribe", MEMBER))
    stopped = await discord_bot.command("unsubscribe", ADMIN)
    assert "Stopped the daily question" in shown(stopped)
    assert not private(reply_of(stopped))
    nothing = await discord_bot.command("unsubscribe", ADMIN)
    assert "no daily question to stop" in shown(nothing)
    assert private(reply_of(nothing))


async def test_level_and_remind_without_an_option_show_the_setting(
    discord_bot: DiscordHarness,
) -> None:
    """Like the console and Slack, leaving the option out shows the setting (issue 13)."""
    assert "usual level is **any**" in shown(await discord_bot.command("level"))
    assert "Reminders are **off**" in shown(await discord_bot.command("remind"))
    assert "Reminders are **on**" in shown(await discord_bot.command("remind", switch="on"))
    still_on = await discord_bot.command("remind")
    assert "Reminders are **on**" in shown(still_on)
    assert "remind off" in shown(still_on)
    assert private(reply_of(still_on))
    await discord_bot.command("level", level="mid")
    assert "usual level is **mid**" in shown(await discord_bot.command("level"))


async def test_export_is_attached_privately_and_forget_me_confirms(
    discord_bot: DiscordHarness,
) -> None:
    question = await discord_bot.command("question", number=2)
    answer = await discord_bot.press(as_message(question), "Reveal answer")
    await discord_bot.press(as_message(answer), "Knew it")
    exported = await discord_bot.command("export")
    assert private(reply_of(exported))
    ((name, data),) = discord_bot.standin.files
    assert [a["filename"] for a in reply_of(exported)["attachments"]] == [name]
    assert name.startswith("quizbot-export-discord-")
    assert json.loads(data)["attempts"][0]["question_id"] == "path-params"
    prompt = await discord_bot.command("forget-me")
    done = await discord_bot.press(as_message(prompt), "Delete all my data")
    assert "Deleted everything" in shown(done)
    assert "stores nothing about you" in shown(await discord_bot.command("export"))


async def test_reminder_is_a_direct_message(discord_bot: DiscordHarness) -> None:
    port = DiscordPostingPort(discord_bot.runner.client)
    await port.notify(
        PersonAddress("discord", MEMBER["user"]["id"]), reminder_reply(2, "mini-quiz")
    )
    (dm,) = discord_bot.standin.channel_messages
    assert dm["channel_id"].startswith("9")
    assert "Your streak of 2 days ends at midnight" in shown(dm)
