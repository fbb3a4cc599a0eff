"""A fresh PostgreSQL database per test, when QUIZBOT_TEST_POSTGRES_URL names a server."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.engine import make_url

ENV = "QUIZBOT_TEST_POSTGRES_URL"


def server_url() -> str | None:
    return os.environ.get(ENV) or None


async def unreachable_reason(url: str) -> str | None:
    try:
        connection = await asyncpg.connect(_dsn(url), timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        where = make_url(url).render_as_string(hide_password=True)
        return f"PostgreSQL at {where} is not reachable: {exc}"
    await connection.close()
    return None


@asynccontextmanager
async def fresh_database(url: str) -> AsyncIterator[str]:
    """CREATE DATABASE for one test, DROP it after; yields its SQLAlchemy URL."""
    name = f"quizbot_test_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(_dsn(url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        admin = await asyncpg.connect(_dsn(url))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
