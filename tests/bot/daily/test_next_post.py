"""The next post a subscription names is on the channel's own calendar, and it is kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.clock import FixedClock
from bot.composition import Runtime
from bot.domain.context import Actor, Context, Place
from bot.domain.replies import Reply, Tone
from tests.bot.daily.conftest import RecordingPort

ADMIN = Context(Actor("test", "U-admin", "Admin", is_admin=True), Place("test", "team", "team"))


async def subscribe(runtime: Runtime, text: str) -> Reply:
    return await runtime.quizbot.handle_text(ADMIN, "mini-quiz", text)


def next_post(reply: Reply) -> str:
    """The `Next post` date and time as shown, in the channel's zone."""
    found = re.search(r"\*\*Next post:\*\* (\w{3} \d{2} \w{3} \d{2}:\d{2})", reply.plain_text)
    assert found is not None, reply.plain_text
    return found.group(1)


async def test_a_single_weekday_already_past_today_names_next_week(
    daily: Runtime, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))  # Monday 10:00
    reply = await subscribe(daily, "subscribe 09:00 UTC mon")
    assert reply.tone is Tone.SUCCESS
    assert next_post(reply) == "Mon 09 Mar 09:00"


async def test_an_evening_post_later_today_in_new_york_is_today(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    """20:30 on Tuesday in New York is already Wednesday in UTC; the 21:00 post is tonight."""
    clock.set(datetime(2026, 3, 4, 1, 30, tzinfo=UTC))
    reply = await subscribe(daily, "subscribe 21:00 America/New_York")
    assert next_post(reply) == "Tue 03 Mar 21:00"
    assert (await daily.poster.post_due(datetime(2026, 3, 4, 2, 0, tzinfo=UTC))).posted == 1
    assert len(port.posts) == 1
