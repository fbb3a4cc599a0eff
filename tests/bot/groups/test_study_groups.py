"""Weeks of simulated activity through the core, with an injected clock."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from PIL import Image
from sqlalchemy import select

from bot.clock import FixedClock
from bot.composition import Runtime
from bot.domain.context import Actor, Context, Place
from bot.pictures import EMPTY, SHADES, calendar_cell
from bot.storage.schema import attempts
from tests.bot.daily.conftest import RecordingPort


def person(name: str, channel: str = "group", *, admin: bool = False) -> Context:
    return Context(
        Actor("test", f"U-{name}", name.title(), is_admin=admin), Place("test", channel, channel)
    )


ADA, BOB, CY = person("ada", admin=True), person("bob"), person("cy")


async def say(runtime: Runtime, ctx: Context, text: str) -> str:
    return (await runtime.quizbot.handle_text(ctx, "mini-quiz", text)).plain_text


async def practise(runtime: Runtime, ctx: Context, number: int = 1, grade: str = "Knew it") -> None:
    bot = runtime.quizbot
    question = await bot.handle_text(ctx, "mini-quiz", str(number))
    answer = await bot.handle_action(ctx, question.buttons[0].action_id, question.buttons[0].value)
    button = next(b for b in answer.buttons if b.label == grade)
    await bot.handle_action(ctx, button.action_id, button.value)


async def test_grade_at_2330_local_counts_for_that_local_day(
    daily: Runtime, clock: FixedClock
) -> None:
    await say(daily, ADA, "timezone America/New_York")
    clock.set(datetime(2026, 3, 3, 4, 30, tzinfo=UTC))  # 23:30 on 2 March in New York
    await practise(daily, ADA)
    async with daily.engine.connect() as connection:
        (day,) = (await connection.execute(select(attempts.c.local_date))).scalars().all()
    assert day.isoformat() == "2026-03-02"


async def test_streak_across_dst_and_a_freeze_earned_then_spent(
    daily: Runtime, clock: FixedClock
) -> None:
    await say(daily, ADA, "timezone Europe/Berlin")
    start = datetime(2026, 3, 23, 22, 30, tzinfo=UTC)  # 23:30 CET; DST begins on the 29th
    for day in range(10):
        if day == 8:
            continue  # one missed day, covered by the freeze earned on day 7
        clock.set(start + timedelta(days=day) - (timedelta(hours=1) if day >= 6 else timedelta()))
        await practise(daily, ADA, 1 + day % 6)
    stats = await say(daily, ADA, "stats")
    assert "**Streak:** 9 days; best 9 days; 0 freezes held" in stats
    assert "**Freezes spent** on missed days: 1" in stats
    assert "days are counted in Europe/Berlin" in stats


async def test_streak_broken_without_a_freeze(daily: Runtime, clock: FixedClock) -> None:
    start = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    for day in (0, 1, 2, 4):
        clock.set(start + timedelta(days=day))
        await practise(daily, BOB)
    clock.set(start + timedelta(days=5))
    stats = await say(daily, BOB, "stats")
    assert "**Streak:** 1 day (practise today to keep it); best 3 days; 0 freezes held" in stats


async def test_team_streak_needs_k_members_on_the_daily_question(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    await say(daily, ADA, "subscribe 09:00 UTC team 2")
    for day, graders in enumerate([(ADA, BOB), (ADA, BOB, CY), (ADA,)]):
        post_time = datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(days=day)
        assert (await daily.poster.post_due(post_time)).posted == 1
        _channel, post = port.posts[-1]
        number = int((post.title or "").rsplit("#", 1)[1])
        clock.set(post_time + timedelta(hours=2))
        for who in graders:
            await practise(daily, who, number)
    clock.set(datetime(2026, 3, 4, 20, 0, tzinfo=UTC))
    assert "**Team streak:** 2 days; best 2 days (a day counts when 2 members" in await say(
        daily, CY, "stats"
    )
    clock.set(datetime(2026, 3, 5, 8, 0, tzinfo=UTC))
    assert "**Team streak:** 0 days; best 2 days" in await say(daily, CY, "stats")


async def test_leaderboard_periods_at_week_and_month_boundaries(
    daily: Runtime, clock: FixedClock
) -> None:
    await say(daily, ADA, "subscribe 09:00 UTC")
    clock.set(datetime(2026, 3, 29, 12, 0, tzinfo=UTC))  # Sunday 29 March
    await practise(daily, BOB)
    await practise(daily, BOB, 2)
    clock.set(datetime(2026, 3, 31, 12, 0, tzinfo=UTC))  # Tuesday 31 March, a new week
    await practise(daily, CY)
    clock.set(datetime(2026, 4, 1, 12, 0, tzinfo=UTC))  # Wednesday 1 April, a new month
    await practise(daily, ADA)
    week = await say(daily, BOB, "top week")
    assert "This week" in week
    assert "Cy" in week
    assert "Ada" in week
    assert "Bob" not in week
    month = await say(daily, BOB, "top month")
    assert "1. **Ada**: 1 graded" in month
    assert "Bob" not in month
    assert "Cy" not in month
    everything = await say(daily, BOB, "top")
    assert everything.index("**Bob**: 2 graded") < everything.index("**Ada**")
    assert everything.index("**Ada**") < everything.index("**Cy**")  # tie: by name


async def test_review_order_follows_fsrs_due_dates(daily: Runtime, clock: FixedClock) -> None:
    clock.set(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    await practise(daily, ADA, 1, "Knew it")  # due in 2 days
    await practise(daily, ADA, 2, "Missed")  # due in 1 day
    clock.set(datetime(2026, 3, 2, 12, 5, tzinfo=UTC))
    await practise(daily, ADA, 3, "Partly")  # due in 1 day, five minutes later
    clock.set(datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
    served = []
    for _ in range(3):
        reply = await daily.quizbot.handle_text(ADA, "mini-quiz", "review")
        served.append(reply.title)
        answer = await daily.quizbot.handle_action(
            ADA, reply.buttons[0].action_id, reply.buttons[0].value
        )
        knew = next(b for b in answer.buttons if b.label == "Knew it")
        await daily.quizbot.handle_action(ADA, knew.action_id, knew.value)
    assert served == ["Question 2", "Question 3", "Question 1"]
    assert "Nothing is due" in await say(daily, ADA, "review")


async def test_personal_timezone_command(daily: Runtime) -> None:
    assert "You have not set a timezone" in await say(daily, ADA, "timezone")
    assert "now **Asia/Kolkata**" in await say(daily, ADA, "timezone asia/kolkata")
    assert "Your timezone is **Asia/Kolkata**" in await say(daily, ADA, "timezone")
    assert "not a timezone I know" in await say(daily, ADA, "timezone Mars/Base")
    assert "Cleared your timezone" in await say(daily, ADA, "timezone clear")


async def test_stats_picture_is_a_png_of_the_right_size(daily: Runtime, clock: FixedClock) -> None:
    clock.set(datetime(2026, 3, 20, 12, 0, tzinfo=UTC))  # a Friday
    await practise(daily, ADA, 1)
    await practise(daily, ADA, 3, "Missed")
    reply = await daily.quizbot.handle_text(ADA, "mini-quiz", "stats")
    (picture,) = reply.files
    assert picture.filename == "quizbot-stats-2026-03-20.png"
    assert picture.data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(picture.data))
    image.load()
    assert (image.format, image.size) == ("PNG", (1520, 760))
    image = image.convert("RGB")
    today = date(2026, 3, 20)

    def centre(day: date) -> object:
        left, top, right, bottom = calendar_cell(today, day)
        return image.getpixel(((left + right) // 2, (top + bottom) // 2))

    assert centre(today) == SHADES[1]  # two questions graded today
    assert centre(today - timedelta(days=1)) == EMPTY  # Thursday: nothing graded
