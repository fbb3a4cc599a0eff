"""One app command group per pack, `/fastapi-quiz <subcommand>`, with typed options.

Options are translated into the pack command's text form, which the core parses: the same
rules as Slack and the console, and the same friendly errors. `subscribe` with no options at all
asks for the channel-settings form, which opens as a modal.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice

from adapters.discord.handlers import CommandHandler
from bot.content.schema import MAX_QUESTION_NUMBER
from bot.domain.commands import Period
from bot.domain.content import Level, Pack
from bot.domain.coverage import WRITTEN_ANSWER_LIMIT
from bot.domain.mock import DEFAULT_MOCK_LENGTH, MAX_MOCK_LENGTH
from bot.domain.schedule import timezones_matching

LEVELS = [Choice(name=level.value, value=level.value) for level in Level]
PERIODS = [Choice(name=period.value, value=period.value) for period in Period]
AUTOCOMPLETE_LIMIT = 25


def pack_group(client: CommandHandler, pack: Pack) -> app_commands.Group:
    group = app_commands.Group(name=pack.command, description=pack.title[:100])

    async def run(interaction: discord.Interaction[Any], *words: str | None) -> None:
        await client.run_text(interaction, pack, " ".join(w for w in words if w))

    @group.command(
        name="question", description="A question: at your level, on a topic, or by number"
    )
    @app_commands.describe(
        level="junior, mid or senior", topic="a topic", number="a question number"
    )
    @app_commands.choices(level=LEVELS)
    async def question(
        interaction: discord.Interaction[Any],
        level: Choice[str] | None = None,
        topic: str | None = None,
        number: app_commands.Range[int, 1, MAX_QUESTION_NUMBER] | None = None,
    ) -> None:
        await run(
            interaction, level.value if level else None, topic, str(number) if number else None
        )

    @question.autocomplete("topic")
    async def topic_choices(
        interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        found = [t for t in pack.topics if current.lower() in t]
        return [Choice(name=t, value=t) for t in found[:AUTOCOMPLETE_LIMIT]]

    @question.autocomplete("number")
    async def number_choices(
        interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[int]]:
        found = [q for q in pack.questions if str(q.number).startswith(current.strip())]
        return [
            Choice(name=f"{q.number}. {q.prompt}"[:100], value=q.number)
            for q in found[:AUTOCOMPLETE_LIMIT]
        ]

    @group.command(
        name="answer", description="Write your answer and see which key points it covers"
    )
    @app_commands.describe(
        text="your answer, as you would say it",
        number="the question you are answering; leave out in a mock interview",
    )
    async def answer(
        interaction: discord.Interaction[Any],
        text: app_commands.Range[str, 1, WRITTEN_ANSWER_LIMIT],
        number: app_commands.Range[int, 1, MAX_QUESTION_NUMBER] | None = None,
    ) -> None:
        await run(interaction, "answer", str(number) if number else None, text)

    answer.autocomplete("number")(number_choices)

    @group.command(name="mock", description="A mock interview: questions in a row, in writing")
    @app_commands.describe(
        level="junior, mid or senior; your usual level if left out",
        questions=f"how many, 1 to {MAX_MOCK_LENGTH} (default {DEFAULT_MOCK_LENGTH})",
    )
    @app_commands.choices(level=LEVELS)
    async def mock(
        interaction: discord.Interaction[Any],
        level: Choice[str] | None = None,
        questions: app_commands.Range[int, 1, MAX_MOCK_LENGTH] | None = None,
    ) -> None:
        await run(
            interaction,
            "mock",
            level.value if level else None,
            str(questions) if questions else None,
        )

    @group.command(name="review", description="Your next due spaced-repetition review")
    async def review(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, "review")

    @group.command(name="stats", description="Your progress")
    async def stats(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, "stats")

    @group.command(name="top", description="This channel's leaderboard")
    @app_commands.describe(period="this week, this month or all time (the default)")
    @app_commands.choices(period=PERIODS)
    async def top(interaction: discord.Interaction[Any], period: Choice[str] | None = None) -> None:
        await run(interaction, "top", period.value if period else None)

    @group.command(name="timezone", description="Your timezone, which decides your streak days")
    @app_commands.describe(timezone="IANA name such as Europe/Berlin, or clear")
    async def timezone_(interaction: discord.Interaction[Any], timezone: str | None = None) -> None:
        await run(interaction, "timezone", timezone)

    @timezone_.autocomplete("timezone")
    async def personal_timezone_choices(
        interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return _timezones_like(current)

    @group.command(name="remind", description="A private nudge when your streak is at risk")
    @app_commands.describe(
        switch="on for a nudge on days your streak is at risk, off for none; leave out to see it"
    )
    @app_commands.choices(switch=[Choice(name="on", value="on"), Choice(name="off", value="off")])
    async def remind(
        interaction: discord.Interaction[Any], switch: Choice[str] | None = None
    ) -> None:
        await run(interaction, "remind", switch.value if switch else None)

    @group.command(name="export", description="All your data, as a JSON file only you can see")
    async def export(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, "export")

    @group.command(name="forget-me", description="Delete all your data (asks to confirm)")
    async def forget_me(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, "forget-me")

    @group.command(name="level", description="Your usual level: see it, or set it")
    @app_commands.describe(level="junior, mid or senior; any to clear it; leave out to see it")
    @app_commands.choices(level=[*LEVELS, Choice(name="any", value="any")])
    async def level(
        interaction: discord.Interaction[Any], level: Choice[str] | None = None
    ) -> None:
        await run(interaction, "level", level.value if level else None)

    @group.command(name="subscribe", description="Channel admins: a daily question in this channel")
    @app_commands.describe(
        time="HH:MM, 24-hour; leave every option out to fill in a form instead",
        timezone="IANA name such as Europe/Berlin",
        weekdays="daily, weekdays, mon-fri or mon,wed,fri",
        level="the channel's level",
        reveal="HH:MM to post the answer in the thread",
        team="members who must grade the daily question for a team day",
    )
    @app_commands.choices(level=[*LEVELS, Choice(name="any", value="any")])
    async def subscribe(
        interaction: discord.Interaction[Any],
        time: str | None = None,
        timezone: str | None = None,
        weekdays: str | None = None,
        level: Choice[str] | None = None,
        reveal: str | None = None,
        team: app_commands.Range[int, 1, 100] | None = None,
    ) -> None:
        if all(option is None for option in (time, timezone, weekdays, level, reveal, team)):
            await client.run_text(interaction, pack, "subscribe", may_open_form=True)
            return
        await run(
            interaction,
            "subscribe",
            time,
            timezone,
            weekdays,
            level.value if level else None,
            f"reveal {reveal}" if reveal else None,
            f"team {team}" if team else None,
        )

    @subscribe.autocomplete("timezone")
    async def timezone_choices(
        interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        return _timezones_like(current)

    @group.command(name="unsubscribe", description="Channel admins: stop the daily question")
    async def unsubscribe(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, "unsubscribe")

    @group.command(name="schedule", description="This channel's daily question schedule")
    async def schedule(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, "schedule")

    @group.command(name="reveal", description="Channel admins: post the latest daily answer")
    async def reveal(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, "reveal")

    @group.command(name="help", description="What this bot can do")
    async def help_(interaction: discord.Interaction[Any]) -> None:
        await run(interaction, "help")

    return group


def _timezones_like(current: str) -> list[Choice[str]]:
    return [Choice(name=n, value=n) for n in timezones_matching(current, AUTOCOMPLETE_LIMIT)]
