"""A pack's shape at a glance: how many questions per level and per topic."""

from __future__ import annotations

from collections import Counter

from bot.domain.content import Level, Pack


def pack_summary(pack: Pack) -> str:
    levels = Counter(q.level for q in pack.questions)
    topics = Counter(t for q in pack.questions for t in q.topics)
    width = max((len(t) for t in pack.topics), default=5) + 2
    lines = [
        f"{pack.title} ({pack.id}, /{pack.command}): {len(pack.questions)} questions",
        "",
        "By level:",
        *(f"  {level.value:<{width}}{levels.get(level, 0):>4}" for level in Level),
        "",
        "By topic (a question can have several):",
        *(f"  {topic:<{width}}{topics.get(topic, 0):>4}" for topic in pack.topics),
    ]
    return "\n".join(lines)
