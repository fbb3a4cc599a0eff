"""Burst grading: 5,000 people grade the daily question at once, on the SQLite default.

Compared with raw aiosqlite doing a single-row INSERT and COMMIT per grade, in the same run.
"""

from __future__ import annotations

import asyncio
import time

import aiosqlite
from sqlalchemy import func, select

from bench.common import Figure, runtime_for, scratch_dir, sqlite_url
from bot.domain import actions
from bot.domain.content import QuestionRef
from bot.domain.context import Actor, Context, Place
from bot.domain.grades import Grade
from bot.domain.replies import Tone
from bot.storage.schema import attempts

PEOPLE = 5_000


async def grade_burst(people: int = PEOPLE) -> tuple[float, int, int]:
    """Grades per second, attempts stored, and errors users saw."""
    folder = scratch_dir()
    runtime = await runtime_for(sqlite_url(folder))
    pack = runtime.quizbot.packs[0]
    ref = QuestionRef(pack.id, pack.questions[0].id)
    people_ctx = [
        Context(Actor("bench", f"U{n}", f"user {n}"), Place("bench", "C1", "team"))
        for n in range(people)
    ]
    bot = runtime.quizbot
    await asyncio.gather(*(bot.handle_action(c, actions.REVEAL, ref.encode()) for c in people_ctx))
    value = actions.grade_value(ref, Grade.KNEW)
    started = time.perf_counter()
    replies = await asyncio.gather(
        *(bot.handle_action(c, actions.GRADE, value) for c in people_ctx)
    )
    elapsed = time.perf_counter() - started
    errors = sum(r.tone is Tone.ERROR for r in replies)
    async with runtime.engine.connect() as connection:
        stored = int(
            (await connection.execute(select(func.count()).select_from(attempts))).scalar_one()
        )
    await runtime.aclose()
    return people / elapsed, stored, errors


async def raw_inserts(rows: int = PEOPLE) -> float:
    folder = scratch_dir()
    async with aiosqlite.connect(folder / "raw.sqlite3") as db:
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, user TEXT, grade TEXT, at TEXT)")
        await db.commit()
        started = time.perf_counter()
        for n in range(rows):
            await db.execute(
                "INSERT INTO t (user, grade, at) VALUES (?, ?, ?)", (f"U{n}", "knew", "now")
            )
            await db.commit()
        return rows / (time.perf_counter() - started)


async def run() -> Figure:
    raw = await raw_inserts()
    ours, stored, errors = await grade_burst()
    ratio = ours / raw
    return Figure(
        "Burst grading, 5,000 at once (SQLite)",
        f"{ours:,.0f}/s vs raw {raw:,.0f}/s; {stored} stored, {errors} errors",
        ratio,
        ">= 0.50, 0 lost or duplicated, no lock errors",
        ratio >= 0.5 and stored == PEOPLE and errors == 0,
    )
