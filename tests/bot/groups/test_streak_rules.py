"""The streak and freeze rules on plain dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.domain.streaks import TeamDay, personal_streak, team_streak

D0 = date(2026, 3, 2)


def days(*offsets: int) -> set[date]:
    return {D0 + timedelta(days=n) for n in offsets}


def test_no_activity() -> None:
    streak = personal_streak(set(), D0)
    assert (streak.current, streak.best, streak.freezes) == (0, 0, 0)


def test_today_not_yet_practised_does_not_break() -> None:
    streak = personal_streak(days(0, 1, 2), D0 + timedelta(days=3))
    assert (streak.current, streak.active_today, streak.at_risk) == (3, False, True)


def test_missed_day_without_freeze_breaks() -> None:
    streak = personal_streak(days(0, 1, 2, 4, 5), D0 + timedelta(days=5))
    assert (streak.current, streak.best) == (2, 3)


def test_freeze_earned_after_seven_days_and_spent_on_a_missed_day() -> None:
    six = personal_streak(days(*range(6)), D0 + timedelta(days=5))
    assert (six.current, six.freezes) == (6, 0)
    earned = personal_streak(days(*range(7)), D0 + timedelta(days=6))
    assert (earned.current, earned.freezes) == (7, 1)
    spent = personal_streak(days(*range(7), 8, 9), D0 + timedelta(days=9))
    assert (spent.current, spent.freezes, spent.freezes_spent) == (9, 0, 1)


@pytest.mark.parametrize(("active", "freezes"), [(6, 0), (7, 1), (12, 1), (13, 1), (14, 2)])
def test_one_freeze_for_every_seven_active_days(active: int, freezes: int) -> None:
    streak = personal_streak(days(*range(active)), D0 + timedelta(days=active - 1))
    assert (streak.current, streak.freezes) == (active, freezes)


def test_a_six_day_streak_has_no_freeze_to_spend() -> None:
    streak = personal_streak(days(*range(6), 7), D0 + timedelta(days=7))
    assert (streak.current, streak.best, streak.freezes_spent) == (1, 6, 0)


def test_a_one_day_streak_is_at_risk_until_practised() -> None:
    """Yesterday's single day is a streak of one; today decides whether it goes on."""
    yesterday_only = personal_streak(days(0), D0 + timedelta(days=1))
    assert (yesterday_only.current, yesterday_only.at_risk) == (1, True)
    practised = personal_streak(days(0, 1), D0 + timedelta(days=1))
    assert practised.at_risk is False
    nothing = personal_streak(days(0), D0 + timedelta(days=2))
    assert (nothing.current, nothing.at_risk) == (0, False)


def test_at_most_two_freezes_and_both_can_be_spent() -> None:
    streak = personal_streak(days(*range(21)), D0 + timedelta(days=20))
    assert streak.freezes == 2
    after_gap = personal_streak(days(*range(21), 23), D0 + timedelta(days=23))
    assert (after_gap.current, after_gap.freezes, after_gap.freezes_spent) == (22, 0, 2)
    broken = personal_streak(days(*range(21), 24), D0 + timedelta(days=24))
    assert (broken.current, broken.best) == (1, 21)


def test_team_streak_counts_posts_meeting_the_threshold() -> None:
    posts = [TeamDay(D0 + timedelta(days=n), g) for n, g in enumerate([2, 3, 1, 2, 2])]
    assert (
        team_streak(posts, D0 + timedelta(days=4), 2).current,
        team_streak(posts, D0 + timedelta(days=4), 2).best,
    ) == (2, 2)
    in_progress = [*posts, TeamDay(D0 + timedelta(days=5), 0)]
    assert team_streak(in_progress, D0 + timedelta(days=5), 2).current == 2
    assert team_streak(in_progress, D0 + timedelta(days=6), 2).current == 0
