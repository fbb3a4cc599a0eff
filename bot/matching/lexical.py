"""Lexical coverage: how much of a key point's weighted vocabulary one stretch of an answer uses.

A key point and each of its other wordings (`also:`) become sets of stemmed terms, weighted by
how rare the term is among all key points of the loaded packs, so "Starlette" counts for more
than "request". A point's score in a window of the answer is the best weighted share of one
wording's terms found inside that window: the terms must be stated together, not scattered
over the whole answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.domain.content import Question
from bot.matching.text import terms


@dataclass(frozen=True)
class Wording:
    weights: dict[str, float]  # stem -> weight
    total: float


class TermIndex:
    """Term weights for every key point of the questions it was built from."""

    def __init__(self, questions: Iterable[Question]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for question in questions:
            for index, point in enumerate(question.key_points):
                vocabulary = set(terms(point))
                for other in question.alternatives_for(index):
                    vocabulary.update(terms(other))
                frequency.update(vocabulary)
                count += 1
        self._points = max(1, count)
        self._frequency = frequency
        self._cache: dict[tuple[str, str], tuple[tuple[Wording, ...], ...]] = {}

    def weight(self, stem: str) -> float:
        """Rarer among key points weighs more; a term no point uses weighs as the rarest."""
        return math.log(1 + self._points / (1 + self._frequency.get(stem, 0)))

    def wordings(self, question: Question) -> tuple[tuple[Wording, ...], ...]:
        """Per key point, its wordings as weighted stems (computed once per question)."""
        key = (question.pack_id, question.id)
        cached = self._cache.get(key)
        if cached is None or len(cached) != len(question.key_points):
            cached = tuple(
                self._wordings((point, *question.alternatives_for(index)))
                for index, point in enumerate(question.key_points)
            )
            self._cache[key] = cached
        return cached

    def _wordings(self, texts: Sequence[str]) -> tuple[Wording, ...]:
        found = []
        for text in texts:
            weights = {stem: self.weight(stem) for stem in set(terms(text))}
            if weights:
                found.append(Wording(weights, sum(weights.values())))
        return tuple(found)


def lexical_scores(
    points: tuple[tuple[Wording, ...], ...], windows: Sequence[frozenset[str]]
) -> list[list[float]]:
    """scores[point][window]: the best share of one wording's weight the window states."""
    table = []
    for wordings in points:
        row = []
        for stems in windows:
            best = 0.0
            for wording in wordings:
                got = sum(w for s, w in wording.weights.items() if s in stems)
                best = max(best, got / wording.total)
            row.append(best)
        table.append(row)
    return table
