"""Reaching a platform at start: try, wait, try again with back-off, one log line a try.

A server (`quizbot run`) waits for as long as it takes and can be stopped meanwhile; a cron job
(`post-due`) gives up after a few tries, in one line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.domain.errors import QuizError

T = TypeVar("T")

FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 30.0

log = logging.getLogger(__name__)


class Unreachable(Exception):
    """This try failed in a way a later one may not; the message says how."""


async def until_reachable(attempt: Callable[[], Awaitable[T]], *, attempts: int | None) -> T:
    """`attempt` raises Unreachable to be tried again; anything else ends the wait."""
    delay = FIRST_RETRY_SECONDS
    tried = 0
    while True:
        tried += 1
        try:
            return await attempt()
        except Unreachable as exc:
            problem = str(exc)
        if attempts is not None and tried >= attempts:
            raise QuizError(f"{problem}; gave up after {tried} attempts.")
        log.warning("%s; trying again in %.0f s", problem, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, LONGEST_RETRY_SECONDS)
