"""Upgrading a database made by any earlier release keeps every row, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import migrate
from bot.storage.engine import create_engine
from bot.storage.schema import metadata
from tests.bot.storage.populated import (
    DATASET,
    add_orphan_attempt,
    counts,
    dataset_at,
    earlier_revisions,
    expected_after_upgrade,
    populated_database,
    read_database,
    sqlite_dump,
)

OLDEST = earlier_revisions()[0]


def test_the_dataset_fills_every_column_of_every_table_with_several_rows() -> None:
    """A table or column added to the schema must be added here too, or nothing tests it."""
    assert set(DATASET) == set(metadata.tables)
    for name, table in metadata.tables.items():
        assert len(DATASET[name]) >= 3, name
        for row in DATASET[name]:
            assert set(row) == set(table.columns.keys()), name
        for column in table.columns:
            if column.nullable:
                values = {row[column.name] is None for row in DATASET[name]}
                assert values == {True, False}, f"{name}.{column.name}: NULL and not NULL"


@pytest.mark.parametrize("start", earlier_revisions())
async def test_upgrading_a_populated_database_keeps_every_row(
    database_url: str, start: str
) -> None:
    """Every revision but head, read from the migration scripts, so a new one is covered.

    Head is in the list too: an upgrade with nothing to do must keep every row as well.
    """
    columns_at_start, before = await populated_database(database_url, start)
    assert before == dataset_at(columns_at_start)

    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    assert await migrate.is_current(engine)
    await engine.dispose()

    columns_now, after = await read_database(database_url)
    expected = expected_after_upgrade(columns_at_start, columns_now)
    assert counts(after) == counts(expected)
    assert {t: n for t, n in counts(expected).items() if t in before} == counts(before)
    assert after == expected


async def pooled_foreign_keys(engine: AsyncEngine) -> int:
    """`PRAGMA foreign_keys` on the connection the upgrade used, now back in the pool."""
    assert engine.pool.checkedin() == 1
    async with engine.connect() as connection:
        return int((await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar_one())


async def test_sqlite_foreign_keys_are_on_again_after_an_upgrade(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"
    await populated_database(url, OLDEST)
    engine = create_engine(url)
    await migrate.upgrade(engine)
    assert await pooled_foreign_keys(engine) == 1
    await engine.dispose()


@pytest.mark.parametrize("start", earlier_revisions()[:-1])
async def test_an_upgrade_that_leaves_a_broken_foreign_key_is_refused_and_changes_nothing(
    tmp_path: Path, start: str
) -> None:
    path = tmp_path / "quizbot.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    await populated_database(url, start)
    add_orphan_attempt(path)
    before = sqlite_dump(path)

    engine = create_engine(url)
    with pytest.raises(migrate.UpgradeRefused) as refused:
        await migrate.upgrade(engine)
    assert await pooled_foreign_keys(engine) == 1
    await engine.dispose()

    assert "1 row(s) in table attempts have a user_id that matches no row in table users" in (
        refused.value.message
    )
    assert "unchanged" in refused.value.message
    assert sqlite_dump(path) == before
