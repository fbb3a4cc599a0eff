"""The README's forms through the `quizbot console` executable: Write my answer typed at the
prompt, and the channel-settings form with a refused field, fixed, saved; or cancelled."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from tests.adapters.console.test_console_executable import (
    ANSI,
    console,
    flat,
    on_terminal,
    read_until,
    terminal,
)


def rows(tmp_path: Path, query: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(tmp_path / "q.sqlite3")) as db:
        return db.execute(query).fetchall()


def read_until_prompt(fd: int, marker: bytes) -> bytes:
    """Output up to the first form prompt (`> `) after `marker`."""
    seen = read_until(fd, marker)
    while not seen[seen.find(marker) :].endswith(b"> "):
        more = read_until(fd, b"> ", seconds=30)
        if not more:
            break
        seen += more
    return seen


def test_write_my_answer_takes_lines_until_an_empty_one_then_the_grade(tmp_path: Path) -> None:
    script = "3\n2\nMany tasks take turns on one thread.\nA task that waits lets others run.\n\n2\n"
    out = console(tmp_path, script).stdout
    assert "[1] Reveal answer   [2] Write my answer" in out
    assert "> Many tasks take turns on one thread.\n> A task that waits lets others run.\n> \n" in (
        out
    )
    assert len([line for line in out.splitlines() if line.startswith("Suggested grade: ")]) == 1
    assert "[1] Knew it   [2] Partly   [3] Missed" in out
    assert "Recorded partly for question 3" in flat(out)
    assert rows(tmp_path, "SELECT grade, written_answer FROM attempts") == [
        ("partly", "Many tasks take turns on one thread.\nA task that waits lets others run.")
    ]


def test_subscribe_form_refuses_a_bad_time_then_saves_once_it_is_fixed(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "subscribe",
            *("25:00", "Europe/Berlin", "mon,wed,fri", "junior", "", "3"),
            "08:30",  # only the refused field is asked again
            "schedule",
            "",
        ]
    )
    out = console(tmp_path, script).stdout
    text = flat(out)
    assert "Not saved: 1 field to fix" in text
    assert "Post at: `25:00` is not a time of day." in text
    after_refusal = out.split("Not saved: 1 field to fix", 1)[1]
    assert "Post at [09:00]" in after_refusal
    assert "Timezone [" not in after_refusal
    assert "Daily question subscribed" in after_refusal
    schedule = flat(out.split("quizbot> schedule", 1)[1])
    assert "Daily question schedule" in schedule
    assert "When: 08:30 Europe/Berlin, Mon, Wed, Fri" in schedule
    assert "Level: junior" in schedule
    assert rows(tmp_path, "SELECT post_time, timezone, weekdays, level FROM subscriptions") == [
        ("08:30", "Europe/Berlin", "mon,wed,fri", "junior")
    ]


def test_a_cancelled_subscribe_form_saves_nothing(tmp_path: Path) -> None:
    out = console(tmp_path, "subscribe\n08:30\nEurope/Berlin\ncancel\nschedule\n").stdout
    text = flat(out)
    assert "Form cancelled: nothing was changed." in text
    assert "This channel has no daily question." in flat(out.split("quizbot> schedule", 1)[1])
    assert rows(tmp_path, "SELECT count(*) FROM subscriptions") == [(0,)]


def test_at_a_terminal_ctrl_d_cancels_the_form_and_the_session_goes_on(tmp_path: Path) -> None:
    """Errors are red and bold as every refusal is; Ctrl-D ends the form, not the console."""
    with terminal(80) as (ours, theirs):
        process = on_terminal(tmp_path, theirs)
        try:
            read_until(ours, b"quizbot> ")
            os.write(ours, b"subscribe\n")
            read_until(ours, b"> ")
            os.write(ours, b"25:00\n\n\n\n\n\n")
            refused = read_until_prompt(ours, b"Not saved")
            os.write(ours, b"\x04")  # Ctrl-D, on an empty line
            cancelled = read_until(ours, b"quizbot> ")
            os.write(ours, b"schedule\n")
            schedule = read_until(ours, b"quizbot> ")
            os.write(ours, b"quit\n")
            assert process.wait(timeout=30) == 0
        finally:
            process.kill()
            process.wait()
    assert "\x1b[1;31mNot saved: 1 field to fix" in refused.decode()
    assert "Form cancelled: nothing was changed." in ANSI.sub("", cancelled.decode())
    assert "This channel has no daily question." in flat(ANSI.sub("", schedule.decode()))
    assert rows(tmp_path, "SELECT count(*) FROM subscriptions") == [(0,)]
