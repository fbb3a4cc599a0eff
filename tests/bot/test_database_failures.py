"""A failing database still gets every person a reply, changes nothing, and logs one line."""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.domain.context import Actor, Context, Place
from bot.domain.replies import Reply
from tests import postgres
from tests.conftest import MINI_CONTENT, make_context
from tests.faults import FULL, SORRY, disk_full, row_counts

ADA = make_context("ada")
ADMIN = Context(
    Actor("test", "U-admin", "Admin", is_admin=True), Place("test", "C-general", "general")
)


async def say(runtime: Runtime, words: str, ctx: Context = ADA) -> Reply:
    return await runtime.quizbot.handle_text(ctx, "mini-quiz", words)


def press(runtime: Runtime, reply: Reply, label: str, ctx: Context = ADA) -> Any:
    (button,) = [b for b in reply.buttons if b.label == label]
    return runtime.quizbot.handle_action(ctx, button.action_id, button.value)


async def test_every_interaction_on_a_full_disk_gets_a_reply(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    question = await say(runtime, "3")
    answer = await press(runtime, question, "Reveal answer")
    before = await row_counts(runtime.engine)
    caplog.set_level(logging.WARNING)
    with disk_full(runtime.engine):
        writes = [
            await say(runtime, "junior"),
            await say(runtime, "2"),
            await press(runtime, question, "Reveal answer"),
            await press(runtime, answer, "Knew it"),
            await say(runtime, "level mid"),
            await say(runtime, "timezone Europe/Berlin"),
            await say(runtime, "remind on"),
            await say(runtime, "subscribe 09:00 UTC", ADMIN),
        ]
        reads = [await say(runtime, "top"), await say(runtime, "schedule")]
    assert [reply.plain_text for reply in writes] == [SORRY] * 8
    assert "Leaderboard" in reads[0].plain_text  # reading still works on a full disk
    assert "no daily question" in reads[1].plain_text
    assert await row_counts(runtime.engine) == before
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 8
    assert all(r.exc_info is None for r in errors)
    assert all(FULL[runtime.engine.dialect.name] in r.getMessage() for r in errors)
    assert "Traceback" not in caplog.text
    # Once there is room again, the same grade goes through.
    assert "Recorded" in (await press(runtime, answer, "Knew it")).plain_text


@pytest.fixture
async def sqlite_runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}",
        content_dir=MINI_CONTENT,
    )
    built = await build_runtime(settings, rng=random.Random(3))
    yield built
    await built.aclose()


@pytest.fixture
async def postgres_runtime() -> AsyncIterator[tuple[Runtime, str]]:
    server = postgres.server_url()
    if server is None:
        pytest.skip(f"{postgres.ENV} is not set")
    async with postgres.fresh_database(server) as url:
        settings = Settings(_env_file=None, database_url=url, content_dir=MINI_CONTENT)
        built = await build_runtime(settings, rng=random.Random(3))
        yield built, url
        await built.aclose()


async def test_sqlites_own_disk_full_error_is_answered(
    sqlite_runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    """The real SQLITE_FULL: the database may not grow by a single page."""
    runtime = sqlite_runtime
    async with runtime.engine.connect() as connection:
        pages = (await connection.execute(text("PRAGMA page_count"))).scalar_one()
    await runtime.engine.dispose()

    @event.listens_for(runtime.engine.sync_engine, "connect")
    def cap(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count={pages}")
        cursor.close()

    replies = [
        await say(runtime, f"level {'junior' if n % 2 else 'mid'}", make_context(f"u{n}"))
        for n in range(200)
    ]
    failed = [r for r in replies if r.plain_text == SORRY]
    assert failed, "the database never filled up"
    assert all(r.plain_text == SORRY or "level" in r.plain_text.lower() for r in replies)
    assert "database or disk is full" in caplog.text
    assert "Traceback" not in caplog.text


async def test_a_lost_postgresql_connection_is_answered(
    postgres_runtime: tuple[Runtime, str], caplog: pytest.LogCaptureFixture
) -> None:
    runtime, database_url = postgres_runtime
    await say(runtime, "3")
    name = make_url(database_url).database
    dsn = make_url(database_url).set(drivername="postgresql", database="postgres")
    admin = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
        reply = await say(runtime, "4")
        assert reply.plain_text == SORRY
        assert "Traceback" not in caplog.text
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
    assert "Question 4" in (await say(runtime, "4")).plain_text
