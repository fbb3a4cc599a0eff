"""Exactly once across processes: schedulers and post-due runs racing on one database."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time as wallclock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.composition import build_runtime
from bot.config import Settings
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import SubscriptionSettings
from bot.storage.engine import create_engine
from bot.storage.schema import posts
from tests.bot.daily.conftest import RecordingPort
from tests.conftest import MINI_CONTENT

CHANNELS = 200


def due_now_schedule(now: datetime) -> DailySchedule:
    """A UTC posting time a minute ago (midnight-safe), so the post is due right now."""
    earlier = now - timedelta(minutes=1)
    post_time = time(earlier.hour, earlier.minute) if earlier.date() == now.date() else time(0)
    return DailySchedule(post_time, "UTC")


async def subscribe_many(settings: Settings, platform: str, now: datetime) -> None:
    runtime = await build_runtime(settings)
    deps = runtime.quizbot.deps
    subscription = SubscriptionSettings(due_now_schedule(now), None, None)
    async with deps.uow(write=True) as uow:
        for n in range(CHANNELS):
            channel = await uow.channels.get_or_create(platform, f"c{n:03d}", f"c{n:03d}", now)
            await uow.subscriptions.save(channel, "mini", subscription, now)
        await uow.commit()
    await runtime.aclose()


async def posted(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                select(func.count(), func.count(func.distinct(posts.c.channel_id))).where(
                    posts.c.state == "posted"
                )
            )
        ).one()
    await engine.dispose()
    return int(row[0]), int(row[1])


async def test_two_schedulers_and_two_post_due_runs_post_each_channel_once(
    tmp_path: Path, database_url: str
) -> None:
    """Runs on SQLite and, with QUIZBOT_TEST_POSTGRES_URL, on PostgreSQL."""
    settings = Settings(_env_file=None, database_url=database_url, content_dir=MINI_CONTENT)
    await subscribe_many(settings, "console", datetime.now(UTC))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env |= {"DATABASE_URL": database_url, "QUIZBOT_CONTENT_DIR": str(MINI_CONTENT)}
    quizbot = str(Path(sys.executable).with_name("quizbot"))
    outputs = [tmp_path / f"out{n}.txt" for n in range(4)]
    handles = [path.open("w") for path in outputs]
    schedulers = [
        subprocess.Popen(
            [quizbot, "run"],
            stdin=subprocess.PIPE,
            stdout=handles[n],
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
            text=True,
        )
        for n in range(2)
    ]
    post_due_runs = [
        subprocess.Popen(
            [quizbot, "post-due"],
            stdout=handles[n],
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
        )
        for n in range(2, 4)
    ]
    try:
        deadline = wallclock.monotonic() + 120
        while any(run.poll() is None for run in post_due_runs) and wallclock.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert [run.returncode for run in post_due_runs] == [0, 0]
        while (await posted(database_url))[0] < CHANNELS and wallclock.monotonic() < deadline:
            await asyncio.sleep(0.2)
    finally:
        for scheduler in schedulers:
            assert scheduler.stdin is not None
            scheduler.stdin.close()  # end of input ends the console, and the process
        for scheduler in schedulers:
            while scheduler.poll() is None and wallclock.monotonic() < deadline + 60:
                await asyncio.sleep(0.1)
        for handle in handles:
            handle.close()
    assert await posted(database_url) == (CHANNELS, CHANNELS)
    printed = [path.read_text().count(" · daily question\n") for path in outputs]
    assert sum(printed) == CHANNELS, printed
    assert all("Traceback" not in path.read_text() for path in outputs)


async def test_concurrent_runs_on_two_engines_post_each_channel_once(
    tmp_path: Path, settings: Settings
) -> None:
    now = datetime.now(UTC)
    await subscribe_many(settings, "test", now)
    ports = [RecordingPort(), RecordingPort()]
    runtimes = [
        await build_runtime(settings, rng=random.Random(n), ports={"test": port})
        for n, port in enumerate(ports)
    ]
    reports = await asyncio.gather(*(r.poster.post_due(now) for r in runtimes for _ in range(2)))
    for runtime in runtimes:
        await runtime.aclose()
    assert sum(r.posted for r in reports) == CHANNELS
    assert sum(len(p.posts) for p in ports) == CHANNELS
    assert len({c.channel_id for p in ports for c, _ in p.posts}) == CHANNELS
