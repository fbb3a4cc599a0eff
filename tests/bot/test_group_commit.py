"""Group commit on its own: batching, per-item errors, and isolation of a failing item."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from bot.usecases.group_commit import GroupCommit


class Recorder:
    """A batch runner that doubles numbers, refuses negatives, and chokes on 13."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.release = asyncio.Event()
        self.release.set()

    async def __call__(self, items: Sequence[int]) -> list[int | Exception]:
        self.batches.append(list(items))
        await self.release.wait()
        if 13 in items:
            raise RuntimeError("unlucky")
        return [ValueError(f"{n} is negative") if n < 0 else n * 2 for n in items]


async def test_callers_arriving_together_share_one_batch() -> None:
    group: GroupCommit[int, int] = GroupCommit()
    runner = Recorder()
    results = await asyncio.gather(*(group.submit(n, runner) for n in range(10)))
    assert results == [n * 2 for n in range(10)]
    assert runner.batches == [list(range(10))]


async def test_batches_are_capped() -> None:
    group: GroupCommit[int, int] = GroupCommit(max_batch=4)
    runner = Recorder()
    await asyncio.gather(*(group.submit(n, runner) for n in range(10)))
    assert [len(b) for b in runner.batches] == [4, 4, 2]


async def test_a_lone_caller_is_served_at_once_and_later_arrivals_form_the_next_batch() -> None:
    group: GroupCommit[int, int] = GroupCommit()
    runner = Recorder()
    runner.release.clear()
    first = asyncio.create_task(group.submit(1, runner))
    while not runner.batches:
        await asyncio.sleep(0)
    later = [asyncio.create_task(group.submit(n, runner)) for n in (2, 3)]
    await asyncio.sleep(0)
    runner.release.set()
    assert await first == 2
    assert [await t for t in later] == [4, 6]
    assert runner.batches == [[1], [2, 3]]


async def test_an_item_refused_by_the_runner_fails_only_its_caller() -> None:
    group: GroupCommit[int, int] = GroupCommit()
    results = await asyncio.gather(
        *(group.submit(n, Recorder()) for n in (1, -1, 2)), return_exceptions=True
    )
    assert results[0] == 2
    assert results[2] == 4
    assert isinstance(results[1], ValueError)


async def test_a_batch_that_fails_is_retried_item_by_item() -> None:
    group: GroupCommit[int, int] = GroupCommit()
    runner = Recorder()
    results = await asyncio.gather(
        *(group.submit(n, runner) for n in (1, 13, 2)), return_exceptions=True
    )
    assert results[0] == 2
    assert results[2] == 4
    assert isinstance(results[1], RuntimeError)
    assert runner.batches == [[1, 13, 2], [1], [13], [2]]


async def test_a_caller_that_gave_up_before_its_turn_is_not_run() -> None:
    group: GroupCommit[int, int] = GroupCommit()
    runner = Recorder()
    runner.release.clear()
    first = asyncio.create_task(group.submit(1, runner))
    while not runner.batches:
        await asyncio.sleep(0)
    gave_up = asyncio.create_task(group.submit(2, runner))
    kept = asyncio.create_task(group.submit(3, runner))
    await asyncio.sleep(0)
    gave_up.cancel()
    runner.release.set()
    assert await first == 2
    assert await kept == 6
    with pytest.raises(asyncio.CancelledError):
        await gave_up
    assert runner.batches == [[1], [3]]


async def test_a_lingering_batch_waits_for_company() -> None:
    group: GroupCommit[int, int] = GroupCommit(linger=0.05)
    runner = Recorder()
    first = asyncio.create_task(group.submit(1, runner))
    await asyncio.sleep(0)
    later = asyncio.create_task(group.submit(2, runner))
    assert (await first, await later) == (2, 4)
    assert runner.batches == [[1, 2]]
