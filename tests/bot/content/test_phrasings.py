"""Key points' other wordings (`also:`): loaded in order; each mistake named by file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import check_root
from tests.bot.content.test_loader import GOOD
from tests.conftest import MINI_CONTENT

PLAIN_POINTS = "  - One.\n  - Two things.\n  - Three things.\n"


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(MINI_CONTENT, root)
    return root / "mini"


def check(pack: Path, points: str) -> list[tuple[str, int, str]]:
    path = pack / "questions" / "q007-sample.md"
    path.write_text(GOOD.replace(PLAIN_POINTS, points), encoding="utf-8")
    _, problems = check_root(pack)
    return [(p.path.name, p.line, p.message) for p in problems]


def test_a_point_with_wordings_loads_them_in_key_point_order(pack: Path) -> None:
    points = (
        "  - One.\n"
        "  - point: Two things.\n"
        "    also:\n"
        "      - a pair of items\n"
        "      - both of them\n"
        "  - Three things.\n"
    )
    path = pack / "questions" / "q007-sample.md"
    path.write_text(GOOD.replace(PLAIN_POINTS, points), encoding="utf-8")
    packs, problems = check_root(pack)
    assert problems == []
    question = next(q for q in packs[0].questions if q.id == "sample")
    assert question.key_points == ("One.", "Two things.", "Three things.")
    assert question.key_point_alternatives == ((), ("a pair of items", "both of them"), ())
    assert question.alternatives_for(1) == ("a pair of items", "both of them")
    assert question.alternatives_for(9) == ()


def test_empty_and_too_long_wordings_are_named_on_their_line(pack: Path) -> None:
    points = (
        "  - One.\n"
        "  - point: Two things.\n"
        "    also:\n"
        '      - ""\n'
        f"      - {'x' * 201}\n"
        "  - Three things.\n"
    )
    found = check(pack, points)
    assert [(name, line) for name, line, _ in found] == [
        ("q007-sample.md", 10),
        ("q007-sample.md", 11),
    ]
    assert "key_points.1.also.0" in found[0][2]
    assert "key_points.1.also.1" in found[1][2]


def test_an_empty_also_list_is_refused(pack: Path) -> None:
    found = check(pack, "  - One.\n  - point: Two things.\n    also: []\n  - Three things.\n")
    assert len(found) == 1
    assert found[0][:2] == ("q007-sample.md", 9)
    assert "key_points.1.also" in found[0][2]


def test_repeated_wordings_are_named(pack: Path) -> None:
    points = (
        "  - point: One.\n"
        "    also:\n"
        "      - the first\n"
        "      - The  first\n"
        "      - one.\n"
        "  - Two things.\n"
        "  - Three things.\n"
    )
    found = check(pack, points)
    assert found == [
        ("q007-sample.md", 10, "`key_points.0.also.1` repeats the point or another wording"),
        ("q007-sample.md", 11, "`key_points.0.also.2` repeats the point or another wording"),
    ]


def test_wordings_follow_the_inline_markdown_rules(pack: Path) -> None:
    points = "  - point: One.\n    also:\n      - uses <b>html</b>\n  - Two.\n  - Three.\n"
    found = check(pack, points)
    assert len(found) == 1
    assert found[0][:2] == ("q007-sample.md", 9)
    assert "key_points.0.also.0" in found[0][2]
    assert "HTML" in found[0][2]


def test_unknown_fields_and_a_mapping_without_point(pack: Path) -> None:
    found = check(pack, "  - point: One.\n    alsoo: [x y z]\n  - Note: two\n  - Three.\n")
    messages = {(line, message) for _, line, message in found}
    assert (8, "unknown field `key_points.0.alsoo`") in messages
    assert any(line == 9 and "mapping with `point:`" in m for line, m in messages)
