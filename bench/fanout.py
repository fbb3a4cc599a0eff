"""Daily fan-out: 10,000 channels posted through the Slack port against a 1,000/s rate limit.

The floor is calls divided by the limit (10 s); the figure is our total time over the floor.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as day_time

import aiohttp
from pydantic import SecretStr

from adapters.slack.app import open_parts
from bench.common import Figure, runtime_for, scratch_dir, sqlite_url
from bot.config import Settings
from bot.content.locations import default_content_root
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import SubscriptionSettings
from bot.process_tuning import tune_for_serving

CHANNELS = 10_000
RATE = 1_000


async def run() -> Figure:
    standin = subprocess.Popen(
        [sys.executable, "-m", "bench.limited_slack", str(RATE)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert standin.stdout is not None
        port = json.loads(standin.stdout.readline())["port"]
        url = sqlite_url(scratch_dir())
        settings = Settings(
            _env_file=None,
            database_url=url,
            content_dir=default_content_root(),
            slack_bot_token=SecretStr("xoxb-bench"),
            slack_api_url=f"http://127.0.0.1:{port}/api/",
            slack_rate_limit=RATE,
        )
        parts = await open_parts(settings)
        runtime = await runtime_for(url, ports={"slack": parts.port})
        now = datetime.now(UTC)
        earlier = now - timedelta(minutes=1)
        post_time = (
            day_time(earlier.hour, earlier.minute) if earlier.date() == now.date() else day_time(0)
        )
        subscription = SubscriptionSettings(DailySchedule(post_time, "UTC"), None, None)
        async with runtime.quizbot.deps.uow(write=True) as uow:
            for n in range(CHANNELS):
                channel = await uow.channels.get_or_create("slack", f"C{n}", f"c{n}", now)
                await uow.subscriptions.save(channel, "fastapi", subscription, now)
            await uow.commit()
        tune_for_serving()  # as a `quizbot run` worker does once it is up
        started = time.perf_counter()
        report = await runtime.poster.post_due(now)
        elapsed = time.perf_counter() - started
        await runtime.aclose()
        await parts.aclose()
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/counts") as response,
        ):
            counts = await response.json()
    finally:
        standin.terminate()
        standin.wait(timeout=10)
    floor = CHANNELS / RATE
    ratio = elapsed / floor
    exact = report.posted == CHANNELS and counts["posted"] == CHANNELS
    return Figure(
        "Fan-out, 10,000 channels at 1,000 calls/s",
        f"{elapsed:.1f} s vs floor {floor:.0f} s; "
        f"{counts['posted']} posts, {counts['limited']} 429s",
        ratio,
        "<= 1.10, exactly 10,000 posts",
        ratio <= 1.1 and exact,
    )
