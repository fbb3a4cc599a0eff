"""Every Python block in every pack compiles; blocks marked `runnable` run and pass."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from bot.content.loader import load_catalog
from bot.content.locations import default_content_root

_FENCE = re.compile(r"^```[ \t]*([^\n`]*)\n(.*?)^```[ \t]*$", re.S | re.M)


@dataclass(frozen=True)
class Snippet:
    name: str
    code: str
    runnable: bool


def snippets() -> list[Snippet]:
    found: list[Snippet] = []
    for pack in load_catalog(default_content_root()).packs:
        for question in pack.questions:
            blocks = _FENCE.findall(f"{question.prompt}\n\n{question.answer}")
            python = [(info.split(), code) for info, code in blocks if info.split()[:1] == ["python"]]
            for index, (words, code) in enumerate(python, start=1):
                name = f"{pack.id}-q{question.number:03d}-{index}"
                found.append(Snippet(name, code, "runnable" in words))
    return found


SNIPPETS = snippets()


def test_there_are_snippets_to_check() -> None:
    assert len(SNIPPETS) >= 25
    assert sum(s.runnable for s in SNIPPETS) >= 10


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.name)
def test_snippet_compiles(snippet: Snippet) -> None:
    compile(snippet.code, snippet.name, "exec")


@pytest.mark.parametrize("snippet", [s for s in SNIPPETS if s.runnable], ids=lambda s: s.name)
def test_runnable_snippet_runs(snippet: Snippet) -> None:
    result = subprocess.run(
        [sys.executable, "-c", snippet.code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
