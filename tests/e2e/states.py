"""What the posts table says, read with a fresh engine (the processes that wrote it are gone)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from bot.storage.engine import create_engine
from bot.storage.schema import posts


async def post_states(database_url: str) -> Counter[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return Counter((await connection.execute(select(posts.c.state))).scalars().all())
    finally:
        await engine.dispose()
