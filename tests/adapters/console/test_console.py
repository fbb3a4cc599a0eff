"""The console end to end: scripted input in, rendered text out, progress in the SQLite file."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.console.render import Style, render_reply
from adapters.console.session import ConsoleSession
from bot.clock import FixedClock
from bot.composition import Runtime
from bot.domain.replies import Button, CodeBlock, Markdown, Reply, Tone
from tests.conftest import MINI_CONTENT

SCRIPT = "1\n1\n1\nstats\n"


async def run_script(runtime: Runtime, script: str) -> str:
    out = io.StringIO()
    session = ConsoleSession(
        quizbot=runtime.quizbot,
        user="ada",
        stdin=io.StringIO(script),
        stdout=out,
        style=Style(color=False),
        echo=True,
    )
    await session.run()
    return out.getvalue()


async def test_scripted_session_asks_reveals_grades_and_shows_stats(runtime: Runtime) -> None:
    transcript = await run_script(runtime, SCRIPT)
    assert "Question 1\nJunior · basics" in transcript
    assert "[1] Reveal answer" in transcript
    assert "Answer to question 1" in transcript
    assert "[1] Knew it   [2] Partly   [3] Missed" in transcript
    assert "Recorded knew it for question 1." in transcript
    assert "1 graded: 1 knew it, 0 partly, 0 missed (recall 100%)" in transcript


async def test_console_shows_errors_and_keeps_going(runtime: Runtime) -> None:
    transcript = await run_script(runtime, "/mini-quiz nonsense\n99\n2\n5\nquit\nstats\n")
    assert "I don't know `nonsense`" in transcript
    assert "There is no question 99" in transcript
    assert "Question 2" in transcript
    assert "Question 5" in transcript  # 5 was not a shown button: it asked question 5
    assert "There is no button" not in transcript
    assert "No graded questions" not in transcript  # `quit` ended the session first


async def test_unknown_slash_command(runtime: Runtime) -> None:
    transcript = await run_script(runtime, "/cooking-quiz\n")
    assert "Unknown command /cooking-quiz. Try /mini-quiz." in transcript


def test_render_plain_text() -> None:
    reply = Reply(
        title="Question 2",
        subtitle="Junior · routing",
        blocks=(
            Markdown("Read **this**, `code` and [the docs](https://example.org/x).\nNext line"),
            CodeBlock("x = 1\n\ny = 2", "python"),
        ),
        buttons=(Button("Reveal answer", "a", "v"), Button("Skip", "b", "w")),
        tone=Tone.QUESTION,
    )
    assert render_reply(reply, Style(color=False)).splitlines() == [
        "─" * 80,
        "Question 2",
        "Junior · routing",
        "",
        "Read this, `code` and the docs (https://example.org/x).",
        "Next line",
        "",
        "  ┌ python",
        "  │ x = 1",
        "  │",
        "  │ y = 2",
        "  └",
        "",
        "[1] Reveal answer   [2] Skip",
    ]


def test_render_wraps_words_and_keeps_code_inside_its_margin() -> None:
    words = " ".join(f"word{n:02}" for n in range(30))
    code = "value = " + " + ".join(f"term{n:02}" for n in range(20))
    reply = Reply(blocks=(Markdown(words), CodeBlock(code, "python")))
    lines = render_reply(reply, Style(color=False, width=40)).splitlines()
    assert max(len(line) for line in lines) <= 40
    prose = [line for line in lines if line.startswith("word")]
    assert " ".join(prose) == words  # broken between words only
    code_lines = [line for line in lines if line.startswith("  │ ")]
    assert len(code_lines) > 1
    assert "".join(line.removeprefix("  │ ") for line in code_lines).replace(" ", "") == (
        code.replace(" ", "")
    )


def test_render_colour_marks_bold_and_highlights_code() -> None:
    reply = Reply(blocks=(Markdown("a **b** `c`"), CodeBlock("x = 1", "python")))
    coloured = render_reply(reply, Style(color=True, width=60))
    assert "\x1b[1mb\x1b[0m" in coloured
    assert "`c`" not in coloured  # colour marks inline code; no backticks needed
    assert "\x1b[94" in coloured  # the number in the code is highlighted
    assert "\x1b" not in render_reply(reply, Style(color=False))


def run_quizbot(args: list[str], stdin: str, cwd: Path, **env: str) -> str:
    """The installed `quizbot` entry point as a real process; returns its stdout."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("quizbot")), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=clean | {"QUIZBOT_CONTENT_DIR": str(MINI_CONTENT)} | env,
        cwd=cwd,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_piped_console_process_keeps_the_attempt(tmp_path: Path) -> None:
    """Piped input to a real process, then the SQLite file read after it exits."""
    database = tmp_path / "quizbot.sqlite3"
    out = run_quizbot(
        ["console", "--user", "grace"],
        SCRIPT,
        tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
    )
    assert "Recorded knew it for question 1." in out
    assert "1 graded: 1 knew it" in out
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "select u.platform, u.platform_user_id, a.question_id, a.grade "
            "from attempts a join users u on u.id = a.user_id"
        ).fetchall()
    assert rows == [("console", "grace", "what-is-http", "knew")]


def test_run_without_credentials_lands_in_console(tmp_path: Path) -> None:
    out = run_quizbot(["run"], "help\n", tmp_path)
    assert "No Slack or Discord credentials found" in out
    assert "To connect Slack, set SLACK_BOT_TOKEN" in out
    assert "Mini test pack" in out
    assert (tmp_path / "data" / "quizbot.sqlite3").exists()


async def test_export_is_saved_to_a_file(runtime: Runtime, tmp_path: Path) -> None:
    out = io.StringIO()
    session = ConsoleSession(
        runtime.quizbot,
        "ada",
        io.StringIO("1\n1\n1\nexport\n"),
        out,
        Style(color=False),
        files_dir=tmp_path / "files",
    )
    await session.run()
    saved = tmp_path / "files" / "quizbot-export-console-ada.json"
    assert f"Your Quizbot data: saved to {saved}" in out.getvalue()
    assert json.loads(saved.read_text())["attempts"][0]["grade"] == "knew"


async def test_console_shows_streak_freeze_leaderboard_review_and_picture(
    runtime: Runtime, clock: FixedClock, tmp_path: Path
) -> None:
    """Eight days of practice in the console, then everything a study group sees."""

    async def session(script: str) -> str:
        out = io.StringIO()
        console = ConsoleSession(
            runtime.quizbot,
            "ada",
            io.StringIO(script),
            out,
            Style(color=False),
            files_dir=tmp_path / "files",
        )
        await console.run()
        return out.getvalue()

    start = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    for day in range(8):
        clock.set(start + timedelta(days=day))
        await session(f"{1 + day % 6}\n1\n1\n")
    clock.set(start + timedelta(days=9, hours=1))  # 10 March missed: the freeze covers it
    transcript = await session("stats\ntop week\nreview\n")
    assert "**Streak:**" not in transcript  # rendered without Markdown markers
    assert "Streak: 8 days (practise today to keep it); best 8 days; 0 freezes held" in transcript
    assert "Freezes spent on missed days: 1" in transcript
    assert "Leaderboard for console" in transcript
    assert "This week" in transcript
    assert "Due for review" in transcript
    picture = tmp_path / "files" / "quizbot-stats-2026-03-11.png"
    assert f"Your progress picture: saved to {picture}" in transcript
    assert picture.read_bytes().startswith(b"\x89PNG")
