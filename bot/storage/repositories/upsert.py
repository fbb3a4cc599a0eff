"""INSERT ... ON CONFLICT for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

T = TypeVar("T")


def insert_for(connection: AsyncConnection, table: Table) -> Any:
    """The dialect's own insert construct, which knows ON CONFLICT."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def upsert(
    connection: AsyncConnection,
    table: Table,
    values: Mapping[str, Any],
    keys: Sequence[str],
    update: Mapping[str, Any],
) -> None:
    statement = insert_for(connection, table).values(**values)
    statement = statement.on_conflict_do_update(index_elements=list(keys), set_=dict(update))
    await connection.execute(statement)


async def upsert_many(
    connection: AsyncConnection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    update_columns: Sequence[str],
) -> None:
    """One executemany upsert; on conflict the listed columns take the new row's values."""
    if not rows:
        return
    statement = insert_for(connection, table)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: statement.excluded[name] for name in update_columns}
    )
    await connection.execute(statement, [dict(row) for row in rows])


async def insert_ignore_many(
    connection: AsyncConnection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
) -> None:
    if not rows:
        return
    statement = insert_for(connection, table).on_conflict_do_nothing(index_elements=list(keys))
    await connection.execute(statement, [dict(row) for row in rows])


def chunked(items: Sequence[T], size: int = 300) -> list[Sequence[T]]:
    """Keeps `IN (...)` lists well under the bound-parameter limits of SQLite and asyncpg."""
    return [items[start : start + size] for start in range(0, len(items), size)]
