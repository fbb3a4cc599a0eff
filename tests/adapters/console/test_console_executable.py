"""The console as people meet it: the real `quizbot` process, its stdin a pipe or a terminal.

Typed numbers, odd characters, huge lines, Ctrl-C, colour and wrapping, `--version` and the
Slack manifest's URL check."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import MINI_CONTENT

QUIZBOT = str(Path(sys.executable).with_name("quizbot"))
ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")
NO_SUCH = "There is no question {}: this pack has questions 1 to 6."


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_")) and k not in ("COLUMNS", "NO_COLOR")
    }
    return (
        clean
        | {
            "QUIZBOT_CONTENT_DIR": str(MINI_CONTENT),
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}",
        }
        | extra
    )


def console(tmp_path: Path, stdin: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """A piped console session that runs to the end of its input."""
    result = subprocess.run(
        [QUIZBOT, "console", "--user", "ada"],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(tmp_path, **extra),
        cwd=tmp_path,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return result


def flat(text: str) -> str:
    """Wrapped output as one line, to look for sentences wherever the lines were broken."""
    return " ".join(text.split())


# Numbers -----------------------------------------------------------------------------------------


def test_unicode_digits_and_huge_numbers_never_crash_the_prompt(tmp_path: Path) -> None:
    """`²` is a digit to str.isdigit() but int() refuses it; each is answered, buttons showing
    or not, and only ASCII digits count as numbers."""
    odd = ["\u00b2", "\u0663", "\uff11\uff12", "9" * 5000]
    script = "\n".join([*odd, "junior", *odd, "1"]) + "\n"
    out = flat(console(tmp_path, script).stdout)
    assert out.count("type question numbers with the digits 0 to 9") == 6
    assert out.count(NO_SUCH.format("9" * 20 + "…")) == 2
    assert "Answer to question" in out  # the Reveal button still worked after all that


def test_a_shown_buttons_number_presses_it_and_any_other_number_asks_that_question(
    tmp_path: Path,
) -> None:
    # 4 (no buttons) asks question 4; 1 presses Reveal; 5 is not one of the three grade
    # buttons, so it asks question 5; then 1 reveals question 5; #1 is always question 1.
    out = console(tmp_path, "4\n1\n5\n1\n#1\n").stdout
    replies = [line for line in out.splitlines() if re.match(r"(Answer to q|Q)uestion \d", line)]
    assert replies == [
        "Question 4",
        "Answer to question 4",
        "Question 5",
        "Answer to question 5",
        "Question 1",
    ]
    assert "There is no button" not in out
    assert "any other number asks that question (`12` is question 12;" in flat(out)  # greeting


def test_out_of_range_numbers_all_get_the_same_answer_with_buttons_showing(
    tmp_path: Path,
) -> None:
    """A refusal changes nothing, so the Reveal button stays pressable after each one."""
    numbers = ["7", "0", "-1", "999999999999", "#0"]
    out = console(tmp_path, "junior\n" + "\n".join(numbers) + "\n1\n").stdout
    answers = [line for line in out.splitlines() if line.startswith("There is no")]
    assert answers == [NO_SUCH.format(n) for n in ("7", "0", "-1", "999999999999", "0")]
    assert "Answer to question" in out


# Mistakes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "usage"),
    [
        ("x" * 10_000, "Usage: `/mini-quiz [junior|mid|senior] [topic]` or `/mini-quiz 12`"),
        ("level " + "x" * 10_000, "Usage: `/mini-quiz level junior|mid|senior|any`"),
        ("timezone " + "x" * 10_000, "Usage: `/mini-quiz timezone Area/City`"),
        ("subscribe 09:00 " + "x" * 10_000, "Usage: `/mini-quiz subscribe HH:MM [Area/City]"),
        ("subscribe " + "9" * 10_000, "Usage: `/mini-quiz subscribe HH:MM [Area/City]"),
        ("stats " + "x" * 10_000, "Usage: `/mini-quiz stats`"),
        ("/" + "x" * 10_000, "Try /mini-quiz."),
    ],
)
def test_a_mistake_quotes_a_little_of_the_line_and_one_usage_line(
    tmp_path: Path, line: str, usage: str
) -> None:
    out = console(tmp_path, line + "\n").stdout
    assert "x" * 61 not in out
    assert "9" * 61 not in out
    assert usage in out
    assert out.count("Usage:") <= 1
    assert "this list" not in out  # the full list belongs to `help`
    reply = out.split("quizbot> ", 2)[1]  # the echoed line, then the reply
    assert len(reply) < 600


def test_ambiguous_topic_prefix_names_the_candidates_in_the_packaged_pack(
    tmp_path: Path,
) -> None:
    env = environment(tmp_path)
    del env["QUIZBOT_CONTENT_DIR"]
    result = subprocess.run(
        [QUIZBOT, "console", "--user", "ada"],
        input="dep\ndepend\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    out = flat(result.stdout)
    assert "`dep` could be `dependency-injection` or `deployment`: type a little more of it." in out
    assert out.count("could be") == 1  # `depend` is unique: it asked a question
    assert "dependency-injection" in out.split("quizbot> depend")[1]


def test_unknown_timezone_is_quoted_as_typed(tmp_path: Path) -> None:
    out = flat(console(tmp_path, "timezone Mars/Olympus\n").stdout)
    assert "`Mars/Olympus` is not a timezone I know." in out


# Ctrl-C ------------------------------------------------------------------------------------------


def read_until(fd: int, marker: bytes, seconds: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + seconds
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # a terminal whose other end has gone
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_ctrl_c_at_the_prompt_leaves_at_once_when_input_is_a_pipe(tmp_path: Path) -> None:
    """stdin stays open, as when a person sits at the other end: nothing is ever typed, so
    the process can only end because of the signal."""
    process = subprocess.Popen(
        [QUIZBOT, "console", "--user", "ada"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(tmp_path),
        cwd=tmp_path,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    try:
        assert b"quizbot> " in read_until(process.stdout.fileno(), b"quizbot> ")
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert code == 130
    assert process.stdout.read().decode().endswith("\nGoodbye.\n")
    assert process.stderr.read() == b""
    assert process.stdin is not None
    process.stdin.close()


@contextmanager
def terminal(columns: int) -> Iterator[tuple[int, int]]:
    """A pseudo-terminal `columns` wide: (our end, the program's end)."""
    ours, theirs = pty.openpty()
    fcntl.ioctl(theirs, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    try:
        yield ours, theirs
    finally:
        os.close(ours)


def on_terminal(tmp_path: Path, theirs: int) -> subprocess.Popen[bytes]:
    """`quizbot console` with the terminal as its controlling terminal, so that typing Ctrl-C
    there sends SIGINT, as in a shell."""
    process = subprocess.Popen(
        [QUIZBOT, "console", "--user", "ada"],
        stdin=theirs,
        stdout=theirs,
        stderr=theirs,
        env=environment(tmp_path, TERM="xterm-256color"),
        cwd=tmp_path,
        start_new_session=True,
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )
    os.close(theirs)
    return process


def test_ctrl_c_typed_at_a_terminal_leaves_at_once(tmp_path: Path) -> None:
    with terminal(80) as (ours, theirs):
        process = on_terminal(tmp_path, theirs)
        try:
            assert b"quizbot> " in read_until(ours, b"quizbot> ")
            os.write(ours, b"\x03")  # Ctrl-C, as the keyboard sends it
            code = process.wait(timeout=30)
            rest = read_until(ours, b"Goodbye.\r\n", seconds=5)
        finally:
            process.kill()
            process.wait()
    assert code == 130
    assert b"Goodbye." in rest
    assert b"Traceback" not in rest


# Output ------------------------------------------------------------------------------------------


def test_terminal_output_is_coloured_and_wrapped_to_the_terminals_width(tmp_path: Path) -> None:
    with terminal(44) as (ours, theirs):
        process = on_terminal(tmp_path, theirs)
        try:
            read_until(ours, b"quizbot> ")
            os.write(ours, b"2\n")
            asked = read_until(ours, b"quizbot> ")
            os.write(ours, b"1\n")
            answered = read_until(ours, b"quizbot> ")
            os.write(ours, b"quit\n")
            assert process.wait(timeout=30) == 0
        finally:
            process.kill()
            process.wait()
    shown = (asked + answered).decode()
    assert "\x1b[" in shown
    visible = ANSI.sub("", shown).replace("\r", "").splitlines()
    assert max(len(line) for line in visible) <= 44
    code = [line for line in visible if line.startswith("  │ ")]
    assert code, "the answer's code block keeps its margin"
    assert "`" not in ANSI.sub("", answered.decode()).split("Key points")[0]  # colour marks code


def test_piped_output_is_plain_text_at_80_columns(tmp_path: Path) -> None:
    env = environment(tmp_path)
    del env["QUIZBOT_CONTENT_DIR"]
    result = subprocess.run(
        [QUIZBOT, "console", "--user", "ada"],
        input="senior\n1\n41\n1\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert sum(line.startswith("  │ ") for line in lines) > 10  # code, inside its margin


# Command line ------------------------------------------------------------------------------------


def test_version_is_the_installed_packages() -> None:
    result = subprocess.run([QUIZBOT, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout == f"quizbot {version('quizbot')}\n"


@pytest.mark.parametrize(
    "url",
    [
        "http://quiz.example.com/slack/events",
        "https://quiz.example.com/",
        "https://quiz.example.com/slack/events?x=1",
        "quiz.example.com/slack/events",
        "https:///slack/events",
        "x" * 5000,
    ],
)
def test_slack_manifest_refuses_a_request_url_slack_cannot_use(tmp_path: Path, url: str) -> None:
    result = subprocess.run(
        [QUIZBOT, "slack", "manifest", "--request-url", url],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "give an https URL ending in /slack/events" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr) < 500


def test_slack_manifest_takes_an_https_events_url(tmp_path: Path) -> None:
    url = "https://quiz.example.com:8443/bots/slack/events"
    result = subprocess.run(
        [QUIZBOT, "slack", "manifest", "--request-url", url],
        capture_output=True,
        text=True,
        env=environment(tmp_path),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f'"request_url": "{url}"' in result.stdout
