"""Engine construction: SQLite tuned for one busy process, PostgreSQL as it comes."""

from __future__ import annotations

import asyncio
import os
import socket
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.domain.errors import QuizError
from bot.storage.database_url import DatabaseTarget, resolve

DEFAULT_DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / 'quizbot.sqlite3'}"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# How long a failed SQLite open may take to wind its worker thread down (it has nothing to do).
SQLITE_WORKER_STOP_SECONDS = 5.0
BEGIN_OPTION = "quizbot_sqlite_begin"


class DatabaseUnavailable(QuizError):
    """The database cannot be opened; the message says what to do about it."""


def sqlite_path(url: str | URL) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def prepare_sqlite_folder(url: str | URL) -> None:
    """Create the default ./data folder; for any other path, say clearly what is wrong."""
    path = sqlite_path(url)
    if path is None:
        return
    folder = path.parent if str(path.parent) else Path(".")
    if make_url(url) == make_url(DEFAULT_DATABASE_URL):
        folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir():
        raise DatabaseUnavailable(
            f"The database folder {folder.resolve()} does not exist. Create it, or point "
            "DATABASE_URL at a folder that does."
        )
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise DatabaseUnavailable(
            f"The database folder {folder.resolve()} is not readable and writable by this user."
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnavailable(
            f"The database file {path.resolve()} is not readable and writable."
        )


def create_engine(url: str | DatabaseTarget) -> AsyncEngine:
    """`url` as DATABASE_URL gives it (see database_url.resolve) or already resolved."""
    target = resolve(url) if isinstance(url, str) else url
    prepare_sqlite_folder(target.url)
    if target.is_sqlite:
        engine = create_async_engine(
            target.url,
            connect_args={
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                "async_creator_fn": _open_sqlite,
            },
        )
        _tune_sqlite(engine)
        return engine
    return create_async_engine(target.url, pool_pre_ping=True, connect_args=target.connect_args)


async def check_connection(engine: AsyncEngine, target: DatabaseTarget) -> None:
    """Connect once at start, so an unreachable database is one clear line, not a traceback.

    The connect timeout (10 s, or the URL's `connect_timeout`) bounds how long this can take.
    """
    try:
        async with engine.connect():
            pass
    except (OSError, TimeoutError, SQLAlchemyError) as exc:
        await engine.dispose()
        reason = _reason(exc, target)
        if target.is_sqlite:
            raise DatabaseUnavailable(
                f"Could not open the database ({reason}). Check DATABASE_URL and that its "
                "folder is readable and writable."
            ) from None
        raise DatabaseUnavailable(
            f"DATABASE_URL {target.shown()}: cannot connect to PostgreSQL ({reason})."
        ) from None


def _reason(exc: BaseException, target: DatabaseTarget) -> str:
    """The cause in a few words, with the password blanked should a driver ever echo it."""
    chain = [exc]
    while chain[-1].__cause__ is not None:
        chain.append(chain[-1].__cause__)
    innermost = chain[-1]
    if any(isinstance(e, TimeoutError) for e in chain):
        reason = f"no answer within {target.connect_timeout or 0:g} s"
    elif isinstance(innermost, ConnectionRefusedError):
        reason = "connection refused: is PostgreSQL running and listening there?"
    elif isinstance(innermost, socket.gaierror):
        reason = f"host not found: {innermost.strerror}"
    elif isinstance(innermost, OSError) and innermost.strerror:
        reason = innermost.strerror
    else:
        reason = (str(innermost).strip().splitlines() or [type(innermost).__name__])[0]
    password = target.url.password
    return reason.replace(password, "***") if password else reason


async def _open_sqlite(*args: Any, **kwargs: Any) -> aiosqlite.Connection:
    """aiosqlite's connect, except that a failed open waits for its worker thread to stop.

    On failure aiosqlite queues the stop of its worker without waiting for it; if the loop
    closes first (`quizbot db upgrade` on a path SQLite cannot open), the worker reports to a
    closed loop and prints "Exception in thread ... Event loop is closed" under our one-line
    message. The daemon flag is what SQLAlchemy sets when it connects by itself.
    """
    connection = aiosqlite.connect(*args, **kwargs)
    worker = connection._thread
    worker.daemon = True
    try:
        return await connection
    except BaseException:
        await asyncio.to_thread(worker.join, SQLITE_WORKER_STOP_SECONDS)
        raise


def _tune_sqlite(engine: AsyncEngine) -> None:
    """WAL and a busy timeout; we emit BEGIN ourselves so writers can take the lock up front.

    A deferred transaction that reads and then writes can fail with "database is locked" at once,
    whatever the busy timeout; `BEGIN IMMEDIATE` waits for the write lock instead.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")
