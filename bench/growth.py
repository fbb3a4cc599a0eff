"""Growth: latency of ask, stats and leaderboard with 1 thousand and with 1 million attempts.

Attempts are generated straight into SQLite (10,000 people across 1,000 channels), then the
same calls are timed on both databases; the figure is the p99 ratio, large over small.
"""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import Figure, percentile, runtime_for, scratch_dir, sqlite_url
from bot.domain.context import Actor, Context, Place

PEOPLE = 10_000
CHANNELS = 1_000
CALLS = 300


async def prepare(folder: Path, attempts: int) -> str:
    url = sqlite_url(folder)
    runtime = await runtime_for(url)  # creates the schema through the migrations
    question_ids = [q.id for q in runtime.quizbot.packs[0].questions]
    await runtime.aclose()
    rng = random.Random(attempts)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with sqlite3.connect(folder / "bench.sqlite3") as db:
        db.executemany(
            "INSERT INTO users (id, platform, platform_user_id, display_name, remind, created_at)"
            " VALUES (?, 'bench', ?, ?, 0, ?)",
            [(n + 1, f"U{n}", f"user {n}", "2026-01-01 00:00:00") for n in range(PEOPLE)],
        )
        db.executemany(
            "INSERT INTO channels (id, platform, platform_channel_id, name, created_at)"
            " VALUES (?, 'bench', ?, ?, ?)",
            [(n + 1, f"C{n}", f"c{n}", "2026-01-01 00:00:00") for n in range(CHANNELS)],
        )
        batch = []
        for _n in range(attempts):
            user = rng.randrange(PEOPLE)
            when = start + timedelta(minutes=rng.randrange(60 * 24 * 300))
            batch.append(
                (
                    user + 1,
                    "fastapi",
                    rng.choice(question_ids),
                    rng.choice(("knew", "partly", "missed")),
                    when.strftime("%Y-%m-%d %H:%M:%S.000000"),
                    when.date().isoformat(),
                    user % CHANNELS + 1,
                )
            )
            if len(batch) == 50_000:
                _insert(db, batch)
                batch = []
        _insert(db, batch)
        db.execute("ANALYZE")
    return url


def _insert(db: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    db.executemany(
        "INSERT INTO attempts (user_id, pack_id, question_id, grade, graded_at, local_date,"
        " channel_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


async def latencies(url: str) -> dict[str, float]:
    runtime = await runtime_for(url)
    bot = runtime.quizbot
    rng = random.Random(7)
    timings: dict[str, list[float]] = {"ask": [], "stats": [], "top": []}
    for _ in range(CALLS):
        user = rng.randrange(PEOPLE)
        ctx = Context(
            Actor("bench", f"U{user}", f"user {user}"),
            Place("bench", f"C{user % CHANNELS}", f"c{user % CHANNELS}"),
        )
        for name, text in (("ask", ""), ("stats", "stats"), ("top", "top")):
            started = time.perf_counter()
            await bot.handle_text(ctx, "fastapi-quiz", text)
            timings[name].append(time.perf_counter() - started)
    await runtime.aclose()
    return {name: percentile(values, 99) for name, values in timings.items()}


async def run() -> list[Figure]:
    small = await latencies(await prepare(scratch_dir(), 1_000))
    large = await latencies(await prepare(scratch_dir(), 1_000_000))
    figures = []
    for name, label in (("ask", "ask"), ("stats", "stats (with picture)"), ("top", "leaderboard")):
        ratio = large[name] / small[name]
        figures.append(
            Figure(
                f"Growth 1k -> 1M attempts: {label}",
                f"p99 {small[name] * 1000:.1f} ms -> {large[name] * 1000:.1f} ms",
                ratio,
                "p99 ratio <= 2",
                ratio <= 2,
            )
        )
    return figures
