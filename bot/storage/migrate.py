"""Apply Alembic migrations on the running engine's own connection (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.engine import BEGIN_OPTION, DatabaseUnavailable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
POSTGRES_UPGRADE_LOCK = 0x5155_495A  # "QUIZ"; advisory locks are per database


class UpgradeRefused(DatabaseUnavailable):
    """The migrated data broke a foreign key; everything was rolled back."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Every pending migration in one transaction: all of them apply, or none does."""
    if engine.dialect.name == "sqlite":
        async with engine.connect() as connection:
            await connection.run_sync(_upgrade_sqlite, revision)
        return

    def run(connection: Connection) -> None:
        # Processes that start together queue here; the next one then finds nothing to do.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({POSTGRES_UPGRADE_LOCK})")
        command.upgrade(alembic_config(connection), revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


def _upgrade_sqlite(connection: Connection, revision: str) -> None:
    """Foreign keys off while batch migrations rebuild tables, checked by hand before commit.

    Alembic rebuilds a table on SQLite by copying it and dropping the original; with foreign
    keys on, that drop cascades and empties every child table. The pragma is a no-op inside a
    transaction, so it is set on the raw connection before ours begins (the engine emits BEGIN
    itself and the driver runs in autocommit mode, so nothing has begun yet). The connection
    goes back to the pool, so foreign keys are turned on again whatever happens.
    """
    raw = connection.connection.dbapi_connection
    _set_foreign_keys(raw, on=False)
    try:
        immediate = connection.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        with immediate.begin():
            before = MigrationContext.configure(immediate).get_current_heads()
            command.upgrade(alembic_config(immediate), revision)
            if MigrationContext.configure(immediate).get_current_heads() != before:
                _refuse_broken_foreign_keys(immediate)
    finally:
        try:
            _set_foreign_keys(raw, on=True)
        except Exception:
            connection.invalidate()  # never hand out a connection without foreign keys
            raise


def _set_foreign_keys(raw: Any, *, on: bool) -> None:
    cursor = raw.cursor()
    try:
        cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
        cursor.execute("PRAGMA foreign_keys")
        (state,) = cursor.fetchone()
    finally:
        cursor.close()
    if bool(state) != on:
        raise RuntimeError(f"SQLite kept foreign_keys={state}: a transaction was already open")


def _refuse_broken_foreign_keys(connection: Connection) -> None:
    """Raise (so the transaction rolls back) if any row points at a row that isn't there."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if not broken:
        return
    table, _rowid, parent, key_id = broken[0]
    keys = connection.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all()
    column = next((key[3] for key in keys if key[0] == key_id), "?")
    in_table = sum(1 for row in broken if row[0] == table)
    others = len(broken) - in_table
    more = f" (and {others} more in other tables)" if others else ""
    raise UpgradeRefused(
        f"The database was not upgraded and is unchanged: {in_table} row(s) in table {table} "
        f"have a {column} that matches no row in table {parent}{more}. Delete or fix those "
        f"rows (`PRAGMA foreign_key_check` lists them), then run `quizbot db upgrade` again."
    )


async def is_current(engine: AsyncEngine) -> bool:
    """True when the database is at the newest migration."""

    def check(connection: Connection) -> bool:
        heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
        current = set(MigrationContext.configure(connection).get_current_heads())
        return current == heads

    async with engine.connect() as connection:
        return await connection.run_sync(check)
