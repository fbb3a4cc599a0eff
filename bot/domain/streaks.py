"""Streaks, freezes and team streaks, computed from dates alone: no streak state is stored.

A person's day counts when they graded at least one question on that local date. One freeze is
earned for every 7 active days of a streak, at most 2 are held, and one is spent on its own for
each missed day. Today never breaks a streak: there is still time to practise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

FREEZE_EVERY = 7
MAX_FREEZES = 2


@dataclass(frozen=True)
class Streak:
    current: int
    best: int
    freezes: int
    active_today: bool
    freezes_spent: int = 0

    @property
    def at_risk(self) -> bool:
        return self.current > 0 and not self.active_today


def personal_streak(active_days: Iterable[date], today: date) -> Streak:
    days = set(active_days)
    if not days:
        return Streak(0, 0, 0, False)
    current = best = freezes = spent = 0
    day = min(days)
    while day <= today:
        if day in days:
            current += 1
            best = max(best, current)
            if current % FREEZE_EVERY == 0:
                freezes = min(MAX_FREEZES, freezes + 1)
        elif day == today:
            pass
        elif freezes and current:
            freezes -= 1
            spent += 1
        else:
            current = 0
        day += timedelta(days=1)
    return Streak(current, best, freezes, today in days, spent)


@dataclass(frozen=True)
class TeamDay:
    local_date: date
    graders: int


@dataclass(frozen=True)
class TeamStreak:
    current: int
    best: int
    threshold: int


def team_streak(days: Iterable[TeamDay], today: date, threshold: int) -> TeamStreak:
    """Consecutive daily posts graded by at least `threshold` members.

    Days without a post (a weekday-only channel's weekend) neither count nor break. Today's
    post, while still short of the threshold, is in progress rather than a break.
    """
    current = best = 0
    for day in sorted(days, key=lambda d: d.local_date):
        if day.graders >= threshold:
            current += 1
            best = max(best, current)
        elif day.local_date < today:
            current = 0
    return TeamStreak(current, best, threshold)
