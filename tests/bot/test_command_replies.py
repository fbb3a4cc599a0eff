"""Replies a new user meets: the team size, a reveal time before the post, `remind` alone,
"New to you" for a question asked by number, one name for UTC."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.composition import Runtime
from bot.domain.context import Actor, Context, Place
from bot.domain.replies import Reply, Tone
from bot.storage.schema import subscriptions, users
from tests.conftest import make_context

ADMIN = Context(Actor("test", "U-admin", "Admin", is_admin=True), Place("test", "C-team", "team"))
ADA = make_context("ada")


async def say(runtime: Runtime, text: str, ctx: Context = ADMIN) -> Reply:
    return await runtime.quizbot.handle_text(ctx, "mini-quiz", text)


async def count(runtime: Runtime, table: object) -> int:
    async with runtime.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())  # type: ignore[arg-type]


async def stored_team_size(runtime: Runtime) -> int:
    async with runtime.engine.connect() as connection:
        query = select(subscriptions.c.team_threshold)
        return int((await connection.execute(query)).scalar_one())


async def test_team_size_is_shown_and_resubscribing_without_it_resets_it(
    runtime: Runtime,
) -> None:
    subscribed = await say(runtime, "subscribe 09:00 UTC team 3")
    assert "**Team day:** when 3 members grade the daily question" in subscribed.plain_text
    assert await stored_team_size(runtime) == 3
    again = await say(runtime, "subscribe 10:00")
    assert "**Team day:** when 2 members grade the daily question" in again.plain_text
    assert await stored_team_size(runtime) == 2
    shown = await say(runtime, "schedule", make_context("bob", channel="team"))
    assert "**Team day:** when 2 members grade" in shown.plain_text
    solo = await say(runtime, "subscribe 10:00 team 1")
    assert "**Team day:** when 1 member grades" in solo.plain_text


async def test_a_reveal_before_the_post_is_refused_and_stores_nothing(runtime: Runtime) -> None:
    refused = await say(runtime, "subscribe 09:00 UTC reveal 08:30")
    assert refused.tone is Tone.ERROR
    assert "before the 09:00 question" in refused.plain_text
    assert await count(runtime, subscriptions) == 0
    taken = await say(runtime, "subscribe 09:00 UTC reveal 17:00")
    assert "posted in the thread at 17:00" in taken.plain_text


async def test_remind_alone_shows_the_setting_without_storing_anyone(runtime: Runtime) -> None:
    shown = await say(runtime, "remind", ADA)
    assert shown.tone is Tone.INFO
    assert "Reminders are **off**. Turn them on with `/mini-quiz remind on`." in shown.plain_text
    assert await count(runtime, users) == 0
    await say(runtime, "remind on", ADA)
    on = await say(runtime, "remind", ADA)
    assert "Reminders are **on**" in on.plain_text
    assert "Turn them off with `/mini-quiz remind off`." in on.plain_text


async def test_a_question_asked_by_number_says_whether_it_is_new(
    runtime: Runtime, clock: FixedClock
) -> None:
    first = await say(runtime, "3", ADA)
    assert first.subtitle == "Mid · async · New to you"
    again = await say(runtime, "3", ADA)
    assert again.subtitle == "Mid · async · Practised before"
    answer = await runtime.quizbot.handle_action(
        ADA, again.buttons[0].action_id, again.buttons[0].value
    )
    await runtime.quizbot.handle_action(ADA, answer.buttons[2].action_id, answer.buttons[2].value)
    clock.set(clock.now() + timedelta(days=3))
    due = await say(runtime, "3", ADA)
    assert due.subtitle == "Mid · async · Due for review"
    assert (await say(runtime, "4", make_context("bob"))).subtitle.endswith("New to you")  # type: ignore[union-attr]


async def test_utc_has_one_name_wherever_it_comes_from(runtime: Runtime) -> None:
    """The console's terminal says `Etc/UTC`; a person may type `Zulu`; all read `UTC`."""
    console_like = Context(
        Actor("test", "U-ada", "Ada", is_admin=True, timezone="Etc/UTC"),
        Place("test", "C-team", "team"),
    )
    subscribed = await say(runtime, "subscribe 09:00", console_like)
    assert "09:00 UTC, every day" in subscribed.plain_text
    assert "Etc/UTC" not in subscribed.plain_text
    lone = Context(
        Actor("test", "U-cy", "Cy", timezone="Etc/UTC"), Place("test", "C-dm", "dm", True)
    )
    question = await say(runtime, "1", lone)
    answer = await runtime.quizbot.handle_action(
        lone, question.buttons[0].action_id, question.buttons[0].value
    )
    await runtime.quizbot.handle_action(lone, answer.buttons[0].action_id, answer.buttons[0].value)
    assert "days are counted in UTC)" in (await say(runtime, "stats", lone)).plain_text
    assert "Your timezone is now **UTC**" in (await say(runtime, "timezone Zulu", lone)).plain_text
