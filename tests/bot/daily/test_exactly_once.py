"""Exactly once across processes: schedulers and post-due runs racing on one database."""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import subprocess
import sys
import time as wallclock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.composition import build_runtime
from bot.config import Settings
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import SubscriptionSettings
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


def posted(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "select count(*), count(distinct channel_id) from posts where state = 'posted'"
        ).fetchone()
    return rows[0], rows[1]


def test_two_schedulers_and_two_post_due_runs_post_each_channel_once(tmp_path: Path) -> None:
    database = tmp_path / "quizbot.sqlite3"
    url = f"sqlite+aiosqlite:///{database}"
    settings = Settings(_env_file=None, database_url=url, content_dir=MINI_CONTENT)
    asyncio.run(subscribe_many(settings, "console", datetime.now(UTC)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env |= {"DATABASE_URL": url, "QUIZBOT_CONTENT_DIR": str(MINI_CONTENT)}
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
        for run in post_due_runs:
            assert run.wait(timeout=120) == 0
        deadline = wallclock.monotonic() + 120
        while posted(database)[0] < CHANNELS and wallclock.monotonic() < deadline:
            wallclock.sleep(0.2)
    finally:
        for scheduler in schedulers:
            assert scheduler.stdin is not None
            scheduler.stdin.close()  # end of input ends the console, and the process
            scheduler.wait(timeout=60)
        for handle in handles:
            handle.close()
    assert posted(database) == (CHANNELS, CHANNELS)
    printed = sum(path.read_text().count("new post console-") for path in outputs)
    assert printed == CHANNELS
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
