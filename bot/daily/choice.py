"""Which question a channel gets: its level, no repeat until the pack is used up, then anew."""

from __future__ import annotations

import random
from collections import Counter

from bot.domain.content import Level, Pack, Question
from bot.domain.selection import filter_questions


def choose_for_channel(
    pack: Pack, level: Level | None, posted: Counter[str], rng: random.Random
) -> Question:
    """A random question among those the channel has been posted the fewest times.

    Counting posts per question makes cycles implicit: once every question has been posted
    once, they are all at one and the second cycle begins, with no cycle state stored.
    """
    candidates = filter_questions(pack.questions, level, None) or list(pack.questions)
    if not posted:
        return rng.choice(candidates)
    counts = [posted.get(q.id, 0) for q in candidates]
    fewest = min(counts)
    return rng.choice([q for q, n in zip(candidates, counts, strict=True) if n == fewest])
