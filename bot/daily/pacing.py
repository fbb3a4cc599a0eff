"""Pacing: stay just under a platform's rate limit instead of running into it.

A 429 costs far more than the call it refused: the platform says "retry after 1 s", and every
sender that hit the limit sleeps that long, while the window it was waiting for opens in a
fraction of a second. Spacing calls evenly just below the limit avoids that stall.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

# Any one second of ours may straddle two of the platform's windows, and arrivals jitter, so
# aim a little below the limit and keep the burst that makes up for a busy moment small:
# no second ever holds more than (HEADROOM + BURST_SHARE) of the limit.
HEADROOM = 0.97
BURST_SHARE = 0.02


class Pacer:
    """Evenly spaced start times for concurrent callers (a GCRA token bucket).

    Callers that fell behind, because the event loop was busy, may catch up by a small burst;
    beyond that, time lost is lost rather than risk a 429.
    """

    def __init__(
        self,
        limit_per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if limit_per_second <= 0:
            raise ValueError("a rate limit must be positive")
        self._interval = 1 / (limit_per_second * HEADROOM)
        burst = max(1.0, limit_per_second * BURST_SHARE)
        self._tolerance = (burst - 1) * self._interval
        self._clock = clock
        self._sleep = sleep
        self._next_slot = 0.0

    @property
    def calls_per_second(self) -> float:
        return 1 / self._interval

    async def wait(self) -> None:
        """Returns when this caller may make its call; the slot is reserved before sleeping."""
        now = self._clock()
        slot = max(self._next_slot, now - self._tolerance)
        self._next_slot = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)
