"""Events API deliveries already handled, so that a retry is not handled twice.

Slack retries a delivery it thinks failed (not acknowledged within 3 s, an error status, a
dropped connection) up to three times, with the same `event_id` and an `X-Slack-Retry-Num`
header (over HTTP) or `retry_attempt` (in Socket Mode). This remembers the last `capacity`
event ids per process. Across processes (several web workers) a retry that lands on another
process is handled again; for the App Home that only publishes the same home once more.
"""

from __future__ import annotations

from collections import OrderedDict

CAPACITY = 10_000


class SeenEvents:
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        """True once per event id (while it is remembered); marks it seen."""
        if event_id in self._seen:
            self._seen.move_to_end(event_id)
            return False
        self._seen[event_id] = None
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return True
