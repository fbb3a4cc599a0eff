"""Malformed packs: every problem is reported with the right file and line, and nothing loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import check_root, load_catalog
from bot.content.problems import ContentError
from tests.conftest import MINI_CONTENT

GOOD = """\
---
id: sample
number: 7
level: mid
topics: [basics]
key_points:
  - One.
  - Two things.
  - Three things.
follow_up: And then what?
---

## Question

Why?

## Answer

Because.

"""
# One long line, so line numbers below stay simple; 80 words or more pass the length rule.
GOOD += (
    "Sample answers must hold enough words to pass the length rule, so this paragraph keeps "
    "going with plain prose about nothing in particular. It mentions `code`, **bold** and "
    "*italic* text, which count as words like any other, while fenced code blocks never count. "
    "The check wants between eighty and three hundred words in every answer, which keeps "
    "answers long enough to teach something and short enough to read on a phone in a minute "
    "or two, between meetings or on a train.\n"
)
ANSWER_SECTION = GOOD[GOOD.index("## Answer") :]


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(MINI_CONTENT, root)
    return root / "mini"


def write(pack: Path, name: str, text: str) -> Path:
    path = pack / "questions" / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(pack: Path) -> list[tuple[str, int, str]]:
    _packs, problems = check_root(pack.parent)
    return [(p.path.name, p.line, p.message) for p in problems]


def test_mini_pack_loads(pack: Path) -> None:
    catalog = load_catalog(pack.parent)
    loaded = catalog.for_command("/mini-quiz")
    assert loaded is not None
    assert [q.number for q in loaded.questions] == [1, 2, 3, 4, 5, 6]
    assert loaded.by_number(2) is not None
    assert "```python" in loaded.by_number(2).answer  # type: ignore[union-attr]


def test_good_extra_question_loads(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD)
    assert problems_for(pack) == []


def test_yaml_syntax_error_names_its_line(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD.replace("level: mid", "level: [mid"))
    (problem,) = problems_for(pack)
    assert problem[0] == "q007-sample.md"
    assert problem[1] == 5  # where the parser noticed
    assert "YAML syntax" in problem[2]
    assert "starts at line 4" in problem[2]  # where the unclosed list began


def test_bad_field_value_names_its_line(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD.replace("level: mid", "level: expert"))
    assert problems_for(pack) == [
        ("q007-sample.md", 4, "`level`: Input should be 'junior', 'mid' or 'senior'")
    ]


def test_key_point_that_yaml_reads_as_mapping(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD.replace("  - Two things.", "  - Note: two things."))
    (problem,) = problems_for(pack)
    assert problem[:2] == ("q007-sample.md", 8)
    assert "key_points.1" in problem[2]


def test_missing_and_unknown_fields(pack: Path) -> None:
    text = GOOD.replace("follow_up: And then what?\n", "difficulty: 3\n")
    write(pack, "q007-sample.md", text)
    found = problems_for(pack)
    assert ("q007-sample.md", 10, "unknown field `difficulty`") in found
    assert any(m == "missing field `follow_up`" for _f, _l, m in found)


def test_unknown_topic(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD.replace("[basics]", "[basics, cooking]"))
    assert problems_for(pack) == [("q007-sample.md", 5, "topic(s) cooking not in pack.yaml topics")]


def test_duplicate_id_and_number(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD)
    write(pack, "q008-copy.md", GOOD)
    found = problems_for(pack)
    assert (
        "q008-copy.md",
        2,
        f"id `sample` also in {pack / 'questions' / 'q007-sample.md'}",
    ) in found
    assert any(f == "q008-copy.md" and line == 3 and "number 7" in m for f, line, m in found)


def test_number_gap_reported_on_pack(pack: Path) -> None:
    write(pack, "q009-sample.md", GOOD.replace("number: 7", "number: 9"))
    assert problems_for(pack) == [("pack.yaml", 1, "question numbers must run 1..N; missing 7, 8")]


def test_missing_answer_section(pack: Path) -> None:
    text = GOOD.replace(ANSWER_SECTION, "")
    write(pack, "q007-sample.md", text)
    (problem,) = problems_for(pack)
    assert problem[0] == "q007-sample.md"
    assert problem[2] == "missing `## Answer` section"


def test_extra_heading(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD + "\n## Notes\n\nmore\n")
    assert problems_for(pack) == [
        ("q007-sample.md", 23, "unexpected heading `## Notes`: only Question, Answer")
    ]


def test_unclosed_code_fence(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD + "\n```python\nx = 1\n")
    assert problems_for(pack) == [("q007-sample.md", 23, "code block is never closed")]


def test_python_that_does_not_compile_names_the_line(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD + "\n```python\nx = 1\ndef broken(:\n```\n")
    (problem,) = problems_for(pack)
    assert problem[:2] == ("q007-sample.md", 25)
    assert "does not compile" in problem[2]


def test_no_front_matter(pack: Path) -> None:
    write(pack, "q007-sample.md", "## Question\n\nWhy?\n")
    assert problems_for(pack) == [
        ("q007-sample.md", 1, "must start with `---` and YAML front matter")
    ]


def test_pack_yaml_problems(pack: Path) -> None:
    (pack / "pack.yaml").write_text("id: mini\ntitle: T\ncommand: Bad Command\ntopics: [basics]\n")
    found = problems_for(pack)
    assert found[0][:2] == ("pack.yaml", 3)
    assert "command" in found[0][2]


def test_invalid_pack_refuses_to_load(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD.replace("level: mid", "level: expert"))
    with pytest.raises(ContentError) as caught:
        load_catalog(pack.parent)
    assert "q007-sample.md:4:" in str(caught.value)


def test_missing_folder(tmp_path: Path) -> None:
    _packs, problems = check_root(tmp_path / "nope")
    assert [p.message for p in problems] == ["no such content folder"]


@pytest.mark.parametrize("number", ["0", "10000", "1000000000", "1" + "0" * 90, "3.5", "1e400"])
def test_number_outside_1_to_9999_is_refused_on_its_line(pack: Path, number: str) -> None:
    write(pack, "q007-sample.md", GOOD.replace("number: 7", f"number: {number}"))
    assert problems_for(pack) == [
        ("q007-sample.md", 3, "`number` must be a whole number from 1 to 9999")
    ]


def test_number_too_long_for_python_is_a_problem_not_a_crash(pack: Path) -> None:
    """More than 4300 digits is a ValueError inside PyYAML; it must stay a line in the list."""
    write(pack, "q007-sample.md", GOOD.replace("number: 7", "number: " + "9" * 5000))
    ((name, line, message),) = problems_for(pack)
    assert (name, line) == ("q007-sample.md", 3)
    assert "number longer than 100 characters" in message


def test_highest_number_is_accepted_and_gaps_are_listed_cheaply(pack: Path) -> None:
    write(pack, "q9999-last.md", GOOD.replace("number: 7", "number: 9999"))
    assert problems_for(pack) == [
        (
            "pack.yaml",
            1,
            "question numbers must run 1..N; missing 7, 8, 9, 10, 11, 12, 13, 14, 15, 16",
        )
    ]


def test_gap_check_costs_nothing_proportional_to_the_number(pack: Path) -> None:
    """The check only ever sees numbers the schema let through, but must not build 1..max."""
    from bot.content.loader import _first_missing

    assert _first_missing([1, 2, 10**12], 3) == [3, 4, 5]
    assert _first_missing([2, 5, 5], 10) == [1, 3, 4]
    assert _first_missing([1, 2, 3], 10) == []


def test_non_utf8_question_names_file_line_and_column(pack: Path) -> None:
    path = write(pack, "q007-sample.md", GOOD)
    path.write_bytes(GOOD.replace("Why?", "Wh\xe9?").encode("latin-1"))
    assert problems_for(pack) == [
        ("q007-sample.md", 15, "not UTF-8 (byte 0xe9 at column 3); save the file as UTF-8")
    ]


def test_non_utf8_column_counts_characters_not_bytes(pack: Path) -> None:
    path = write(pack, "q007-sample.md", GOOD)
    path.write_bytes(
        GOOD.replace("Why?", "\u00fcber\xff").encode("utf-8").replace(b"\xc3\xbf", b"\xff")
    )
    ((name, line, message),) = problems_for(pack)
    assert (name, line) == ("q007-sample.md", 15)
    assert "byte 0xff at column 5" in message


def test_non_utf8_pack_yaml_is_reported(pack: Path) -> None:
    (pack / "pack.yaml").write_bytes(b"id: mini\ntitle: Caf\xe9\ncommand: mini-quiz\n")
    assert problems_for(pack) == [
        ("pack.yaml", 2, "not UTF-8 (byte 0xe9 at column 11); save the file as UTF-8")
    ]


def test_utf8_byte_order_mark_and_windows_newlines_are_fine(pack: Path) -> None:
    path = write(pack, "q007-sample.md", GOOD)
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    assert problems_for(pack) == []


@pytest.mark.parametrize("name", ["q007-huge.md", "pack.yaml"])
def test_file_over_1_mb_is_reported(pack: Path, name: str) -> None:
    path = pack / name if name == "pack.yaml" else pack / "questions" / name
    path.write_bytes(b"x" * 5_000_000)
    assert problems_for(pack) == [
        (name, 1, "file is over the 1 MB limit for content files (1,000,000 bytes)")
    ]


def test_endless_file_is_not_read_whole(pack: Path) -> None:
    """/dev/zero never ends: only reading a bounded prefix lets the check finish at all."""
    (pack / "questions" / "q007-endless.md").symlink_to("/dev/zero")
    assert problems_for(pack) == [
        ("q007-endless.md", 1, "file is over the 1 MB limit for content files (1,000,000 bytes)")
    ]


def test_exactly_1_mb_is_allowed(pack: Path) -> None:
    fence = "\n```text\n\n```\n"  # code is not counted in the answer's words
    filler = "word " * ((1_000_000 - len(GOOD) - len(fence)) // 5)
    body = GOOD + fence.replace("\n\n```", f"\n{filler}\n```")
    path = write(pack, "q007-sample.md", body)
    assert path.stat().st_size <= 1_000_000
    assert problems_for(pack) == []


def test_unreadable_question_file_is_reported(pack: Path) -> None:
    (pack / "questions" / "q007-folder.md").mkdir()
    ((name, line, message),) = problems_for(pack)
    assert (name, line) == ("q007-folder.md", 1)
    assert message.startswith("cannot be read: ")
