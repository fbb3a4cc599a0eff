"""The fsrs wrapper: deterministic schedules, and no blocking sleep on a first grade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import fsrs.card
import pytest

from bot.domain.grades import Grade
from bot.srs import SpacedRepetition

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_first_grade_never_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    """fsrs's own Card() sleeps 1 ms; inside the event loop that stalls every other user."""
    sleeps: list[float] = []
    monkeypatch.setattr(fsrs.card.time, "sleep", sleeps.append)
    SpacedRepetition().review(None, Grade.KNEW, NOON)
    assert sleeps == []


def test_same_history_gives_same_schedule() -> None:
    srs = SpacedRepetition()
    first = srs.review(None, Grade.KNEW, NOON)
    again = srs.review(None, Grade.KNEW, NOON)
    assert first == again
    assert first.due - NOON == timedelta(days=2)
    later = srs.review(first.card_json, Grade.KNEW, first.due)
    assert later.due > first.due + timedelta(days=2)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        SpacedRepetition().review(None, Grade.KNEW, NOON.replace(tzinfo=None))
