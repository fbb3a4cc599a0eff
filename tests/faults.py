"""Faults a test can switch on: a database that cannot write (a full disk), raised where the
driver raises it, so SQLAlchemy and everything above see exactly what a real one produces."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.schema import metadata

WRITES = ("INSERT", "UPDATE", "DELETE")
FULL = {  # what SQLite (SQLITE_FULL) and PostgreSQL (53100 disk_full) say
    "sqlite": "database or disk is full",
    "postgresql": 'could not extend file "base/16384/2619": No space left on device',
}


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    """Rows per table: what a failed request must leave unchanged."""
    async with engine.connect() as connection:
        return {
            table.name: (
                await connection.execute(select(func.count()).select_from(table))
            ).scalar_one()
            for table in metadata.sorted_tables
        }


@contextmanager
def disk_full(engine: AsyncEngine) -> Iterator[None]:
    """Every write fails with the driver's own error class and the server's words for a full
    disk, raised where the driver raises it, so SQLAlchemy wraps it as it wraps the real one."""
    driver_error = engine.dialect.loaded_dbapi.OperationalError
    words = FULL[engine.dialect.name]

    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            raise driver_error(words)

    event.listen(engine.sync_engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", refuse)


SORRY = "Something went wrong on our side and nothing was saved. Please try again."
