"""Small helpers shared by the benchmarks: percentiles, a scratch database, the result table."""

from __future__ import annotations

import random
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.clock import Clock, SystemClock
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.content.locations import default_content_root
from bot.daily.ports import PostingPort


@dataclass(frozen=True)
class Figure:
    name: str
    measured: str
    ratio: float
    target: str
    met: bool


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def scratch_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="quizbot-bench-"))


def sqlite_url(folder: Path, name: str = "bench.sqlite3") -> str:
    return f"sqlite+aiosqlite:///{folder / name}"


async def runtime_for(
    url: str, *, ports: dict[str, PostingPort] | None = None, clock: Clock | None = None
) -> Runtime:
    settings = Settings(_env_file=None, database_url=url, content_dir=default_content_root())
    return await build_runtime(
        settings, ports=ports, clock=clock or SystemClock(), rng=random.Random(1)
    )


def table(figures: list[Figure]) -> str:
    rows = [("Benchmark", "Measured", "Ratio", "Target", "Met")]
    rows += [
        (f.name, f.measured, f"{f.ratio:.2f}", f.target, "yes" if f.met else "no") for f in figures
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
