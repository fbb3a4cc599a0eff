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
    assert problems_for(pack) == [
        ("q007-sample.md", 5, "topic(s) cooking not in pack.yaml topics")
    ]


def test_duplicate_id_and_number(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD)
    write(pack, "q008-copy.md", GOOD)
    found = problems_for(pack)
    assert ("q008-copy.md", 2, f"id `sample` also in {pack / 'questions' / 'q007-sample.md'}") in found
    assert any(f == "q008-copy.md" and line == 3 and "number 7" in m for f, line, m in found)


def test_number_gap_reported_on_pack(pack: Path) -> None:
    write(pack, "q009-sample.md", GOOD.replace("number: 7", "number: 9"))
    assert problems_for(pack) == [("pack.yaml", 1, "question numbers must run 1..N; missing 7, 8")]


def test_missing_answer_section(pack: Path) -> None:
    text = GOOD.replace("## Answer\n\nBecause.\n", "")
    write(pack, "q007-sample.md", text)
    (problem,) = problems_for(pack)
    assert problem[0] == "q007-sample.md"
    assert problem[2] == "missing `## Answer` section"


def test_extra_heading(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD + "\n## Notes\n\nmore\n")
    assert problems_for(pack) == [
        ("q007-sample.md", 21, "unexpected heading `## Notes`: only Question, Answer")
    ]


def test_unclosed_code_fence(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD + "\n```python\nx = 1\n")
    assert problems_for(pack) == [("q007-sample.md", 21, "code block is never closed")]


def test_python_that_does_not_compile_names_the_line(pack: Path) -> None:
    write(pack, "q007-sample.md", GOOD + "\n```python\nx = 1\ndef broken(:\n```\n")
    (problem,) = problems_for(pack)
    assert problem[:2] == ("q007-sample.md", 23)
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
