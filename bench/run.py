"""`make bench`: run every benchmark and print the table the README quotes."""

from __future__ import annotations

import asyncio
import logging
import platform
import sys

from bench import burst, growth, startup
from bench.common import Figure, table


async def main() -> int:
    logging.disable(logging.WARNING)
    figures: list[Figure] = []
    for name, benchmark in (
        ("start-up", startup.run),
        ("burst", burst.run),
        ("growth", growth.run),
    ):
        print(f"running {name}...", file=sys.stderr, flush=True)
        result = await benchmark()
        figures += result if isinstance(result, list) else [result]
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
