"""A populated database at any schema revision, and what its rows must look like after upgrading.

One dataset is written against the newest schema. At an older revision only the columns that
exist there (found by reflection) are inserted; after the upgrade those columns must hold exactly
the same values, and columns that later migrations added must hold their documented values.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, insert, select
from sqlalchemy.engine import Connection

from bot.storage import migrate
from bot.storage.engine import create_engine
from bot.storage.schema import metadata

Row = dict[str, Any]
Rows = dict[str, list[Row]]

VERSION_TABLE = "alembic_version"


def earlier_revisions() -> list[str]:
    """Every revision an existing database can be at, oldest first, head last.

    Read from the migration scripts, so a new migration is covered without editing any list.
    Head is included to show that an upgrade with nothing to do keeps every row too.
    """
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def _at(day: int, hour: int, minute: int = 0, micro: int = 0) -> datetime:
    """A naive UTC timestamp in March 2026 (how every database stores our timestamps)."""
    return datetime(2026, 3, day, hour, minute, 0, micro)


def _bot(n: int) -> Row:
    """A workspace's bot as slack_sdk's store saves it: n=1 a team install, n=2 a bare row
    (every optional column empty), n=3 an Enterprise Grid org-wide install."""
    full = n != 2
    org = n == 3
    return {
        "id": n,
        "client_id": "111.222",
        "app_id": "A0QUIZ",
        "enterprise_id": "E0ORG" if org else None,
        "enterprise_name": "Org" if org else None,
        "team_id": None if org or not full else f"T0TEAM{n}",
        "team_name": f"Team {n}" if full and not org else None,
        "bot_token": f"xoxb-{n}" if full else None,
        "bot_id": f"B0{n}" if full else None,
        "bot_user_id": "U0BOT" if full else None,
        "bot_scopes": "commands,chat:write" if full else None,
        "bot_refresh_token": "xoxe-1" if org else None,
        "bot_token_expires_at": _at(9, 8, 0) if org else None,
        "is_enterprise_install": org,
        "installed_at": _at(1, 8, 0, n),
    }


def _installation(n: int) -> Row:
    """An installation row: the bot's columns plus who installed it and their token."""
    row = _bot(n)
    full = n != 2
    return row | {
        "enterprise_url": "https://org.enterprise.slack.com/" if n == 3 else None,
        "user_id": "U0ADA",
        "user_token": "xoxp-1" if n == 1 else None,
        "user_scopes": "search:read" if n == 1 else None,
        "user_refresh_token": "xoxe-2" if n == 1 else None,
        "user_token_expires_at": _at(9, 9, 0) if n == 1 else None,
        "incoming_webhook_url": "https://hooks.slack.test/1" if n == 1 else None,
        "incoming_webhook_channel": "#general" if n == 1 else None,
        "incoming_webhook_channel_id": "C0GEN" if n == 1 else None,
        "incoming_webhook_configuration_url": "https://slack.test/conf" if n == 1 else None,
        "token_type": "bot" if full else None,
    }


CARD = '{"card_id": %d, "state": 2, "step": null, "stability": 3.17, "difficulty": 5.28}'

# The newest schema's view of a small team that has used the bot for a week: users who graded
# (attempts, cards, exposures), one who never did, channels with subscriptions and daily posts.
DATASET: Rows = {
    "users": [
        {
            "id": 1,
            "platform": "slack",
            "platform_user_id": "U0ADA",
            "display_name": "Ada Lovelace",
            "timezone": "Europe/London",
            "level": "mid",
            "remind": True,
            "reminded_on": date(2026, 3, 6),
            "created_at": _at(1, 8, 0, 123456),
            "workspace_id": "T0TEAM1",
            "enterprise_id": "E0ORG",
            "paused_at": _at(8, 6, 0),
        },
        {
            "id": 2,
            "platform": "discord",
            "platform_user_id": "123456789012345678",
            "display_name": "Zoë Ångström",
            "timezone": "Asia/Tokyo",
            "level": None,
            "remind": False,
            "reminded_on": None,
            "created_at": _at(1, 23, 59, 999999),
            "workspace_id": None,
            "enterprise_id": None,
            "paused_at": None,
        },
        {
            "id": 3,
            "platform": "console",
            "platform_user_id": "watanabe",
            "display_name": "渡辺 健 🚀",
            "timezone": None,
            "level": "senior",
            "remind": True,
            "reminded_on": None,
            "created_at": _at(2, 0, 0),
            "workspace_id": None,
            "enterprise_id": None,
            "paused_at": None,
        },
        {
            "id": 4,
            "platform": "slack",
            "platform_user_id": "U0NEW",
            "display_name": "Brand-new, never graded",
            "timezone": "America/New_York",
            "level": "junior",
            "remind": False,
            "reminded_on": None,
            "created_at": _at(7, 12, 30),
            "workspace_id": "T0TEAM1",
            "enterprise_id": None,
            "paused_at": None,
        },
    ],
    "channels": [
        {
            "id": 1,
            "platform": "slack",
            "platform_channel_id": "C0GENERAL",
            "name": "général",
            "created_at": _at(1, 9, 0),
            "workspace_id": "T0TEAM1",
            "enterprise_id": "E0ORG",
        },
        {
            "id": 2,
            "platform": "discord",
            "platform_channel_id": "998877665544332211",
            "name": "обучение-python",
            "created_at": _at(1, 9, 5, 500),
            "workspace_id": None,
            "enterprise_id": None,
        },
        {
            "id": 3,
            "platform": "console",
            "platform_channel_id": "console",
            "name": "console",
            "created_at": _at(2, 0, 0),
            "workspace_id": None,
            "enterprise_id": None,
        },
    ],
    "subscriptions": [
        {
            "id": 1,
            "channel_id": 1,
            "pack_id": "fastapi",
            "active": True,
            "post_time": "09:00",
            "timezone": "Europe/Paris",
            "weekdays": "mon,tue,wed,thu,fri",
            "level": None,
            "reveal_time": "17:00",
            "team_threshold": 2,
            "grace_minutes": 60,
            "created_at": _at(1, 9, 1),
            "updated_at": _at(3, 10, 0, 42),
            "paused_at": _at(8, 6, 0),
        },
        {
            "id": 2,
            "channel_id": 2,
            "pack_id": "fastapi",
            "active": False,
            "post_time": "23:30",
            "timezone": "Asia/Tokyo",
            "weekdays": "mon,tue,wed,thu,fri,sat,sun",
            "level": "senior",
            "reveal_time": None,
            "team_threshold": 3,
            "grace_minutes": 240,
            "created_at": _at(1, 9, 6),
            "updated_at": _at(1, 9, 6),
            "paused_at": None,
        },
        {
            "id": 3,
            "channel_id": 3,
            "pack_id": "mini",
            "active": True,
            "post_time": "07:15",
            "timezone": "UTC",
            "weekdays": "mon,wed,fri",
            "level": "junior",
            "reveal_time": None,
            "team_threshold": 1,
            "grace_minutes": 180,
            "created_at": _at(2, 0, 1),
            "updated_at": _at(2, 0, 1),
            "paused_at": None,
        },
    ],
    "posts": [
        {
            "id": 1,
            "channel_id": 1,
            "pack_id": "fastapi",
            "local_date": date(2026, 3, 2),
            "question_id": "path-parameters",
            "state": "posted",
            "lease_until": None,
            "tries": 1,
            "platform_message_id": "1772442000.000100",
            "platform_thread_id": "1772442000.000100",
            "claimed_at": _at(2, 8, 0),
            "posted_at": _at(2, 8, 0, 250000),
            "revealed_at": _at(2, 16, 0),
        },
        {
            "id": 2,
            "channel_id": 1,
            "pack_id": "fastapi",
            "local_date": date(2026, 3, 3),
            "question_id": "dependency-injection",
            "state": "posted",
            "lease_until": None,
            "tries": 2,
            "platform_message_id": "1772528400.000200",
            "platform_thread_id": None,
            "claimed_at": _at(3, 8, 0),
            "posted_at": _at(3, 8, 1),
            "revealed_at": None,
        },
        {
            "id": 3,
            "channel_id": 2,
            "pack_id": "fastapi",
            "local_date": date(2026, 3, 3),
            "question_id": "async-await",
            "state": "posted",
            "lease_until": None,
            "tries": 1,
            "platform_message_id": "1111111111111111111",
            "platform_thread_id": "2222222222222222222",
            "claimed_at": _at(2, 14, 30),
            "posted_at": _at(2, 14, 30, 10),
            "revealed_at": None,
        },
        {
            "id": 4,
            "channel_id": 3,
            "pack_id": "mini",
            "local_date": date(2026, 3, 4),
            "question_id": "first",
            "state": "claimed",
            "lease_until": _at(4, 7, 20),
            "tries": 0,
            "platform_message_id": None,
            "platform_thread_id": None,
            "claimed_at": _at(4, 7, 15),
            "posted_at": None,
            "revealed_at": None,
        },
    ],
    "attempts": [
        {
            "id": 1,
            "user_id": 1,
            "pack_id": "fastapi",
            "question_id": "path-parameters",
            "grade": "knew",
            "graded_at": _at(2, 9, 15, 1),
            "local_date": date(2026, 3, 2),
            "channel_id": 1,
            "post_id": 1,
            "written_answer": "A path parameter is part of the URL: `/items/{item_id}`.",
            "coverage": "11010",
        },
        {
            "id": 2,
            "user_id": 1,
            "pack_id": "fastapi",
            "question_id": "dependency-injection",
            "grade": "partly",
            "graded_at": _at(3, 23, 45),
            "local_date": date(2026, 3, 3),
            "channel_id": 1,
            "post_id": 2,
            "written_answer": None,
            "coverage": None,
        },
        {
            "id": 3,
            "user_id": 2,
            "pack_id": "fastapi",
            "question_id": "async-await",
            # 20:10 UTC is already the 4th in Tokyo; a release with local dates stored that.
            "grade": "missed",
            "graded_at": _at(3, 20, 10),
            "local_date": date(2026, 3, 4),
            "channel_id": 2,
            "post_id": 3,
            "written_answer": "Ünïcödé answer ✓ with `code`\nand a second line.",
            "coverage": "100",
        },
        {
            "id": 4,
            "user_id": 2,
            "pack_id": "fastapi",
            "question_id": "async-await",
            "grade": "knew",
            "graded_at": _at(5, 1, 0),
            "local_date": date(2026, 3, 5),
            "channel_id": None,
            "post_id": None,
            "written_answer": None,
            "coverage": None,
        },
        {
            "id": 5,
            "user_id": 3,
            "pack_id": "mini",
            "question_id": "first",
            "grade": "knew",
            "graded_at": _at(4, 7, 30, 999999),
            "local_date": date(2026, 3, 4),
            "channel_id": 3,
            "post_id": None,
            "written_answer": "",
            "coverage": "000",
        },
        {
            "id": 6,
            "user_id": 3,
            "pack_id": "mini",
            "question_id": "second",
            "grade": "missed",
            "graded_at": _at(6, 12, 0),
            "local_date": date(2026, 3, 6),
            "channel_id": None,
            "post_id": None,
            "written_answer": None,
            "coverage": None,
        },
    ],
    "review_states": [
        {
            "user_id": 1,
            "pack_id": "fastapi",
            "question_id": "path-parameters",
            "card_json": CARD % 1,
            "due": _at(12, 9, 15, 1),
            "updated_at": _at(2, 9, 15, 1),
        },
        {
            "user_id": 1,
            "pack_id": "fastapi",
            "question_id": "dependency-injection",
            "card_json": CARD % 2,
            "due": _at(5, 23, 45),
            "updated_at": _at(3, 23, 45),
        },
        {
            "user_id": 2,
            "pack_id": "fastapi",
            "question_id": "async-await",
            "card_json": CARD % 3,
            "due": _at(8, 1, 0),
            "updated_at": _at(5, 1, 0),
        },
        {
            "user_id": 3,
            "pack_id": "mini",
            "question_id": "first",
            "card_json": '{"card_id": 4, "note": "Ünïcödé ✓"}',
            "due": _at(14, 7, 30, 999999),
            "updated_at": _at(4, 7, 30, 999999),
        },
        {
            "user_id": 3,
            "pack_id": "mini",
            "question_id": "second",
            "card_json": CARD % 5,
            "due": _at(7, 12, 0),
            "updated_at": _at(6, 12, 0),
        },
    ],
    "exposures": [
        {
            "user_id": 1,
            "pack_id": "fastapi",
            "question_id": "path-parameters",
            "asked_at": _at(2, 9, 0),
            "revealed_at": _at(2, 9, 10),
            "graded_at": _at(2, 9, 15, 1),
            "written_answer": None,
            "coverage": None,
        },
        {
            "user_id": 1,
            "pack_id": "fastapi",
            "question_id": "dependency-injection",
            "asked_at": _at(3, 23, 0),
            "revealed_at": _at(3, 23, 40),
            "graded_at": _at(3, 23, 45),
            "written_answer": "Depends() runs a function per request and passes its result in.",
            "coverage": "10",
        },
        {
            "user_id": 2,
            "pack_id": "fastapi",
            "question_id": "async-await",
            "asked_at": None,
            "revealed_at": _at(5, 0, 59),
            "graded_at": _at(5, 1, 0),
            "written_answer": None,
            "coverage": None,
        },
        {
            "user_id": 3,
            "pack_id": "mini",
            "question_id": "second",
            "asked_at": _at(6, 11, 0),
            "revealed_at": _at(6, 11, 58),
            "graded_at": _at(6, 12, 0),
            "written_answer": "no idea",
            "coverage": "00000",
        },
        {
            "user_id": 4,
            "pack_id": "fastapi",
            "question_id": "path-parameters",
            "asked_at": _at(7, 12, 31),
            "revealed_at": None,
            "graded_at": None,
            "written_answer": None,
            "coverage": None,
        },
    ],
    "mock_interviews": [
        {
            "id": 1,
            "user_id": 1,
            "pack_id": "fastapi",
            "level": "mid",
            "state": "finished",
            "items": '[{"question":"path-parameters","shown_at":"2026-03-02T09:00:00+00:00",'
            '"answered_at":"2026-03-02T09:02:10+00:00","coverage":"1101","grade":"knew",'
            '"skipped":false}]',
            "started_at": _at(2, 9, 0),
            "last_activity_at": _at(2, 9, 2, 10),
        },
        {
            "id": 2,
            "user_id": 1,
            "pack_id": "fastapi",
            "level": None,
            "state": "active",
            "items": '[{"question":"async-await","shown_at":null,"answered_at":null,'
            '"coverage":null,"grade":null,"skipped":false}]',
            "started_at": _at(8, 10, 0),
            "last_activity_at": _at(8, 10, 0),
        },
        {
            "id": 3,
            "user_id": 3,
            "pack_id": "mini",
            "level": "junior",
            "state": "expired",
            "items": "[]",
            "started_at": _at(6, 7, 0, 5),
            "last_activity_at": _at(6, 8, 0),
        },
    ],
    "slack_installations": [_installation(n) for n in (1, 2, 3)],
    "slack_bots": [_bot(n) for n in (1, 2, 3)],
    "slack_oauth_states": [
        {"id": n, "state": f"state-{n}", "expire_at": _at(1, 8, 10 + n)} for n in (1, 2, 3)
    ],
}

# Tables that a migration created; an upgrade leaves them empty.
LATER_TABLES = {
    "mock_interviews",  # 0005
    "slack_installations",  # 0006
    "slack_bots",  # 0006
    "slack_oauth_states",  # 0006
}

# Columns that a migration added, and the value each existing row gets (see that migration).
LATER_COLUMNS: Mapping[tuple[str, str], Callable[[Row], Any]] = {
    ("subscriptions", "grace_minutes"): lambda _row: 180,  # 0002: server default
    ("attempts", "local_date"): lambda row: row["graded_at"].date(),  # 0003: DATE(graded_at)
    ("users", "remind"): lambda _row: False,  # 0003: server default false
    ("users", "reminded_on"): lambda _row: None,  # 0003: nullable, no default
    ("exposures", "written_answer"): lambda _row: None,  # 0004: nullable, no default
    ("exposures", "coverage"): lambda _row: None,
    ("attempts", "written_answer"): lambda _row: None,
    ("attempts", "coverage"): lambda _row: None,
    # 0007: nullable, no default; a single-workspace install fills the workspace at its next
    # start (bot.usecases.workspaces.adopt_workspace), not the migration.
    ("channels", "workspace_id"): lambda _row: None,
    ("channels", "enterprise_id"): lambda _row: None,
    ("users", "workspace_id"): lambda _row: None,
    ("users", "enterprise_id"): lambda _row: None,
    ("users", "paused_at"): lambda _row: None,
    ("subscriptions", "paused_at"): lambda _row: None,
}


def _reflect(connection: Connection) -> MetaData:
    reflected = MetaData()
    reflected.reflect(connection)
    reflected.remove(reflected.tables[VERSION_TABLE])
    return reflected


def columns_of(connection: Connection) -> dict[str, list[str]]:
    """The tables and columns this database has now (not the ones schema.py describes)."""
    return {name: [c.name for c in t.columns] for name, t in _reflect(connection).tables.items()}


def rows_of(connection: Connection) -> Rows:
    """Every row of every table, in primary-key order, as the database hands them back."""
    return {
        name: _in_key_order(name, [dict(row._mapping) for row in connection.execute(select(table))])
        for name, table in _reflect(connection).tables.items()
    }


def _in_key_order(table: str, rows: list[Row]) -> list[Row]:
    """Sorted here rather than by the database, whose collation may differ between backends."""
    key = metadata.tables[table].primary_key.columns.keys()
    return sorted(rows, key=lambda row: tuple(row[column] for column in key))


def dataset_at(columns: Mapping[str, list[str]]) -> Rows:
    """The dataset cut down to the tables and columns a revision has."""
    return {
        table: _in_key_order(table, [{c: row[c] for c in columns[table]} for row in DATASET[table]])
        for table in columns
    }


def insert_dataset(connection: Connection) -> Rows:
    """Write the dataset into whatever schema the database has; returns what was written."""
    reflected = _reflect(connection)
    written = dataset_at(columns_of(connection))
    for table in reflected.sorted_tables:
        connection.execute(insert(table), written[table.name])
    return written


def expected_after_upgrade(
    columns_at_start: Mapping[str, list[str]], columns_now: Mapping[str, list[str]]
) -> Rows:
    """The dataset as it must read after upgrading a database that had `columns_at_start`.

    Columns present at the start keep their values; columns added since get the value their
    migration documents (LATER_COLUMNS). A new column or table without one fails loudly.
    """
    expected: Rows = {}
    for table, columns in columns_now.items():
        if table not in columns_at_start:
            if table not in LATER_TABLES:
                raise AssertionError(f"{table} is new: say what an upgrade puts in it.")
            expected[table] = []
            continue
        expected[table] = []
        for source in _in_key_order(table, DATASET[table]):
            wanted: Row = {}
            for column in columns:
                if column in columns_at_start[table]:
                    wanted[column] = source[column]
                elif (table, column) in LATER_COLUMNS:
                    wanted[column] = LATER_COLUMNS[table, column](source)
                else:
                    raise AssertionError(
                        f"{table}.{column} was added after the start revision: add the value "
                        "its migration gives existing rows to LATER_COLUMNS."
                    )
            expected[table].append(wanted)
    return expected


def counts(rows: Rows) -> dict[str, int]:
    return {table: len(table_rows) for table, table_rows in sorted(rows.items())}


async def populated_database(url: str, revision: str) -> tuple[dict[str, list[str]], Rows]:
    """Migrate an empty database to `revision` and fill it; returns its columns and rows."""
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine, revision)
        async with engine.begin() as connection:
            await connection.run_sync(insert_dataset)
        async with engine.connect() as connection:
            columns = await connection.run_sync(columns_of)
            rows = await connection.run_sync(rows_of)
    finally:
        await engine.dispose()
    return columns, rows


async def read_database(url: str) -> tuple[dict[str, list[str]], Rows]:
    """The columns and rows a database has now."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(columns_of), await connection.run_sync(rows_of)
    finally:
        await engine.dispose()


def add_orphan_attempt(path: Path) -> None:
    """An attempt by a user who doesn't exist, written with foreign keys off (SQLite's default)."""
    orphan = {
        "id": 99,
        "user_id": 999,
        "pack_id": "fastapi",
        "question_id": "path-parameters",
        "grade": "knew",
        "graded_at": "2026-03-05 10:00:00.000000",
        "local_date": "2026-03-05",
        "channel_id": None,
        "post_id": None,
        "written_answer": None,
        "coverage": None,
    }
    with closing(sqlite3.connect(path)) as connection, connection:
        present = [row[1] for row in connection.execute("PRAGMA table_info(attempts)")]
        row = {column: orphan[column] for column in present}
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        connection.execute(f"INSERT INTO attempts ({names}) VALUES ({marks})", list(row.values()))


def sqlite_dump(path: Path) -> list[str]:
    """Schema and contents of a SQLite file, as SQL: equal dumps mean nothing changed."""
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())
