"""Every packaged pack loads, and the FastAPI pack meets the bar its issue sets."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.loader import load_catalog
from bot.content.locations import default_content_root
from bot.domain.content import Catalog, Level, Pack
from bot.domain.replies import CodeBlock, Markdown, markdown_blocks

CONTENT = default_content_root()
SHARED = Path(__file__).resolve().parents[3] / "shared"
WORD = re.compile(r"[A-Za-z0-9_']+")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(])")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CONTENT)


@pytest.fixture(scope="module")
def fastapi(catalog: Catalog) -> Pack:
    pack = catalog.pack("fastapi")
    assert pack is not None
    return pack


def prose_words(text: str) -> int:
    return sum(len(WORD.findall(b.text)) for b in markdown_blocks(text) if isinstance(b, Markdown))


def test_every_packaged_pack_loads(catalog: Catalog) -> None:
    assert [p.id for p in catalog.packs] == sorted(
        p.name for p in CONTENT.iterdir() if (p / "pack.yaml").exists()
    )
    for pack in catalog.packs:
        assert pack.questions, pack.id
        assert catalog.for_command(pack.command) is pack


def test_fastapi_has_seventy_numbered_questions(fastapi: Pack) -> None:
    assert fastapi.command == "fastapi-quiz"
    assert [q.number for q in fastapi.questions] == list(range(1, 71))
    assert len({q.id for q in fastapi.questions}) == 70


def test_fastapi_levels_rise_from_junior_to_senior(fastapi: Pack) -> None:
    order = [Level.JUNIOR, Level.MID, Level.SENIOR]
    ranks = [order.index(q.level) for q in fastapi.questions]
    assert ranks == sorted(ranks)
    assert set(ranks) == {0, 1, 2}


@pytest.mark.parametrize("number", range(1, 71))
def test_fastapi_answer_shape(fastapi: Pack, number: int) -> None:
    question = fastapi.by_number(number)
    assert question is not None
    words = prose_words(question.answer)
    assert 80 <= words <= 300, f"Q{number}: {words} words of prose"
    first = question.answer.split("\n\n", 1)[0]
    assert not first.startswith(("```", "- ", "1. ")), f"Q{number} must open with a direct answer"
    sentences = len(SENTENCE_BREAK.split(first))
    assert sentences <= 2, f"Q{number}: the direct answer should be one or two sentences"
    assert 3 <= len(question.key_points) <= 6
    assert 1 <= len(question.topics) <= 4
    assert question.follow_up.endswith("?")


def test_fastapi_has_code_where_it_helps(fastapi: Pack) -> None:
    with_code = [
        q.number
        for q in fastapi.questions
        if any(
            isinstance(b, CodeBlock) and b.language == "python" for b in markdown_blocks(q.answer)
        )
    ]
    assert len(with_code) >= 25


@pytest.mark.skipif(not (SHARED / "tools" / "originality.py").exists(), reason="no ../shared")
def test_pack_shares_no_runs_with_the_seed() -> None:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    result = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "originality.py"), *map(str, seeds), str(CONTENT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


YEAR = re.compile(r"\b(?:19|20)\d\d\b")
DATED = re.compile(
    r"\b(?:nowadays|these days|currently|current (?:fastapi|starlette|pydantic|python|versions?)|"
    r"recent(?:ly)?|newer versions|latest (?:release|version)|modern usage|looking ahead|"
    r"in the future|(?:is|are) now|now (?:needs|marks|prefers|supports|requires|ships|uses))\b",
    re.I,
)


@pytest.mark.parametrize("number", range(1, 71))
def test_fastapi_prose_does_not_date(fastapi: Pack, number: int) -> None:
    """Text that names a year or "the current version" goes stale without anyone noticing; a
    fact that changed in a release names that release instead ("since 0.130")."""
    question = fastapi.by_number(number)
    assert question is not None
    prose = [
        b.text
        for b in markdown_blocks(f"{question.prompt}\n\n{question.answer}")
        if isinstance(b, Markdown)
    ]
    for text in [*prose, *question.key_points, question.follow_up]:
        assert not YEAR.search(text), f"Q{number} names a year: {text[:120]}"
        dated = DATED.search(text)
        assert dated is None, f"Q{number} says {dated.group(0)!r}: {text[:120]}"
