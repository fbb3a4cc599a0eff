"""Answer matching (issue 15): agreement with the labelled answer set, and cost per answer.

Each candidate (lexical only, embedding only, both) is scored on the `tune` half, where its
settings were chosen, and on the `report` half, which was not looked at while tuning. Costs per
answer are timed interleaved, candidate by candidate in each round, over all 144 answers, after
the one-off load; load time and the resident memory it adds are measured in a fresh process.

Run alone with `python -m bench.answer_matching`; `make bench` runs it too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.common import Figure, median, percentile
from bot.content.loader import load_catalog
from bot.content.locations import default_content_root
from bot.domain.content import Pack
from bot.domain.grades import Grade
from bot.matching import KeyPointMatcher
from bot.matching.matcher import DEFAULT_TUNING, TUNINGS

ANSWERS = Path(__file__).parent / "answer_set" / "answers.yaml"
# Written after the matcher was built, on questions outside answers.yaml, and never tuned on.
HOLDOUT = Path(__file__).parent / "answer_set" / "holdout.yaml"
# Written on 2026-12-02 on the 14 questions no other set uses, after the last matcher change,
# by someone who never ran it; measured once.
FRESH = Path(__file__).parent / "answer_set" / "fresh.yaml"
SPLITS = ("tune", "report", "holdout", "fresh")
GRADES = (Grade.KNEW, Grade.PARTLY, Grade.MISSED)
ROUNDS = 5
TARGET_AGREEMENT = 0.75
TARGET_MS = 100.0


@dataclass(frozen=True)
class Result:
    agreement: float
    confusion: Counter[tuple[str, str]]  # (label, suggested)
    fooled: Counter[str]  # salad / off-topic suggested Knew it
    point_agreement: float
    count: int


def answers() -> list[dict[str, Any]]:
    """The development set (tune and report halves), then the held-out set if present."""
    found = list(yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))["answers"])
    for extra in (HOLDOUT, FRESH):
        if extra.exists():
            found += yaml.safe_load(extra.read_text(encoding="utf-8"))["answers"]
    return found


def fastapi_pack() -> Pack:
    pack = load_catalog(default_content_root()).pack("fastapi")
    assert pack is not None
    return pack


def score(matcher: KeyPointMatcher, pack: Pack, items: list[dict[str, Any]]) -> Result:
    confusion: Counter[tuple[str, str]] = Counter()
    fooled: Counter[str] = Counter()
    points = points_agreed = agreed = 0
    for item in items:
        question = pack.by_id(item["question"])
        assert question is not None
        coverage = matcher.assess(question, item["text"])
        suggested = coverage.suggested.value
        confusion[(item["label"], suggested)] += 1
        agreed += suggested == item["label"]
        if item["kind"] in ("salad", "off-topic") and coverage.suggested is Grade.KNEW:
            fooled[item["kind"]] += 1
        for index, covered in enumerate(coverage.covered):
            points += 1
            points_agreed += covered == (index + 1 in item["covered"])
    return Result(agreed / len(items), confusion, fooled, points_agreed / points, len(items))


def timings(
    matchers: dict[str, KeyPointMatcher], pack: Pack, items: list[dict[str, Any]]
) -> dict[str, list[float]]:
    """Milliseconds per answer, candidates interleaved round by round so noise hits all alike."""
    samples: dict[str, list[float]] = {name: [] for name in matchers}
    pairs = [(pack.by_id(i["question"]), i["text"]) for i in items]
    for _ in range(ROUNDS):
        for name, matcher in matchers.items():
            for question, text in pairs:
                assert question is not None
                started = time.perf_counter()
                matcher.assess(question, text)
                samples[name].append((time.perf_counter() - started) * 1000)
    return samples


_LOAD_PROBE = """
import json, time
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
from bot.content.loader import load_catalog
from bot.content.locations import default_content_root
pack = load_catalog(default_content_root()).pack("fastapi")
before = rss()
started = time.perf_counter()
from bot.matching import KeyPointMatcher
from bot.matching.matcher import TUNINGS
matcher = KeyPointMatcher(pack.questions, TUNINGS[{name!r}])
matcher.load()
seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds, "rss": rss() - before}}))
"""


def load_cost(name: str) -> tuple[float, int]:
    """Seconds and resident bytes the one-off load adds, in a fresh process (cold imports)."""
    out = subprocess.run(
        [sys.executable, "-c", _LOAD_PROBE.format(name=name)],
        check=True,
        capture_output=True,
        text=True,
        env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    return float(found["seconds"]), int(found["rss"])


def confusion_table(result: Result) -> str:
    header = "label \\ suggested | " + " | ".join(f"{g.label:>7}" for g in GRADES)
    rows = [header]
    for label in GRADES:
        cells = " | ".join(f"{result.confusion[(label.value, g.value)]:>7}" for g in GRADES)
        rows.append(f"{label.label:>17} | {cells}")
    return "\n".join("    " + r for r in rows)


def report() -> list[Figure]:
    pack = fastapi_pack()
    items = answers()
    matchers = {name: KeyPointMatcher(pack.questions, tuning) for name, tuning in TUNINGS.items()}
    for matcher in matchers.values():
        matcher.load()
    figures: list[Figure] = []
    costs = timings(matchers, pack, items)
    for name, matcher in matchers.items():
        chosen = " (chosen)" if matcher.tuning == DEFAULT_TUNING else ""
        print(f"\n== {name}{chosen}: {matcher.tuning}")
        for split in SPLITS:
            chosen_items = [i for i in items if i["split"] == split]
            if not chosen_items:
                continue
            result = score(matcher, pack, chosen_items)
            print(
                f"  {split}: agreement {result.agreement:.1%} of {result.count}; per key point "
                f"{result.point_agreement:.1%}; Knew it for salad {result.fooled['salad']}, "
                f"off-topic {result.fooled['off-topic']}"
            )
            print(confusion_table(result))
            if split != "tune" and chosen:
                fooled = sum(result.fooled.values())
                figures.append(
                    Figure(
                        f"Answer matching, {split} ({name})",
                        f"{result.agreement:.1%} agree; {fooled} salad/off-topic Knew it",
                        result.agreement / TARGET_AGREEMENT,
                        ">= 75%, 0 salad/off-topic Knew it",
                        result.agreement >= TARGET_AGREEMENT and fooled == 0,
                    )
                )
        seconds, rss = load_cost(name)
        p50, p95 = median(costs[name]), percentile(costs[name], 95)
        print(
            f"  cost per answer: median {p50:.1f} ms, p95 {p95:.1f} ms "
            f"({len(costs[name])} answers); one-off load {seconds * 1000:.0f} ms, "
            f"RSS added {rss / 2**20:.1f} MB"
        )
        if chosen:
            figures.append(
                Figure(
                    f"Answer matching cost ({name})",
                    f"p50 {p50:.1f} / p95 {p95:.1f} ms; "
                    f"load {seconds:.2f} s, +{rss / 2**20:.0f} MB",
                    p95 / TARGET_MS,
                    "p95 <= 100 ms per answer",
                    p95 <= TARGET_MS,
                )
            )
    return figures


async def run() -> list[Figure]:
    return report()


if __name__ == "__main__":
    from bench.common import table

    print(table(report()))
