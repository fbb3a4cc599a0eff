"""`quizbot db upgrade`, run as an operator runs it, on databases made by earlier releases."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


async def db_upgrade(database_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    env |= {"DATABASE_URL": database_url, "QUIZBOT_CONTENT_DIR": str(MINI_CONTENT)}
    process = await asyncio.create_subprocess_exec(
        QUIZBOT,
        "db",
        "upgrade",
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return subprocess.CompletedProcess(
        [QUIZBOT, "db", "upgrade"], process.returncode, stdout.decode(), stderr.decode()
    )


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
    assert counts(after) == counts(before)
    assert after == expected_after_upgrade(columns_at_start, columns_now)


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
