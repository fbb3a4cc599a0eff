"""Every Python block in every pack compiles; blocks marked `runnable` run cleanly, the rest say
they are sketches (docs/content-format.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from bot.content.loader import load_catalog
from bot.content.locations import default_content_root

_FENCE = re.compile(r"^```[ \t]*([^\n`]*)\n(.*?)^```[ \t]*$", re.S | re.M)
SKETCH_MARK = "# Sketch:"


@dataclass(frozen=True)
class Snippet:
    name: str
    code: str
    runnable: bool
    lead_in: str  # the paragraph just before the block


def snippets() -> list[Snippet]:
    found: list[Snippet] = []
    for pack in load_catalog(default_content_root()).packs:
        for question in pack.questions:
            text = f"{question.prompt}\n\n{question.answer}"
            index = 0
            for match in _FENCE.finditer(text):
                words = match.group(1).split()
                if words[:1] != ["python"]:
                    continue
                index += 1
                paragraphs = [p for p in text[: match.start()].split("\n\n") if p.strip()]
                found.append(
                    Snippet(
                        name=f"{pack.id}-q{question.number:03d}-{index}",
                        code=match.group(2),
                        runnable="runnable" in words,
                        lead_in=paragraphs[-1] if paragraphs else "",
                    )
                )
    return found


SNIPPETS = snippets()
RUNNABLE = [s for s in SNIPPETS if s.runnable]
SKETCHES = [s for s in SNIPPETS if not s.runnable]


def test_there_are_snippets_to_check() -> None:
    assert len(SNIPPETS) >= 25
    assert len(RUNNABLE) >= 10


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.name)
def test_snippet_compiles(snippet: Snippet) -> None:
    compile(snippet.code, snippet.name, "exec")


def run_block(code: str) -> str | None:
    """Run a block as a learner would, with warnings as errors; say what went wrong, if anything.

    Anything on stderr counts (a warning raised in a thread, an unclosed resource reported at
    exit): a learner should see a clean run."""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0 or result.stderr:
        return f"exit {result.returncode}\n{result.stderr[-2000:]}"
    return None


@pytest.mark.parametrize("snippet", RUNNABLE, ids=lambda s: s.name)
def test_runnable_snippet_runs_without_a_warning(snippet: Snippet) -> None:
    problem = run_block(snippet.code)
    assert problem is None, problem


def test_starlettes_httpx_deprecation_would_fail_a_block() -> None:
    """Without httpx2, Starlette's TestClient falls back to httpx with a deprecation warning;
    the run above must catch that, not print it and pass."""
    block = "import sys\nsys.modules['httpx2'] = None\nfrom fastapi.testclient import TestClient\n"
    problem = run_block(block)
    assert problem is not None
    assert "install `httpx2`" in problem


@pytest.mark.parametrize("snippet", RUNNABLE, ids=lambda s: s.name)
def test_runnable_snippet_is_not_marked_as_a_sketch(snippet: Snippet) -> None:
    assert not snippet.code.lstrip().startswith(SKETCH_MARK)


@pytest.mark.parametrize("snippet", SKETCHES, ids=lambda s: s.name)
def test_block_that_is_not_run_says_it_is_a_sketch(snippet: Snippet) -> None:
    first_line = snippet.code.lstrip().splitlines()[0]
    assert first_line.startswith(SKETCH_MARK), f"{snippet.name} should open with {SKETCH_MARK!r}"
    assert len(first_line) > len(SKETCH_MARK) + 10, "name what the sketch needs"
    assert "sketch" in snippet.lead_in.lower(), (
        f"{snippet.name}: the lead-in should call it a sketch"
    )
