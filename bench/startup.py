"""Start-up and memory: `quizbot console` ready to read input, and RSS with 10,000 subscriptions."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from datetime import time as day_time
from pathlib import Path

from bench.common import Figure, runtime_for, scratch_dir, sqlite_url
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import SubscriptionSettings

SUBSCRIPTIONS = 10_000
PROMPT = "quizbot> "


async def subscribe_many(url: str, count: int) -> None:
    runtime = await runtime_for(url)
    now = datetime.now(UTC)
    settings = SubscriptionSettings(DailySchedule(day_time(9, 0), "Europe/Berlin"), None, None)
    async with runtime.quizbot.deps.uow(write=True) as uow:
        for n in range(count):
            channel = await uow.channels.get_or_create("console", f"c{n}", f"c{n}", now)
            await uow.subscriptions.save(channel, "fastapi", settings, now)
        await uow.commit()
    await runtime.aclose()


def ready_seconds_and_rss(url: str, folder: Path) -> tuple[float, int]:
    """Seconds until the console prints its prompt, and its resident memory then (bytes)."""
    env = {**os.environ, "DATABASE_URL": url}
    quizbot = str(Path(sys.executable).with_name("quizbot"))
    started = time.perf_counter()
    process = subprocess.Popen(
        [quizbot, "console", "--user", "bench"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        cwd=folder,
    )
    assert process.stdout is not None
    assert process.stdin is not None
    seen = b""
    while PROMPT.encode() not in seen:
        chunk = process.stdout.read1(4096)
        if not chunk:
            raise RuntimeError("console exited before its prompt")
        seen += chunk
    ready = time.perf_counter() - started
    time.sleep(1.0)  # let the start-up sweep and 10,000 jobs settle
    rss = _rss_bytes(process.pid)
    process.stdin.close()
    process.wait(timeout=60)
    return ready, rss


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


async def run() -> list[Figure]:
    empty_folder, full_folder = scratch_dir(), scratch_dir()
    await subscribe_many(sqlite_url(full_folder), SUBSCRIPTIONS)
    ready, _ = await asyncio.to_thread(
        ready_seconds_and_rss, sqlite_url(empty_folder), empty_folder
    )
    _, rss = await asyncio.to_thread(ready_seconds_and_rss, sqlite_url(full_folder), full_folder)
    mb = rss / 2**20
    return [
        Figure(
            "Console start-up",
            f"{ready:.2f} s to the prompt",
            ready / 1.5,
            "< 1.5 s (ratio < 1)",
            ready < 1.5,
        ),
        Figure(
            "Memory, 10,000 subscriptions",
            f"{mb:.0f} MB resident",
            mb / 150,
            "< 150 MB (ratio < 1)",
            mb < 150,
        ),
    ]
