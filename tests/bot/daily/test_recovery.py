"""Exactly once when sends break halfway or the process stops: look before sending again."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from bot.clock import FixedClock
from bot.composition import Runtime
from bot.daily.poster import DailyPoster, Outcome
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import CLAIMED, POSTED, RELEASED, SubscriptionSettings
from bot.storage.schema import posts
from tests.bot.daily.conftest import Crash, RecordingPort

NINE_BERLIN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def subscribe(
    runtime: Runtime, clock: FixedClock, channels: int, platform: str = "test"
) -> None:
    schedule = DailySchedule(time(9, 0), "Europe/Berlin")
    async with runtime.quizbot.deps.uow(write=True) as uow:
        for n in range(channels):
            channel = await uow.channels.get_or_create(platform, f"c{n}", f"c{n}", clock.now())
            await uow.subscriptions.save(
                channel, "mini", SubscriptionSettings(schedule, None, None), clock.now()
            )
        await uow.commit()


async def states(runtime: Runtime) -> dict[str, int]:
    async with runtime.engine.connect() as connection:
        rows = (await connection.execute(select(posts.c.state))).scalars().all()
    return {state: rows.count(state) for state in set(rows)}


async def test_a_post_sent_before_a_crash_is_found_not_repeated(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    await subscribe(daily, clock, 1)
    port.crash_after_next = 1  # the platform has the message; we die before recording it
    with contextlib.suppress(Crash):
        await daily.poster.post_due(NINE_BERLIN)
    assert await states(daily) == {CLAIMED: 1}
    assert (await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=4))).posted == 0
    after = await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=5))
    assert after.posted == 1
    assert len(port.posts) == 1
    assert len(port.lookups) == 1
    assert await states(daily) == {POSTED: 1}
    async with daily.engine.connect() as connection:
        message_id = (await connection.execute(select(posts.c.platform_message_id))).scalar_one()
    assert message_id == "m1"


async def test_a_crash_before_sending_is_looked_up_then_sent(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    await subscribe(daily, clock, 1)
    port.crash_next = 1
    with contextlib.suppress(Crash):
        await daily.poster.post_due(NINE_BERLIN)
    assert (await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=5))).posted == 1
    assert len(port.lookups) == 1
    assert len(port.posts) == 1


async def test_a_broken_connection_after_the_request_is_looked_up_at_once(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    await subscribe(daily, clock, 3)
    port.unknown_next = 2
    report = await daily.poster.post_due(NINE_BERLIN)
    assert (report.posted, report.failed) == (3, 0)
    assert len(port.posts) == 3
    assert len(port.lookups) == 2
    assert await states(daily) == {POSTED: 3}


async def test_when_the_lookup_fails_the_next_run_looks_again(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    await subscribe(daily, clock, 1)
    port.unknown_next = 1
    port.lookup_fails_next = 1
    first = await daily.poster.post_due(NINE_BERLIN)
    assert first.failed == 1
    assert await states(daily) == {CLAIMED: 1}  # not known to be unsent
    assert (await daily.poster.post_due(NINE_BERLIN + timedelta(seconds=30))).posted == 0
    again = await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=1))
    assert again.posted == 1
    assert len(port.posts) == 1
    assert len(port.lookups) == 2


async def test_a_refused_post_is_sent_again_without_looking(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    await subscribe(daily, clock, 1)
    port.fail_next = 1
    assert (await daily.poster.post_due(NINE_BERLIN)).failed == 1
    assert await states(daily) == {RELEASED: 1}
    assert (await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=1))).posted == 1
    assert port.lookups == []


async def test_a_stop_mid_fan_out_hands_every_claim_over(daily: Runtime, clock: FixedClock) -> None:
    """Cancelled (as SIGTERM does) while 5 posts are in flight: sent ones are recorded, ones
    not yet started are released to be sent at once, in-flight ones are looked up; a second run
    then completes the fan-out with each channel posted exactly once."""
    await subscribe(daily, clock, 60)
    port = RecordingPort(delay=0.02)
    poster = DailyPoster(daily.quizbot.deps, {"test": port}, concurrency=5)
    fan_out = asyncio.create_task(poster.post_due(NINE_BERLIN))
    while len(port.posts) < 10:
        await asyncio.sleep(0.005)
    fan_out.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await fan_out
    sent_before_stop = len(port.posts)
    found = await states(daily)
    # Sent and recorded, or in flight when stopped (fate unknown, at most one per sender).
    assert found.get(CLAIMED, 0) <= 5
    assert found.get(POSTED, 0) <= sent_before_stop <= found.get(POSTED, 0) + found[CLAIMED]
    assert found.get(POSTED, 0) + found.get(CLAIMED, 0) + found.get(RELEASED, 0) == sum(
        found.values()
    )
    second = await poster.post_due(NINE_BERLIN)  # the same minute: nothing waits for a lease
    assert second.posted == 60 - found.get(POSTED, 0)  # found already sent counts as posted
    assert len(port.posts) == 60
    assert len({channel.channel_id for channel, _ in port.posts}) == 60
    assert len(port.lookups) == found.get(CLAIMED, 0)
    assert await states(daily) == {POSTED: 60}


async def test_the_report_counts_per_platform_and_names_unserved_ones(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    await subscribe(daily, clock, 2)
    await subscribe(daily, clock, 3, platform="discord")
    report = await daily.poster.post_due(NINE_BERLIN)
    assert report.platform_line("test") == "posted 2, skipped 0, failed 0"
    assert report.unserved == {"discord": 3}
    again = await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=1))
    assert again.platform_line("test") == "posted 0, skipped 2, failed 0"
    assert again.counts[Outcome.SKIPPED] == 2


async def test_a_stop_winds_the_fan_out_down_without_cancelling_it(
    daily: Runtime, clock: FixedClock
) -> None:
    """What the scheduler does at SIGTERM: `stop()` rather than cancel. No more claims or
    sends, sends in flight abandoned (left to be looked up), the rest released; the run
    returns normally and the next one completes the fan-out exactly once."""
    await subscribe(daily, clock, 60)
    port = RecordingPort(delay=0.02)
    poster = DailyPoster(daily.quizbot.deps, {"test": port}, concurrency=5)
    fan_out = asyncio.create_task(poster.post_due(NINE_BERLIN))
    while len(port.posts) < 10:
        await asyncio.sleep(0.005)
    poster.stop()
    report = await asyncio.wait_for(fan_out, 5)
    found = await states(daily)
    assert found.get(POSTED, 0) == report.posted == len(port.posts)
    assert found.get(CLAIMED, 0) <= 5
    # Nothing is left under a live lease: the next run, at the same instant, finishes the job.
    again = DailyPoster(daily.quizbot.deps, {"test": port}, concurrency=5)
    await again.post_due(NINE_BERLIN)
    assert len(port.posts) == 60
    assert len({channel.channel_id for channel, _ in port.posts}) == 60
    assert await states(daily) == {POSTED: 60}
