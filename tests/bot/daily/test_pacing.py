"""The pacer keeps every second under the limit, evenly, and makes up a little lost time."""

from __future__ import annotations

import asyncio

import pytest

from bot.daily.pacing import Pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.25  # deliberately not on a whole second

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def start_times(pacer: Pacer, fake: FakeTime, calls: int) -> list[float]:
    """Callers one after another in fake time; only sleeping moves the clock."""
    starts = []
    for _ in range(calls):
        await pacer.wait()
        starts.append(fake.now)
    return starts


def most_in_any_second(starts: list[float]) -> int:
    """The platform's windows may begin anywhere: check the window starting at each call."""
    most, end = 0, 0
    for begin, started in enumerate(starts):
        while end < len(starts) and starts[end] < started + 1:
            end += 1
        most = max(most, end - begin)
    return most


async def test_no_second_holds_more_calls_than_the_limit_allows() -> None:
    fake = FakeTime()
    pacer = Pacer(1000, clock=fake.clock, sleep=fake.sleep)
    starts = await start_times(pacer, fake, 5000)
    assert most_in_any_second(starts) < 1000
    assert pacer.calls_per_second == pytest.approx(970)
    assert 4999 / (starts[-1] - starts[0]) == pytest.approx(970, rel=0.01)


async def test_a_short_busy_moment_is_made_up_by_a_small_burst() -> None:
    fake = FakeTime()
    pacer = Pacer(1000, clock=fake.clock, sleep=fake.sleep)
    await start_times(pacer, fake, 1000)
    fake.now += 0.015  # the loop was busy for 15 ms; nobody called
    resumed = fake.now
    after = await start_times(pacer, fake, 20)
    assert after[:14] == [resumed] * 14  # the slots missed in 15 ms go at once
    fake.now += 5.0  # a long pause earns no more than the burst
    resumed = fake.now
    again = await start_times(pacer, fake, 40)
    assert again.count(resumed) == 20


async def test_concurrent_callers_get_distinct_slots() -> None:
    fake = FakeTime()
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    pacer = Pacer(10, clock=fake.clock, sleep=record)
    await asyncio.gather(*(pacer.wait() for _ in range(5)))
    assert slept == [pytest.approx(n / 9.7) for n in range(1, 5)]


def test_a_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(0)
