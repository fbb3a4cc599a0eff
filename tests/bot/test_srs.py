"""The fsrs wrapper: deterministic schedules, and no blocking sleep on a first grade."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import fsrs.card
import fsrs.scheduler
import pytest

from bot.domain.grades import Grade
from bot.srs import CardUpdate, SpacedRepetition

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def history(srs: SpacedRepetition, grades: list[Grade]) -> list[CardUpdate]:
    """Each grade given on the day the card falls due, starting with a new card at NOON."""
    updates: list[CardUpdate] = []
    card, when = None, NOON
    for grade in grades:
        update = srs.review(card, grade, when)
        updates.append(update)
        card, when = update.card_json, update.due
    return updates


def intervals(updates: list[CardUpdate]) -> list[timedelta]:
    starts = [NOON, *(u.due for u in updates[:-1])]
    return [u.due - start for u, start in zip(updates, starts, strict=True)]


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


def test_later_intervals_are_never_fuzzed(monkeypatch: pytest.MonkeyPatch) -> None:
    """fsrs fuzzes intervals of 2.5 days and more with a random draw; with fuzzing off the
    draw never matters, so the same history gives the same schedule whatever chance says."""
    grades = [Grade.KNEW] * 5 + [Grade.PARTLY, Grade.KNEW, Grade.MISSED, Grade.KNEW]
    runs = []
    for draw in (0.0, 0.999):
        monkeypatch.setattr(fsrs.scheduler, "random", lambda draw=draw: draw)
        runs.append(intervals(history(SpacedRepetition(), grades)))
    assert runs[0] == runs[1]
    assert sum(i > timedelta(days=30) for i in runs[0]) >= 3  # long enough to be fuzzed
    knew = runs[0][:5]
    assert knew == sorted(knew)  # each success spaces it further
    assert len(set(knew)) == 5


def test_the_schedule_is_whole_days() -> None:
    """A daily rhythm: no minute-long learning or relearning steps, whatever the grade."""
    for grades in ([Grade.MISSED] * 3, [Grade.KNEW, Grade.KNEW, Grade.MISSED, Grade.PARTLY]):
        for interval in intervals(history(SpacedRepetition(), grades)):
            assert interval >= timedelta(days=1)
            assert interval % timedelta(days=1) == timedelta(0)


def test_missed_brings_a_card_back_much_sooner_than_partly() -> None:
    """Missed is fsrs's Again, a lapse; Partly is Hard, a success that was an effort."""
    known = history(SpacedRepetition(), [Grade.KNEW] * 4)[-1]
    after = {
        grade: SpacedRepetition().review(known.card_json, grade, known.due).due - known.due
        for grade in Grade
    }
    assert timedelta(days=1) <= after[Grade.MISSED] <= timedelta(days=14)
    assert after[Grade.MISSED] * 10 < after[Grade.PARTLY] < after[Grade.KNEW]


def test_naive_datetimes_are_refused_before_fsrs_sees_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A naive time is ambiguous: we refuse it ourselves rather than rely on fsrs to."""
    reached: list[object] = []
    review_card = fsrs.scheduler.Scheduler.review_card

    def spy(*args: Any, **kwargs: Any) -> Any:
        reached.append(args)
        return review_card(*args, **kwargs)

    monkeypatch.setattr(fsrs.scheduler.Scheduler, "review_card", spy)
    with pytest.raises(ValueError, match="timezone-aware"):
        SpacedRepetition().review(None, Grade.KNEW, NOON.replace(tzinfo=None))
    assert reached == []


def test_an_aware_time_in_any_zone_is_the_same_instant() -> None:
    """fsrs takes UTC alone; 13:00 in Berlin is NOON in UTC and schedules the same."""
    berlin = NOON.astimezone(ZoneInfo("Europe/Berlin"))
    assert SpacedRepetition().review(None, Grade.KNEW, berlin) == SpacedRepetition().review(
        None, Grade.KNEW, NOON
    )
