"""Answer practice through the `quizbot console` executable: a written answer, and a whole
mock interview answered at the prompt, buttons pressed by their numbers."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from tests.adapters.console.test_console_executable import console, flat


def test_a_written_answer_at_the_prompt_is_kept_with_its_grade(tmp_path: Path) -> None:
    out = console(tmp_path, "answer 3 Many tasks take turns on one thread.\n2\n").stdout
    text = flat(out)
    assert "Your answer to question 3" in text
    assert "Key points you covered:" in text
    assert "▌ Many tasks take turns on one thread." in out  # Rich shows a quote with a bar
    assert len([line for line in out.splitlines() if line.startswith("Suggested grade: ")]) == 1
    assert "Recorded partly for question 3" in text
    with closing(sqlite3.connect(tmp_path / "q.sqlite3")) as db:
        rows = db.execute("SELECT grade, written_answer FROM attempts").fetchall()
    assert rows == [("partly", "Many tasks take turns on one thread.")]


def test_a_whole_mock_interview_at_the_prompt(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "mock 3",
            "answer Requests wait on the loop while other tasks run.",
            "1",  # Knew it
            "1",  # Skip the second question
            "answer A blocking call stops every other task until it returns.",
            "3",  # Missed
        ]
    )
    out = console(tmp_path, script + "\n").stdout
    text = flat(out)
    for heading in (
        "Mock interview: question 1 of 3",
        "Mock interview: your answer to question 1 of 3",
        "Mock interview: question 2 of 3",
        "Mock interview: question 3 of 3",
        "Mock interview: your answer to question 3 of 3",
        "Mock interview: summary",
    ):
        assert heading in text, heading
    summary = text[text.index("Mock interview: summary") :]
    assert "Knew it" in summary
    assert "skipped" in summary
    assert "Missed" in summary
    assert "Total time:" in summary
    with closing(sqlite3.connect(tmp_path / "q.sqlite3")) as db:
        grades = db.execute("SELECT grade FROM attempts ORDER BY id").fetchall()
        states = db.execute("SELECT state FROM mock_interviews").fetchall()
    assert grades == [("knew",), ("missed",)]
    assert states == [("finished",)]
