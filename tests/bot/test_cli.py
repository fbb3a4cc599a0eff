"""The `quizbot` command: content check/list, db upgrade, and friendly refusals."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import MINI_CONTENT


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "QUIZBOT_CONTENT_DIR", "SLACK_BOT_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def test_content_check_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(MINI_CONTENT)]) == 0
    assert "OK: 1 pack(s), 6 question(s)." in capsys.readouterr().out


def test_content_check_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "content"
    shutil.copytree(MINI_CONTENT, root)
    target = root / "mini" / "questions" / "q003-event-loop.md"
    target.write_text(target.read_text().replace("level: mid", "level: guru"))
    assert main(["content", "check", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{target}:4: `level`:" in out
    assert "1 problem(s) found." in out


def test_content_list(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUIZBOT_CONTENT_DIR", str(MINI_CONTENT))
    assert main(["content", "list", "mini"]) == 0
    out = capsys.readouterr().out
    assert "6 questions" in out
    lines = {
        line.split()[0]: line.split()[-1] for line in out.splitlines() if line.startswith("  ")
    }
    assert (lines["junior"], lines["mid"], lines["senior"]) == ("2", "2", "2")
    assert (lines["async"], lines["routing"], lines["basics"]) == ("3", "2", "3")


def test_content_list_unknown_pack(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZBOT_CONTENT_DIR", str(MINI_CONTENT))
    assert main(["content", "list", "cooking"]) == 1
    assert "No pack `cooking`. Installed: mini." in capsys.readouterr().err


def test_db_upgrade_default_creates_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "is at the newest schema" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "data" / "quizbot.sqlite3") as connection:
        tables = {r[0] for r in connection.execute("select name from sqlite_master")}
    assert "attempts" in tables


def test_missing_database_folder_is_explained_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "nowhere"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{folder / 'q.sqlite3'}")
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert f"The database folder {folder} does not exist" in err
    assert not folder.exists()


def test_unwritable_database_folder_is_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permissions are simulated: the suite may run as root, who can write anywhere."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        "bot.storage.engine.os.access",
        lambda path, mode: False if Path(path) == locked else real_access(path, mode),
    )
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{locked / 'q.sqlite3'}")
    assert main(["db", "upgrade"]) == 2
    assert f"The database folder {locked} is not readable and writable" in capsys.readouterr().err
    assert list(locked.iterdir()) == []


def test_unopenable_database_file_is_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory where the file should be: SQLite cannot open it, whoever we are."""
    (tmp_path / "q.sqlite3").mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}")
    assert main(["db", "upgrade"]) == 2
    assert "Could not open the database" in capsys.readouterr().err


def test_unknown_command_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["frobnicate"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_post_due_with_now_posts_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZBOT_CONTENT_DIR", str(MINI_CONTENT))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}")
    monkeypatch.setattr("sys.stdin", io.StringIO("subscribe 09:00 Europe/Berlin\n"))
    assert main(["console", "--user", "ada"]) == 0
    capsys.readouterr()
    assert main(["post-due", "--now", "2026-03-02T07:59:00+00:00"]) == 0
    assert "post-due console: posted 0, skipped 0, failed 0" in capsys.readouterr().out
    assert main(["post-due", "--now", "2026-03-02T09:30:00+01:00"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = lines.index("#console · daily question")  # a line of its own, no internal id
    assert set(lines[header + 1]) == {"─"}  # the reply's divider follows on the next line
    assert "console-1" not in out
    assert "Question of the day" in out
    assert "post-due console: posted 1, skipped 0, failed 0" in out
    assert main(["post-due", "--now", "2026-03-02T08:45:00Z"]) == 0
    assert "post-due console: posted 0, skipped 1, failed 0" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["yesterday", "2026-03-02T09:00"])
def test_post_due_refuses_a_bad_now(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["post-due", "--now", bad])
    assert exited.value.code == 2
    assert "--now" in capsys.readouterr().err
