"""Group commit: callers who arrive while a batch is being written share the next transaction.

When a daily question goes out, thousands of people grade it within seconds. One transaction
each would cost a dozen statements and a commit per person, one writer at a time on SQLite;
one transaction for everyone waiting costs about the same dozen statements for all of them.
A lone caller is not delayed: with nothing in flight its batch of one starts at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeAlias, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")
BatchRunner: TypeAlias = Callable[[Sequence[In]], Awaitable[Sequence[Out | Exception]]]


class GroupCommit(Generic[In, Out]):
    """Queues items and hands them to a batch runner, one batch at a time.

    The runner returns one result per item, or the exception that item's caller should see.
    If the runner itself fails, each item is retried alone, so one bad item cannot fail
    the people batched with it.
    """

    def __init__(self, max_batch: int = 500, linger: float = 0.0) -> None:
        """`linger`: how long a batch waits for company once its first item arrives; zero for
        anything a person is waiting on."""
        self._max_batch = max_batch
        self._linger = linger
        self._pending: list[tuple[In, asyncio.Future[Out]]] = []
        self._drain: asyncio.Task[None] | None = None

    async def submit(self, item: In, runner: BatchRunner[In, Out]) -> Out:
        """Every caller passes the same runner; the one that starts a drain is used for it."""
        future: asyncio.Future[Out] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._drain is None or self._drain.done():
            self._drain = asyncio.create_task(self._run_all(runner))
        return await future

    async def idle(self) -> None:
        """Until nothing is being written: callers that gave up (a stop) still have their batch
        in flight, and it must finish before the database closes."""
        while self._drain is not None and not self._drain.done():
            await asyncio.wait({self._drain})

    async def _run_all(self, runner: BatchRunner[In, Out]) -> None:
        batch: list[tuple[In, asyncio.Future[Out]]] = []
        try:
            while self._pending:
                if self._linger:
                    await asyncio.sleep(self._linger)
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                # A caller that gave up (cancelled) before its turn is not written.
                batch = [(item, future) for item, future in batch if not future.done()]
                if batch:
                    results = await self._run_batch(runner, [item for item, _ in batch])
                    _settle(batch, results)
                batch = []
        finally:
            for _item, future in [*batch, *self._pending]:
                future.cancel()
            self._pending.clear()

    @staticmethod
    async def _run_batch(
        runner: BatchRunner[In, Out], items: list[In]
    ) -> Sequence[Out | Exception]:
        try:
            return await runner(items)
        except Exception as exc:
            if len(items) == 1:
                return [exc]
        results: list[Out | Exception] = []
        for item in items:
            try:
                results.extend(await runner([item]))
            except Exception as exc:
                results.append(exc)
        return results


def _settle(
    batch: Sequence[tuple[object, asyncio.Future[Out]]], results: Sequence[Out | Exception]
) -> None:
    if len(results) != len(batch):
        raise RuntimeError(f"batch runner gave {len(results)} results for {len(batch)} items")
    for (_item, future), result in zip(batch, results, strict=True):
        if future.done():
            continue
        if isinstance(result, Exception):
            future.set_exception(result)
        else:
            future.set_result(result)
