"""The stats picture's cost: milliseconds to draw one (it is drawn on the event loop for every
`stats`) and its size in bytes (it is uploaded to Slack and Discord).

`python -m bench.picture`. Each picture is a different busy learner (names, counts and recall
differ), so labels drawn once and reused (weekdays, topic names) help only as they would in a
running bot.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta

from bot.pictures import stats_png

TOPICS = (
    "routing", "validation", "dependency-injection", "async", "security", "testing",
    "databases", "deployment", "performance", "background-tasks", "middleware", "websockets",
)  # fmt: skip
RUNS = 400


@dataclass(frozen=True)
class Learner:
    title: str
    calendar: dict[date, int]
    today: date
    levels: list[tuple[str, int, int]]
    topics: list[tuple[str, int, int]]

    def picture(self) -> bytes:
        return stats_png(self.title, self.calendar, self.today, self.levels, self.topics)


def busy_learner(number: int, rng: random.Random) -> Learner:
    """Twelve weeks of mostly daily practice, every level and a dozen topics: the most to draw."""
    today = date(2026, 3, 20) + timedelta(days=rng.randrange(60))
    calendar = {today - timedelta(days=n): rng.choice((0, 1, 1, 2, 3, 5, 9)) for n in range(84)}
    levels = [(name, rng.randint(5, 30), 30) for name in ("Junior", "Mid", "Senior")]
    topics = [(name, rng.randint(0, 12), rng.randint(12, 20)) for name in TOPICS]
    graded = sum(calendar.values())
    title = f"Learner {number}: {graded} graded, recall {rng.randint(30, 95)}%"
    return Learner(title, calendar, today, levels, topics)


@dataclass(frozen=True)
class PictureCost:
    wall_ms: float
    cpu_ms: float
    wall_p95_ms: float
    bytes: int


def measure(runs: int = RUNS) -> PictureCost:
    """Medians per picture (wall clock and this process's CPU time) and the mean size."""
    rng = random.Random(1)
    busy_learner(-1, rng).picture()  # the font is loaded once per process
    learners = [busy_learner(n, rng) for n in range(runs)]
    wall: list[float] = []
    cpu: list[float] = []
    sizes: list[int] = []
    for learner in learners:
        started, started_cpu = time.perf_counter(), time.process_time()
        png = learner.picture()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        sizes.append(len(png))
    wall.sort()
    return PictureCost(
        wall_ms=statistics.median(wall),
        cpu_ms=statistics.median(cpu),
        wall_p95_ms=wall[int(0.95 * (len(wall) - 1))],
        bytes=round(statistics.mean(sizes)),
    )


def main() -> int:
    cost = measure()
    print(
        f"stats picture: median {cost.wall_ms:.1f} ms (CPU {cost.cpu_ms:.1f} ms), "
        f"p95 {cost.wall_p95_ms:.1f} ms, {cost.bytes:,} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
