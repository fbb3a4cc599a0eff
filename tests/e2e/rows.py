"""Rows read with a fresh engine, as an operator would look at the database after a run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select

from bot.storage.engine import create_engine


async def rows(database_url: str, query: Select[Any]) -> list[tuple[Any, ...]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in (await connection.execute(query)).all()]
    finally:
        await engine.dispose()
