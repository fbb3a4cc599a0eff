from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bot.domain.content import Level, Question
from bot.domain.progress import DueReview
from bot.domain.selection import Pick, choose, filter_questions

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def q(n: int, level: Level = Level.JUNIOR, topics: tuple[str, ...] = ("basics",)) -> Question:
    return Question("p", f"q{n}", n, level, topics, ("a", "b", "c"), "next?", "prompt", "answer")


QS = [q(1), q(2, Level.MID, ("async",)), q(3, Level.MID, ("basics", "async")), q(4, Level.SENIOR)]


def test_filter_by_level_and_topic() -> None:
    assert [x.number for x in filter_questions(QS, Level.MID, None)] == [2, 3]
    assert [x.number for x in filter_questions(QS, None, "basics")] == [1, 3, 4]
    assert [x.number for x in filter_questions(QS, Level.MID, "basics")] == [3]
    assert filter_questions(QS, Level.SENIOR, "async") == []


def test_most_overdue_review_comes_first() -> None:
    due = [DueReview("q3", T0 - timedelta(days=3)), DueReview("q1", T0 - timedelta(days=1))]
    choice = choose(QS, due, {"q1", "q3"}, None, random.Random(0))
    assert (choice.question.number, choice.pick, choice.due_count) == (3, Pick.DUE, 2)


def test_due_reviews_outside_the_filter_are_ignored() -> None:
    due = [DueReview("q4", T0)]
    choice = choose(filter_questions(QS, Level.MID, None), due, {"q4"}, None, random.Random(0))
    assert choice.pick is Pick.NEW


def test_due_count_counts_only_reviews_within_the_filter() -> None:
    """ "(N due)" is about what was asked for: reviews of other levels or topics wait."""
    due = [DueReview(f"q{n}", T0 - timedelta(days=10 - n)) for n in (1, 2, 3, 4)]
    seen = {"q1", "q2", "q3", "q4"}
    mid = choose(filter_questions(QS, Level.MID, None), due, seen, None, random.Random(0))
    assert (mid.question.number, mid.pick, mid.due_count) == (2, Pick.DUE, 2)
    on_basics = choose(filter_questions(QS, None, "basics"), due, seen, None, random.Random(0))
    assert (on_basics.question.number, on_basics.due_count) == (1, 3)
    one = choose(filter_questions(QS, Level.MID, "basics"), due, seen, None, random.Random(0))
    assert (one.question.number, one.due_count) == (3, 1)
    everything = choose(QS, due, seen, None, random.Random(0))
    assert everything.due_count == 4


def test_unseen_before_seen() -> None:
    for seed in range(20):
        choice = choose(QS, [], {"q1", "q2", "q3"}, "q3", random.Random(seed))
        assert (choice.question.number, choice.pick) == (4, Pick.NEW)


def test_when_all_seen_never_repeats_the_last_one() -> None:
    seen = {x.id for x in QS}
    picks = {choose(QS, [], seen, "q2", random.Random(s)).question.number for s in range(50)}
    assert 2 not in picks
    assert picks == {1, 3, 4}


def test_single_candidate_can_repeat() -> None:
    choice = choose([QS[0]], [], {"q1"}, "q1", random.Random(0))
    assert (choice.question.number, choice.pick) == (1, Pick.AGAIN)
