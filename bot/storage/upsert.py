"""INSERT ... ON CONFLICT for SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


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


async def insert_ignore(
    connection: AsyncConnection, table: Table, values: Mapping[str, Any], keys: Sequence[str]
) -> None:
    """Insert unless a row with the same `keys` exists; safe under concurrent callers."""
    statement = insert_for(connection, table).values(**values)
    await connection.execute(statement.on_conflict_do_nothing(index_elements=list(keys)))
