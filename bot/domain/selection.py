"""Which question to serve next: due reviews first, then unseen questions, then anything else."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.content import Level, Question
from bot.domain.progress import DueReview


class Pick(StrEnum):
    DUE = "due"
    NEW = "new"
    AGAIN = "again"
    CHOSEN = "chosen"


@dataclass(frozen=True)
class Choice:
    question: Question
    pick: Pick
    due_count: int


def filter_questions(
    questions: Sequence[Question], level: Level | None, topic: str | None
) -> list[Question]:
    return [
        q
        for q in questions
        if (level is None or q.level == level) and (topic is None or topic in q.topics)
    ]


def choose(
    candidates: Sequence[Question],
    due: Sequence[DueReview],
    seen: set[str],
    last_asked: str | None,
    rng: random.Random,
) -> Choice:
    """`due` is ordered most overdue first; `candidates` must not be empty.

    Once every candidate has been seen and none is due, pick at random but never the
    question just asked, so that "another" always shows something different when it can.
    """
    if not candidates:
        raise ValueError("no candidates")
    by_id = {q.id: q for q in candidates}
    due_here = [d for d in due if d.question_id in by_id]
    if due_here:
        return Choice(by_id[due_here[0].question_id], Pick.DUE, len(due_here))
    unseen = [q for q in candidates if q.id not in seen]
    if unseen:
        return Choice(rng.choice(unseen), Pick.NEW, 0)
    others = [q for q in candidates if q.id != last_asked] or list(candidates)
    return Choice(rng.choice(others), Pick.AGAIN, 0)
