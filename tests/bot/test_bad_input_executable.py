"""Bad content, numbers and DATABASE_URLs through the real `quizbot` executable: one clear
message, the right exit code, no traceback, and never a password in the output."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests import postgres
from tests.conftest import MINI_CONTENT
from tests.pg_standin import closed_port, password_refusing_server, silent_server

QUIZBOT = str(Path(sys.executable).with_name("quizbot"))
SECRET = "pw-Zq7-secret"


def quizbot(
    args: list[str], cwd: Path, *, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [QUIZBOT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean | {"QUIZBOT_CONTENT_DIR": str(MINI_CONTENT)} | env,
        cwd=cwd,
        timeout=120,
    )


# Content -----------------------------------------------------------------------------------------


@pytest.fixture
def bad_content(tmp_path: Path) -> tuple[Path, list[str]]:
    """The mini pack with a huge number, a Latin-1 file and a 2 MB file; the expected lines."""
    root = tmp_path / "content"
    shutil.copytree(MINI_CONTENT, root)
    questions = root / "mini" / "questions"
    huge = questions / "q003-event-loop.md"
    huge.write_text(huge.read_text().replace("number: 3\n", "number: 1000000000\n"))
    latin = questions / "q004-route-order.md"
    latin.write_bytes(latin.read_bytes() + "\nCaf\xe9\n".encode("latin-1"))
    latin_line = latin.read_bytes().count(b"\n")
    big = questions / "q007-big.md"
    big.write_bytes(b"---\n" + b"x" * 2_000_000)
    expected = [
        f"{huge}:3: `number` must be a whole number from 1 to 9999",
        f"{latin}:{latin_line}: not UTF-8 (byte 0xe9 at column 4); save the file as UTF-8",
        f"{big}:1: file is over the 1 MB limit for content files (1,000,000 bytes)",
    ]
    return root, expected


def test_content_check_lists_every_bad_file_and_exits_1(
    tmp_path: Path, bad_content: tuple[Path, list[str]]
) -> None:
    root, expected = bad_content
    result = quizbot(["content", "check", str(root)], tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [*expected, "3 problem(s) found."]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args", [["console", "--user", "ada"], ["run"], ["post-due"], ["slack", "manifest"]]
)
def test_start_up_with_a_bad_pack_lists_the_problems_and_stops(
    tmp_path: Path, bad_content: tuple[Path, list[str]], args: list[str]
) -> None:
    root, expected = bad_content
    result = quizbot(
        args,
        tmp_path,
        stdin="help\n",
        QUIZBOT_CONTENT_DIR=str(root),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}",
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["3 content problem(s):", *expected]
    assert "quizbot>" not in result.stdout


# Typed numbers -----------------------------------------------------------------------------------


def test_console_answers_huge_and_negative_numbers_like_one_past_the_end(tmp_path: Path) -> None:
    huge = "9" * 5000
    result = quizbot(
        ["console", "--user", "ada"],
        tmp_path,
        stdin=f"{huge}\n-1\n7\n",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    replies = [line for line in result.stdout.splitlines() if line.startswith("There is no")]
    assert replies == [
        f"There is no question {'9' * 20}…: this pack has questions 1 to 6.",
        "There is no question -1: this pack has questions 1 to 6.",
        "There is no question 7: this pack has questions 1 to 6.",
    ]


# DATABASE_URL ------------------------------------------------------------------------------------


def db_upgrade(tmp_path: Path, url: str) -> tuple[int, str]:
    """Exit code and the one line on stderr; nothing may show a password or a traceback."""
    result = quizbot(["db", "upgrade"], tmp_path, DATABASE_URL=url)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert SECRET not in output
    if result.returncode == 0:
        return 0, result.stdout.strip()
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return result.returncode, lines[0]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "garbage",
            "DATABASE_URL is not a database URL Quizbot understands. It should look like "
            "sqlite+aiosqlite:///data/quizbot.sqlite3 (a file) or "
            "postgresql://user:password@host:5432/dbname (postgres:// works too).",
        ),
        (
            f"mysql://ada:{SECRET}@db.example.com/quizbot",
            "DATABASE_URL starts with `mysql://`, which Quizbot cannot use. It should look like "
            "sqlite+aiosqlite:///data/quizbot.sqlite3 (a file) or "
            "postgresql://user:password@host:5432/dbname (postgres:// works too).",
        ),
        (
            f"postgres://ada:{SECRET}@db.example.com/quizbot?sslmode=sometimes",
            "DATABASE_URL `sslmode` must be one of disable, allow, prefer, require, verify-ca, "
            "verify-full.",
        ),
    ],
)
def test_unusable_database_url_is_explained(tmp_path: Path, url: str, message: str) -> None:
    assert db_upgrade(tmp_path, url) == (2, message)
    assert list(tmp_path.iterdir()) == []


def test_sync_sqlite_url_is_translated_and_works(tmp_path: Path) -> None:
    assert db_upgrade(tmp_path, "sqlite:///x.sqlite3") == (
        0,
        "Database sqlite+aiosqlite:///x.sqlite3 is at the newest schema.",
    )
    assert (tmp_path / "x.sqlite3").stat().st_size > 0


def test_refused_connection(tmp_path: Path) -> None:
    port = closed_port()
    assert db_upgrade(tmp_path, f"postgres://ada:{SECRET}@127.0.0.1:{port}/quizbot") == (
        2,
        f"DATABASE_URL postgresql+asyncpg://ada:***@127.0.0.1:{port}/quizbot: cannot connect to "
        "PostgreSQL (connection refused: is PostgreSQL running and listening there?).",
    )


def test_unknown_host(tmp_path: Path) -> None:
    """`.invalid` never resolves (RFC 6761); without DNS at all the resolver fails the same way."""
    code, line = db_upgrade(tmp_path, f"postgresql://ada:{SECRET}@no-such-host.invalid/quizbot")
    assert code == 2
    assert line.startswith(
        "DATABASE_URL postgresql+asyncpg://ada:***@no-such-host.invalid/quizbot: cannot connect "
        "to PostgreSQL (host not found: "
    )


def test_wrong_password(tmp_path: Path) -> None:
    with password_refusing_server() as server:
        port = server.server_address[1]
        code, line = db_upgrade(
            tmp_path, f"postgresql://ada:{SECRET}@127.0.0.1:{port}/quizbot?sslmode=prefer"
        )
    assert server.passwords_received == [SECRET]  # it was sent to the server, and only there
    assert (code, line) == (
        2,
        f"DATABASE_URL postgresql+asyncpg://ada:***@127.0.0.1:{port}/quizbot?ssl=prefer: cannot "
        'connect to PostgreSQL (password authentication failed for user "ada").',
    )


def test_server_that_never_answers_is_given_up_on(tmp_path: Path) -> None:
    """The default is 10 s; the URL's libpq `connect_timeout` shortens it for this test."""
    with silent_server() as port:
        assert db_upgrade(
            tmp_path, f"postgres://ada:{SECRET}@127.0.0.1:{port}/quizbot?connect_timeout=1"
        ) == (
            2,
            f"DATABASE_URL postgresql+asyncpg://ada:***@127.0.0.1:{port}/quizbot: cannot "
            "connect to PostgreSQL (no answer within 1 s).",
        )


# Against the real PostgreSQL, when QUIZBOT_TEST_POSTGRES_URL names one ---------------------------


@pytest.fixture
def postgres_server() -> str:
    server = postgres.server_url()
    if server is None:
        pytest.skip(f"{postgres.ENV} is not set")
    reason = asyncio.run(postgres.unreachable_reason(server))
    if reason is not None:
        pytest.skip(reason)
    return server


def paas_style(url: str, **parts: str) -> str:
    """`postgres://user:password@host:port/db`, the way Heroku, Render or Railway give it."""
    return make_url(url).set(drivername="postgres", **parts).render_as_string(hide_password=False)  # type: ignore[arg-type]


def test_missing_database_and_role(tmp_path: Path, postgres_server: str) -> None:
    missing = f"quizbot_missing_{uuid.uuid4().hex[:12]}"
    code, line = db_upgrade(tmp_path, paas_style(postgres_server, database=missing))
    assert code == 2
    assert line.endswith(f'cannot connect to PostgreSQL (database "{missing}" does not exist).')
    code, line = db_upgrade(tmp_path, paas_style(postgres_server, username="nobody_here"))
    assert code == 2
    assert 'role "nobody_here" does not exist' in line


@pytest.mark.parametrize("query", ["", "?sslmode=disable&application_name=quizbot-test"])
async def test_paas_postgres_url_works_end_to_end(
    tmp_path: Path, postgres_server: str, query: str
) -> None:
    async with postgres.fresh_database(postgres_server) as fresh:
        url = paas_style(fresh) + query
        assert url.startswith("postgres://")
        result = await asyncio.to_thread(quizbot, ["db", "upgrade"], tmp_path, DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        assert "is at the newest schema" in result.stdout
        dsn = make_url(fresh).set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            tables = {
                r["tablename"] for r in await connection.fetch("select tablename from pg_tables")
            }
        finally:
            await connection.close()
    assert {"users", "attempts", "alembic_version"} <= tables


# Other settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("PORT", "abc", "Setting PORT: Input should be a valid integer"),
        ("QUIZBOT_LOG_LEVEL", "LOUD", "Setting QUIZBOT_LOG_LEVEL: Value error, use one of DEBUG"),
        ("SLACK_RATE_LIMIT", "-3", "Setting SLACK_RATE_LIMIT: Input should be greater than 0"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(
    tmp_path: Path, name: str, value: str, line: str
) -> None:
    result = quizbot(["db", "upgrade"], tmp_path, **{name: value})
    assert result.returncode == 2
    assert result.stderr.startswith(line)
    assert len(result.stderr.splitlines()) == 1
    assert value not in result.stderr
    assert not (tmp_path / "data").exists()
