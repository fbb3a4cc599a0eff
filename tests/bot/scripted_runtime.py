"""A runtime whose `AnswerMatcher` is scripted, for practice and form tests: each test states
the coverage it expects; the real matcher is tested on its own
(tests/bot/matching/) and end to end through the console, Slack and Discord."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator

import pytest

from bot.clock import FixedClock
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.domain.content import Question
from bot.domain.coverage import Coverage
from bot.domain.grades import Grade


class ScriptedMatcher:
    """Key point i counts as covered when the answer says `point<i>`; 0-1 → missed."""

    def assess(self, question: Question, answer: str) -> Coverage:
        covered = tuple(f"point{i}" in answer for i in range(1, len(question.key_points) + 1))
        hits = sum(covered)
        grade = Grade.KNEW if hits == len(covered) else Grade.PARTLY if hits >= 2 else Grade.MISSED
        return Coverage(covered, grade)


@pytest.fixture
async def runtime(settings: Settings, clock: FixedClock) -> AsyncIterator[Runtime]:
    built = await build_runtime(
        settings, clock=clock, rng=random.Random(1234), matcher=ScriptedMatcher()
    )
    yield built
    await built.aclose()
