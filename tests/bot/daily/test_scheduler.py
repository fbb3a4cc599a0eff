"""The running scheduler: jobs rebuilt from the database, updated at once, and firing."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import time_machine

from bot.composition import build_runtime
from bot.config import Settings
from bot.domain.context import Actor, Context, Place
from tests.bot.daily.conftest import RecordingPort

ADMIN = Context(Actor("test", "U-admin", "Admin", is_admin=True), Place("test", "team", "team"))
NINE_BERLIN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def wait_for(condition: object, seconds: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        if condition():  # type: ignore[operator]
            return True
        await asyncio.sleep(0.05)
    return False


async def test_jobs_are_rebuilt_at_start_and_follow_changes(settings: Settings) -> None:
    port = RecordingPort()
    with time_machine.travel(NINE_BERLIN - timedelta(hours=1), tick=False):
        first = await build_runtime(settings, ports={"test": port})
        await first.quizbot.handle_text(ADMIN, "mini-quiz", "subscribe 09:00 Europe/Berlin")
        await first.aclose()

        runtime = await build_runtime(settings, ports={"test": port})
        scheduler = await runtime.start_scheduler()
        assert scheduler.job_ids == ["post:1", "sweep"]
        assert scheduler.next_fire(1) == NINE_BERLIN

        await runtime.quizbot.handle_text(ADMIN, "mini-quiz", "subscribe 10:15 Europe/Berlin")
        assert await wait_for(
            lambda: scheduler.next_fire(1) == NINE_BERLIN + timedelta(hours=1, minutes=15), 5
        )

        await runtime.quizbot.handle_text(ADMIN, "mini-quiz", "unsubscribe")
        assert await wait_for(lambda: scheduler.job_ids == ["sweep"], 5)
        await runtime.aclose()


async def test_running_scheduler_fires_at_the_posting_time(settings: Settings) -> None:
    """Smoke test under time-machine: two seconds before 09:00 Berlin, with the clock ticking."""
    port = RecordingPort()
    with time_machine.travel(NINE_BERLIN - timedelta(seconds=2), tick=True):
        runtime = await build_runtime(settings, rng=random.Random(3), ports={"test": port})
        await runtime.start_scheduler()
        await runtime.quizbot.handle_text(ADMIN, "mini-quiz", "subscribe 09:00 Europe/Berlin")
        assert port.posts == []  # the start-up sweep found nothing due yet
        assert await wait_for(lambda: len(port.posts) == 1, 20)
        posted_at = datetime.now(UTC)
        await runtime.aclose()
    assert NINE_BERLIN <= posted_at < NINE_BERLIN + timedelta(seconds=20)
    assert port.posts[0][1].title is not None


async def test_start_up_sweep_catches_up_within_grace(settings: Settings) -> None:
    port = RecordingPort()
    with time_machine.travel(NINE_BERLIN - timedelta(hours=1), tick=False):
        setup = await build_runtime(settings, ports={"test": port})
        await setup.quizbot.handle_text(ADMIN, "mini-quiz", "subscribe 09:00 Europe/Berlin")
        await setup.aclose()
    with time_machine.travel(NINE_BERLIN + timedelta(hours=2), tick=True):
        runtime = await build_runtime(settings, ports={"test": port})
        await runtime.start_scheduler()
        assert await wait_for(lambda: len(port.posts) == 1, 10)
        await runtime.aclose()


async def test_closing_right_after_a_change_waits_for_work_in_flight(
    settings: Settings,
) -> None:
    """Regression: a refresh or sweep still querying when the engine closed hung the exit."""
    for _ in range(20):
        runtime = await build_runtime(settings, ports={"test": RecordingPort()})
        await runtime.start_scheduler()
        await runtime.quizbot.handle_text(ADMIN, "mini-quiz", "subscribe 09:00 Europe/Berlin")
        await asyncio.wait_for(runtime.aclose(), timeout=30)
        assert all(
            task.done() for task in asyncio.all_tasks() if task is not asyncio.current_task()
        )
