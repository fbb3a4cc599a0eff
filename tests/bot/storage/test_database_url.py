"""DATABASE_URL as hosts give it, translated for the async drivers, or refused in one line."""

from __future__ import annotations

import pytest

from bot.storage.database_url import (
    CONNECT_TIMEOUT_SECONDS,
    DatabaseUrlError,
    resolve,
    shown_database_url,
)

SECRET = "pw-Zq7-secret"


def rendered(raw: str) -> str:
    return resolve(raw).url.render_as_string(hide_password=False)


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("sqlite:///x.sqlite3", "sqlite+aiosqlite:///x.sqlite3"),
        ("sqlite+pysqlite:////abs/q.db", "sqlite+aiosqlite:////abs/q.db"),
        ("sqlite+aiosqlite:///data/q.sqlite3", "sqlite+aiosqlite:///data/q.sqlite3"),
        (
            f"postgres://u:{SECRET}@db.host:5432/app",
            f"postgresql+asyncpg://u:{SECRET}@db.host:5432/app",
        ),
        (f"postgresql://u:{SECRET}@db.host/app", f"postgresql+asyncpg://u:{SECRET}@db.host/app"),
        ("postgresql+asyncpg://u@db.host/app", "postgresql+asyncpg://u@db.host/app"),
        ("  postgres://u@h/app\n", "postgresql+asyncpg://u@h/app"),
    ],
)
def test_driverless_and_sync_spellings_get_the_async_driver(given: str, used: str) -> None:
    assert rendered(given) == used


@pytest.mark.parametrize(
    "mode", ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
)
def test_sslmode_becomes_asyncpgs_ssl(mode: str) -> None:
    target = resolve(f"postgres://u:{SECRET}@h:5432/app?sslmode={mode}")
    assert dict(target.url.query) == {"ssl": mode}


def test_explicit_ssl_wins_over_sslmode() -> None:
    target = resolve("postgresql://u@h/app?sslmode=disable&ssl=require")
    assert dict(target.url.query) == {"ssl": "require"}


def test_connect_timeout_defaults_to_ten_seconds_and_the_url_can_set_it() -> None:
    assert resolve("postgres://u@h/app").connect_args == {"timeout": CONNECT_TIMEOUT_SECONDS}
    assert CONNECT_TIMEOUT_SECONDS == 10
    target = resolve("postgres://u@h/app?connect_timeout=2.5")
    assert target.connect_args["timeout"] == 2.5
    assert dict(target.url.query) == {}


def test_application_name_becomes_a_server_setting_and_channel_binding_prefer_is_dropped() -> None:
    target = resolve("postgres://u@h/app?application_name=quizbot&channel_binding=prefer")
    assert target.connect_args["server_settings"] == {"application_name": "quizbot"}
    assert dict(target.url.query) == {}


def test_parameters_asyncpg_takes_pass_through() -> None:
    target = resolve(
        "postgres://u@/app?host=/var/run/postgresql&target_session_attrs=read-write"
        "&prepared_statement_cache_size=0"
    )
    assert dict(target.url.query) == {
        "host": "/var/run/postgresql",
        "target_session_attrs": "read-write",
        "prepared_statement_cache_size": "0",
    }


def test_shown_url_has_no_password_anywhere() -> None:
    shown = shown_database_url(f"postgres://u:{SECRET}@h/app?sslmode=require")
    assert shown == "postgresql+asyncpg://u:***@h/app?ssl=require"
    in_query = shown_database_url(f"postgres://u@h/app?password={SECRET}")
    assert SECRET not in in_query
    assert in_query == "postgresql+asyncpg://u@h/app"


@pytest.mark.parametrize(
    ("given", "fragment"),
    [
        ("garbage", "is not a database URL Quizbot understands"),
        ("", "is not a database URL Quizbot understands"),
        (f"mysql://u:{SECRET}@h/app", "starts with `mysql://`, which Quizbot cannot use"),
        (f"postgresql+psycopg2://u:{SECRET}@h/app", "starts with `postgresql+psycopg2://`"),
        (f"postgres://u:{SECRET}@h:notaport/app", "is not a database URL"),
        (f"postgres://u:{SECRET}@h/app?sslmode=sometimes", "`sslmode` must be one of disable"),
        (f"postgres://u:{SECRET}@h/app?connect_timeout=0", "`connect_timeout` must be"),
        (f"postgres://u:{SECRET}@h/app?connect_timeout=soon", "`connect_timeout` must be"),
        (f"postgres://u:{SECRET}@h/app?channel_binding=require", "cannot do; remove it"),
        (f"postgres://u:{SECRET}@h/app?pgbouncer=true", "the parameter `pgbouncer`"),
        (f"postgres://u:{SECRET}@h/app?ssl=require&ssl=disable", "gives `ssl` more than once"),
        (
            f"postgres://u:{SECRET}@h/app?prepared_statement_cache_size=lots",
            "`prepared_statement_cache_size` must be a whole number",
        ),
    ],
)
def test_unusable_urls_are_explained_without_the_secret(given: str, fragment: str) -> None:
    with pytest.raises(DatabaseUrlError) as refused:
        resolve(given)
    message = refused.value.message
    assert fragment in message
    assert message.startswith("DATABASE_URL ")
    assert "\n" not in message
    assert SECRET not in message
