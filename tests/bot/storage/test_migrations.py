from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.storage import migrate
from bot.storage.engine import create_engine
from bot.storage.schema import metadata


async def test_upgrade_creates_the_schema_exactly(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)

    def diff(connection: Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))

    def tables(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names())

    async with engine.connect() as connection:
        assert await connection.run_sync(diff) == []
        assert {
            "users",
            "channels",
            "subscriptions",
            "posts",
            "attempts",
        } <= await connection.run_sync(tables)
        assert {"exposures", "review_states", "alembic_version"} <= await connection.run_sync(
            tables
        )
    assert await migrate.is_current(engine)
    await engine.dispose()


async def test_upgrade_twice_is_harmless(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    await migrate.upgrade(engine)
    assert await migrate.is_current(engine)
    await engine.dispose()


async def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}")
    async with engine.connect() as connection:
        mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
        timeout = (await connection.execute(text("PRAGMA busy_timeout"))).scalar_one()
        foreign_keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
    await engine.dispose()
    assert (mode, timeout, foreign_keys) == ("wal", 30000, 1)
    assert (tmp_path / "quizbot.sqlite3").exists()
