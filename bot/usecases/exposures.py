"""Recording that someone was shown a question or its answer, many people per transaction.

Asking by number and revealing an answer each write one row; when a daily question goes out,
thousands do it within seconds, so these writes are grouped like grades are.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bot.domain.content import QuestionRef
from bot.domain.context import Context
from bot.usecases.batches import ExposureWrite, Shown
from bot.usecases.deps import Deps, identify_many


async def record_shown(
    deps: Deps,
    ctx: Context,
    ref: QuestionRef,
    shown: Shown,
    *,
    written_answer: str = "",
    coverage: str = "",
) -> None:
    """`written_answer` and its `coverage` go with `Shown.WRITTEN` only."""
    write = ExposureWrite(ctx, ref, shown, deps.clock.now(), written_answer, coverage)
    await deps.exposure_writes.submit(write, partial(write_exposures, deps))


async def write_exposures(deps: Deps, writes: Sequence[ExposureWrite]) -> list[None]:
    """A reveal opens a new grade (clears `graded_at`); an ask only moves `asked_at`."""
    async with deps.uow(write=True) as uow:
        who = await identify_many(uow, [w.ctx for w in writes], min(w.now for w in writes))
        rows = [(user.id, w.ref, w.now) for w, (user, _channel) in zip(writes, who, strict=True)]
        await uow.exposures.mark_shown(
            [r for r, w in zip(rows, writes, strict=True) if w.shown is Shown.ASKED],
            revealed=False,
        )
        await uow.exposures.mark_shown(
            [r for r, w in zip(rows, writes, strict=True) if w.shown is Shown.REVEALED],
            revealed=True,
        )
        await uow.exposures.mark_written(
            [
                (*r, w.written_answer, w.coverage)
                for r, w in zip(rows, writes, strict=True)
                if w.shown is Shown.WRITTEN
            ]
        )
        await uow.commit()
    return [None] * len(writes)
