"""Small phrases several replies share, so a day or a delay reads the same everywhere."""

from __future__ import annotations

from datetime import datetime


def days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def relative(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "not scheduled"
    seconds = (when - now).total_seconds()
    if seconds <= 0:
        return "now"
    hours = seconds / 3600
    if hours < 24:
        return f"in {max(1, round(hours))} hour{'s' if round(hours) > 1 else ''}"
    days = round(hours / 24)
    return f"in {days} day{'s' if days != 1 else ''}"
