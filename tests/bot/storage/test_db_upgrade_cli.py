"""`quizbot db upgrade`, run as an operator runs it, on databases made by earlier releases."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.bot.storage.populated import (
    add_orphan_attempt,
    counts,
    earlier_revisions,
    expected_after_upgrade,
    populated_database,
    read_database,
    sqlite_dump,
)
from tests.conftest import MINI_CONTENT

QUIZBOT = str(Path(sys.executable).with_name("quizbot"))


async def start_db_upgrade(database_url: str, cwd: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env |= {"DATABASE_URL": database_url, "QUIZBOT_CONTENT_DIR": str(MINI_CONTENT)}
    return await asyncio.create_subprocess_exec(
        QUIZBOT,
        "db",
        "upgrade",
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


async def finished(process: asyncio.subprocess.Process) -> subprocess.CompletedProcess[str]:
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return subprocess.CompletedProcess(
        [QUIZBOT, "db", "upgrade"], process.returncode, stdout.decode(), stderr.decode()
    )


async def db_upgrade(database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return await finished(await start_db_upgrade(database_url, cwd))


@pytest.mark.parametrize("start", earlier_revisions())
async def test_quizbot_db_upgrade_keeps_every_row(
    database_url: str, tmp_path: Path, start: str
) -> None:
    """Every revision from the migration scripts, head included (nothing to do)."""
    columns_at_start, before = await populated_database(database_url, start)

    done = await db_upgrade(database_url, tmp_path)

    assert done.returncode == 0, done.stderr
    assert "is at the newest schema" in done.stdout
    columns_now, after = await read_database(database_url)
    expected = expected_after_upgrade(columns_at_start, columns_now)
    assert counts(after) == counts(expected)
    assert {t: n for t, n in counts(expected).items() if t in before} == counts(before)
    assert after == expected


async def test_two_quizbot_db_upgrades_at_once_keep_every_row(
    database_url: str, tmp_path: Path
) -> None:
    """A web and a worker process start together, and each start upgrades.

    The database is held locked until both processes are at its door, so they really overlap.
    """
    start = earlier_revisions()[0]
    columns_at_start, before = await populated_database(database_url, start)

    async with held(database_url) as until_both_wait:
        processes = [await start_db_upgrade(database_url, tmp_path) for _ in range(2)]
        await until_both_wait(processes)
    both = [await finished(process) for process in processes]

    assert [done.returncode for done in both] == [0, 0], [done.stderr for done in both]
    assert [done.stderr for done in both] == ["", ""]
    columns_now, after = await read_database(database_url)
    expected = expected_after_upgrade(columns_at_start, columns_now)
    assert counts(after) == counts(expected)
    assert {t: n for t, n in counts(expected).items() if t in before} == counts(before)
    assert after == expected


Processes = list[asyncio.subprocess.Process]


@asynccontextmanager
async def held(database_url: str) -> AsyncIterator[Callable[[Processes], Awaitable[None]]]:
    """Lock the database against upgrades; yields a wait for the processes to queue behind it.

    PostgreSQL: alembic_version locked exclusively; the processes are queued when the server
    shows as many sessions waiting on a lock. SQLite: the write lock held; the best sign there
    is each process having the file open (it then takes the lock at once, or waits for it).
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = _absolute(url.database or "")
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")

        async def sqlite_wait(processes: Processes) -> None:
            async def all_opened() -> bool:
                return all(_has_open(process.pid, path) for process in processes)

            await until(all_opened, processes)

        try:
            yield sqlite_wait
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return

    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    holder_pg = await asyncpg.connect(dsn)
    transaction = holder_pg.transaction()
    await transaction.start()
    await holder_pg.execute("LOCK TABLE alembic_version IN ACCESS EXCLUSIVE MODE")

    async def postgres_wait(processes: Processes) -> None:
        # A session sees pg_stat_activity frozen for its transaction: ask from another one.
        watcher = await asyncpg.connect(dsn)

        async def all_waiting() -> bool:
            waiting = await watcher.fetchval(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return int(waiting) >= len(processes)

        try:
            await until(all_waiting, processes)
        finally:
            await watcher.close()

    try:
        yield postgres_wait
    finally:
        await transaction.rollback()
        await holder_pg.close()


def _absolute(database: str) -> Path:
    return Path(database).resolve()


def _has_open(pid: int, path: Path) -> bool:
    try:
        return any(link.resolve() == path for link in Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:  # the process ended, or a descriptor closed while we looked
        return False


async def until(condition: Callable[[], Awaitable[bool]], processes: Processes) -> None:
    """Poll while the processes run; one that ends first, or a stuck wait, fails the test."""
    give_up = asyncio.get_running_loop().time() + 120
    while not await condition():
        ended = [process.returncode for process in processes if process.returncode is not None]
        assert not ended, f"a quizbot db upgrade ended before it was queued: {ended}"
        assert asyncio.get_running_loop().time() < give_up, "never queued behind the lock"
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("start", earlier_revisions()[:-1])
async def test_quizbot_db_upgrade_refuses_a_broken_foreign_key_and_changes_nothing(
    tmp_path: Path, start: str
) -> None:
    path = tmp_path / "quizbot.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    await populated_database(url, start)
    add_orphan_attempt(path)
    before = sqlite_dump(path)

    done = await db_upgrade(url, tmp_path)

    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("The database was not upgraded and is unchanged: 1 row(s) in ")
    assert "table attempts have a user_id that matches no row in table users" in done.stderr
    assert sqlite_dump(path) == before
