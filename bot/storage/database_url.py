"""DATABASE_URL as operators paste it, turned into what our async drivers take.

Hosts hand out `postgres://…?sslmode=require` (libpq's spelling); SQLAlchemy wants a driver name
and asyncpg calls the SSL option `ssl`. Rather than fail with a traceback we translate what has one
meaning, and explain in one line what we can't use. Nothing here ever puts a password in a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot.domain.errors import QuizError

SQLITE_DRIVER = "sqlite+aiosqlite"
POSTGRES_DRIVER = "postgresql+asyncpg"
CONNECT_TIMEOUT_SECONDS = 10.0
EXAMPLES = (
    "sqlite+aiosqlite:///data/quizbot.sqlite3 (a file) or "
    "postgresql://user:password@host:5432/dbname (postgres:// works too)"
)

_SQLITE_SPELLINGS = {"sqlite", "sqlite+pysqlite", SQLITE_DRIVER}
_POSTGRES_SPELLINGS = {"postgres", "postgresql", "postgres+asyncpg", POSTGRES_DRIVER}
_SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
# Query parameters asyncpg (through SQLAlchemy) takes as they are.
_PASSED_ON = {"host", "port", "user", "password", "target_session_attrs"}
_PASSED_ON_INT = {"prepared_statement_cache_size"}
_SECRET_PARAMETERS = {"password", "sslpassword"}


class DatabaseUrlError(QuizError):
    """DATABASE_URL cannot be used as given; the message says what it should look like."""


@dataclass(frozen=True)
class DatabaseTarget:
    """A URL create_async_engine accepts, plus the connect arguments translated out of it."""

    url: URL
    connect_args: dict[str, Any] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def connect_timeout(self) -> float | None:
        timeout = self.connect_args.get("timeout")
        return float(timeout) if timeout is not None else None

    def shown(self) -> str:
        return _without_secrets(self.url)


def resolve(raw: str) -> DatabaseTarget:
    """What to connect to, or a DatabaseUrlError that never repeats the value (it may be secret)."""
    try:
        url = make_url(raw.strip())
    except (ArgumentError, ValueError):
        raise DatabaseUrlError(
            f"DATABASE_URL is not a database URL Quizbot understands. It should look like "
            f"{EXAMPLES}."
        ) from None
    if url.drivername in _SQLITE_SPELLINGS:
        return DatabaseTarget(url.set(drivername=SQLITE_DRIVER))
    if url.drivername in _POSTGRES_SPELLINGS:
        return _postgres(url.set(drivername=POSTGRES_DRIVER))
    raise DatabaseUrlError(
        f"DATABASE_URL starts with `{url.drivername}://`, which Quizbot cannot use. It should "
        f"look like {EXAMPLES}."
    )


def shown_database_url(raw: str) -> str:
    """The URL as we use it, fit to print: password and secret parameters masked."""
    return resolve(raw).shown()


def _postgres(url: URL) -> DatabaseTarget:
    """libpq's query parameters in the spelling asyncpg takes; a clear refusal for the rest."""
    query: dict[str, str] = {}
    connect_args: dict[str, Any] = {"timeout": CONNECT_TIMEOUT_SECONDS}
    for name, values in url.query.items():
        if not isinstance(values, str):
            raise _parameter_error(f"gives `{name}` more than once; give it once")
        value = values
        if name in ("sslmode", "ssl"):
            if value not in _SSL_MODES:
                raise _parameter_error(f"`{name}` must be one of {', '.join(_SSL_MODES)}")
            if name == "ssl" or "ssl" not in url.query:
                query["ssl"] = value
        elif name == "connect_timeout":
            connect_args["timeout"] = _seconds(value)
        elif name == "application_name":
            connect_args["server_settings"] = {"application_name": value}
        elif name == "channel_binding":
            if value == "require":
                raise _parameter_error(
                    "asks for `channel_binding=require`, which asyncpg (the PostgreSQL driver "
                    "Quizbot uses) cannot do; remove it (sslmode=verify-full checks the server)"
                )
            if value not in ("disable", "prefer"):
                raise _parameter_error("`channel_binding` must be disable, prefer or require")
        elif name in _PASSED_ON or name in _PASSED_ON_INT:
            if name in _PASSED_ON_INT and not value.isdecimal():
                raise _parameter_error(f"`{name}` must be a whole number")
            query[name] = value
        else:
            raise _parameter_error(
                f"has the parameter `{name}`, which Quizbot cannot pass to PostgreSQL; it "
                "understands sslmode, connect_timeout, application_name, channel_binding, "
                "target_session_attrs, prepared_statement_cache_size, host, port and user"
            )
    return DatabaseTarget(url.set(query=query), connect_args)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 3600:
        raise _parameter_error(
            "`connect_timeout` must be a number of seconds, above 0 and below 3600"
        )
    return seconds


def _parameter_error(problem: str) -> DatabaseUrlError:
    return DatabaseUrlError(f"DATABASE_URL {problem}.")


def _without_secrets(url: URL) -> str:
    return url.difference_update_query(_SECRET_PARAMETERS).render_as_string(hide_password=True)
