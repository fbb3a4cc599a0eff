"""Garbage-collector settings for a long-running server process.

A burst of interactions leaves thousands of requests in flight at once. With CPython's default
thresholds, full collections then walk all of them often enough to stall the event loop for
tens of milliseconds, and Slack's acks wait behind each stall (bench/latency.py: ack p99 116 ms
with the defaults, 34 ms with these settings, in one run). Everything alive once the process
is serving (modules, the question packs, clients) is frozen out of collection, and collections
run less often; reference counting still frees everything that is not in a cycle at once.
"""

from __future__ import annotations

import gc

SERVING_THRESHOLDS = (20_000, 50, 100)


def tune_for_serving() -> None:
    """Call once start-up is done, so the objects it made are the ones frozen."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
