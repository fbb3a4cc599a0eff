"""A mock interview: a few questions in a row, each answered in writing (or skipped), timed,
then a summary of how it went. Pure rules; the use case stores and loads it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.content import Level
from bot.domain.grades import Grade

DEFAULT_MOCK_LENGTH = 5
MAX_MOCK_LENGTH = 10
# Without a step for this long, a mock is abandoned; the grades given so far stay recorded.
MOCK_EXPIRES_AFTER = timedelta(hours=1)
# How much each outcome counts when finding the weakest topics; a skip counts as missed.
_SCORES = {Grade.KNEW: 1.0, Grade.PARTLY: 0.5, Grade.MISSED: 0.0}


class MockState(StrEnum):
    ACTIVE = "active"
    FINISHED = "finished"
    ENDED = "ended"  # stopped early by the person, or replaced by a new mock
    EXPIRED = "expired"


@dataclass(frozen=True)
class MockItem:
    question_id: str
    shown_at: datetime | None = None
    answered_at: datetime | None = None
    coverage: str | None = None  # "1"/"0" per key point, once answered
    grade: Grade | None = None
    skipped: bool = False

    @property
    def seconds(self) -> int | None:
        """Thinking and writing time: from the question shown to the answer sent."""
        if self.shown_at is None or self.answered_at is None:
            return None
        return max(0, round((self.answered_at - self.shown_at).total_seconds()))

    @property
    def done(self) -> bool:
        return self.skipped or self.grade is not None


@dataclass(frozen=True)
class MockInterview:
    id: int
    user_id: int
    pack_id: str
    level: Level | None
    items: tuple[MockItem, ...]
    started_at: datetime
    last_activity_at: datetime
    state: MockState = MockState.ACTIVE

    @property
    def position(self) -> int:
        """Index of the question being worked on; len(items) once all are done."""
        return next((i for i, item in enumerate(self.items) if not item.done), len(self.items))

    @property
    def current(self) -> MockItem | None:
        return self.items[self.position] if self.position < len(self.items) else None

    def expired(self, now: datetime) -> bool:
        return self.state is MockState.ACTIVE and now - self.last_activity_at > MOCK_EXPIRES_AFTER

    def _with_current(self, now: datetime, **changes: object) -> MockInterview:
        position = self.position
        items = list(self.items)
        items[position] = replace(items[position], **changes)  # type: ignore[arg-type]
        return replace(self, items=tuple(items), last_activity_at=now)

    def shown(self, now: datetime) -> MockInterview:
        """The current question is on screen from `now` (the first time only)."""
        current = self.current
        if current is None or current.shown_at is not None:
            return self
        return self._with_current(now, shown_at=now)

    def answered(self, now: datetime, coverage: str) -> MockInterview:
        """Writing again before grading replaces the answer; the time runs to the last one."""
        return self._with_current(now, answered_at=now, coverage=coverage)

    def graded(self, now: datetime, grade: Grade) -> MockInterview:
        return self._advanced(self._with_current(now, grade=grade), now)

    def regraded(self, position: int, now: datetime, grade: Grade) -> MockInterview:
        """A grade that was recorded while another click (Skip) moved past its question: the
        recorded grade wins, so the summary agrees with the person's progress."""
        items = list(self.items)
        items[position] = replace(items[position], grade=grade, skipped=False)
        return replace(self, items=tuple(items), last_activity_at=now)

    def skipped(self, now: datetime) -> MockInterview:
        current = self.current
        answered_at = current.answered_at if current and current.answered_at else now
        return self._advanced(self._with_current(now, skipped=True, answered_at=answered_at), now)

    def ended(self, now: datetime, state: MockState = MockState.ENDED) -> MockInterview:
        return replace(self, state=state, last_activity_at=now)

    @staticmethod
    def _advanced(mock: MockInterview, now: datetime) -> MockInterview:
        if mock.current is None:
            return replace(mock, state=MockState.FINISHED)
        return mock.shown(now)


@dataclass(frozen=True)
class TopicScore:
    topic: str
    score: float  # 0 (all missed or skipped) to 1 (all known)
    questions: int


def weakest_topics(
    items: tuple[MockItem, ...], topics_of: dict[str, tuple[str, ...]], limit: int = 3
) -> list[TopicScore]:
    """Topics of the questions dealt with, lowest average first; those fully known are left out."""
    scores: dict[str, list[float]] = defaultdict(list)
    for item in items:
        if not item.done:
            continue
        value = 0.0 if item.skipped or item.grade is None else _SCORES[item.grade]
        for topic in topics_of.get(item.question_id, ()):
            scores[topic].append(value)
    ranked = sorted(
        (TopicScore(t, sum(v) / len(v), len(v)) for t, v in scores.items()),
        key=lambda s: (s.score, -s.questions, s.topic),
    )
    return [s for s in ranked if s.score < 1.0][:limit]


def total_seconds(items: tuple[MockItem, ...]) -> int:
    return sum(item.seconds or 0 for item in items)
