"""`make bench`: run every benchmark and print the table the README quotes."""

from __future__ import annotations

import asyncio
import logging
import platform
import sys
from collections.abc import Awaitable, Callable

from bench import answer_matching, burst, fanout, growth, latency, startup
from bench.common import Figure, table

Benchmark = Callable[[], Awaitable[Figure | list[Figure]]]

BENCHMARKS: tuple[tuple[str, Benchmark], ...] = (
    ("interaction latency", latency.run),
    ("burst grading", burst.run),
    ("fan-out", fanout.run),
    ("growth", growth.run),
    ("start-up and memory", startup.run),
    ("answer matching", answer_matching.run),
)


async def main() -> int:
    logging.disable(logging.WARNING)
    figures: list[Figure] = []
    for name, benchmark in BENCHMARKS:
        print(f"running {name}...", file=sys.stderr, flush=True)
        result = await benchmark()
        figures += result if isinstance(result, list) else [result]
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
