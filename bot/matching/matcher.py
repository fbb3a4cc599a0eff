"""The answer matcher: which key points an answer states, and the grade that suggests.

Built once per process from every question it may be asked about (their key points weigh the
terms, and are the yardstick for "is this answer about another question?"). Scores come from
lexical coverage, WordLlama embeddings, or both (see docs/decisions.md, "Answer practice").
Three guards keep shared words from passing for knowledge:

- a point counts only when one clause (or two neighbouring ones) states enough of it;
- a clause that touches three or more key points at once is a keyword salad, and credits none;
- an answer that covers another question's points better than this one's is off-topic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.domain.content import Question
from bot.domain.coverage import Coverage
from bot.domain.grades import Grade
from bot.matching.lexical import TermIndex, lexical_scores
from bot.matching.text import clauses, function_share, terms

if TYPE_CHECKING:
    # numpy and WordLlama are installed with the dev extra only: the embedding candidates
    # are compared in the benchmark, while the bot itself matches lexically.
    from bot.matching.embedding import Embedder, Matrix

# Answers longer than this are read up to here: a modal holds 4,000 characters, and the cost
# of matching grows with length.
MAX_ANSWER_CHARS = 4000
# The share of key points an answer states for "Knew it" (the labelling rubric's rule).
KNEW_SHARE = 0.6


class Method(StrEnum):
    LEXICAL = "lexical"
    EMBEDDING = "embedding"
    COMBINED = "combined"


@dataclass(frozen=True)
class Tuning:
    """Set on the tune half of bench/answer_set only (bench/answer_matching.py)."""

    method: Method = Method.LEXICAL
    threshold: float = 0.3  # a point counts from this score up
    lexical_weight: float = 0.5  # COMBINED: score = w * lexical + (1 - w) * embedding
    overload: int = 3  # a clause reaching this many points at once is a salad
    overload_threshold: float = 0.3  # ... each with at least this score
    min_function_share: float = 0.15  # clauses with fewer function words are term lists
    off_topic_margin: int = 1
    per_window: int = 1  # points one window may credit per clause it spans
    off_topic_max_own: int = 1  # an answer covering more of its own points is never off-topic


# The candidates the benchmark compares, each with settings chosen on the tune half.
TUNINGS: dict[str, Tuning] = {
    "lexical": Tuning(method=Method.LEXICAL, threshold=0.3, overload_threshold=0.3),
    "embedding": Tuning(method=Method.EMBEDDING, threshold=0.35, overload_threshold=0.5),
    "combined": Tuning(
        method=Method.COMBINED, threshold=0.3, lexical_weight=0.7, overload_threshold=0.3
    ),
}
DEFAULT_TUNING = TUNINGS["lexical"]


@dataclass
class _Windows:
    texts: list[str]
    stems: list[frozenset[str]]
    parts: list[tuple[int, ...]]  # which clauses each window spans
    readable: list[bool]  # sentence-like enough to state a point
    vectors: Matrix | None = None  # embedded once per answer, on first need


class KeyPointMatcher:
    """Implements `AnswerMatcher`; holds its indexes and (lazily) the embedding model."""

    def __init__(self, questions: Iterable[Question], tuning: Tuning | None = None) -> None:
        self._questions = list(questions)
        self._tuning = tuning or DEFAULT_TUNING
        self._terms = TermIndex(self._questions)
        self._embedder: Embedder | None = None
        self._vectors: dict[tuple[str, str], tuple[Matrix, list[int]]] = {}

    @property
    def tuning(self) -> Tuning:
        return self._tuning

    def load(self) -> None:
        """Do the one-off work now (model, every question's vectors) rather than on first use."""
        for question in self._questions:
            self._terms.wordings(question)
            if self._tuning.method is not Method.LEXICAL:
                self._point_vectors(question)

    def assess(self, question: Question, answer: str) -> Coverage:
        windows = _windows(answer[:MAX_ANSWER_CHARS], self._tuning.min_function_share)
        covered = self._covered(question, windows)
        n = len(covered)
        own = sum(covered)
        if (
            own
            and own <= self._tuning.off_topic_max_own
            and self._elsewhere(question, windows) >= own + self._tuning.off_topic_margin
        ):
            covered = [False] * n
        return Coverage(tuple(covered), suggest(sum(covered), n))

    def _covered(self, question: Question, windows: _Windows) -> list[bool]:
        """A point counts where a readable window states it among the window's best few.

        One clause says one or two things; a clause that reaches `overload` points at once is
        a salad and credits none, and every other window credits at most `per_window` points,
        its highest-scoring ones, so a point cannot ride on another point's sentence.
        """
        scores = self._scores(question, windows)
        tuning = self._tuning
        n = len(scores)
        overloaded = {
            spans[0]
            for w, spans in enumerate(windows.parts)
            if len(spans) == 1
            and sum(row[w] >= tuning.overload_threshold for row in scores) >= tuning.overload
        }
        covered = [False] * n
        for w, spans in enumerate(windows.parts):
            if not windows.readable[w] or overloaded.intersection(spans):
                continue
            ranked = sorted(range(n), key=lambda p: scores[p][w], reverse=True)
            for p in ranked[: tuning.per_window * len(spans)]:
                if scores[p][w] >= tuning.threshold:
                    covered[p] = True
        return covered

    def _elsewhere(self, question: Question, windows: _Windows) -> int:
        """The most key points any other question's answer would get from this text."""
        best = 0
        for other in self._questions:
            if (other.pack_id, other.id) != (question.pack_id, question.id):
                best = max(best, sum(self._covered(other, windows)))
        return best

    def _scores(self, question: Question, windows: _Windows) -> list[list[float]]:
        method = self._tuning.method
        if not windows.texts:
            return [[] for _ in question.key_points]
        if method is Method.LEXICAL:
            return lexical_scores(self._terms.wordings(question), windows.stems)
        semantic = self._semantic(question, windows)
        if method is Method.EMBEDDING:
            return semantic
        lexical = lexical_scores(self._terms.wordings(question), windows.stems)
        w = self._tuning.lexical_weight
        return [
            [w * a + (1 - w) * b for a, b in zip(lex, sem, strict=True)]
            for lex, sem in zip(lexical, semantic, strict=True)
        ]

    def _embed(self, texts: list[str]) -> Matrix:
        if self._embedder is None:
            from bot.matching.embedding import Embedder

            self._embedder = Embedder()
        return self._embedder.embed(texts)

    def _semantic(self, question: Question, windows: _Windows) -> list[list[float]]:
        import numpy as np

        vectors, owners = self._point_vectors(question)
        if windows.vectors is None:
            windows.vectors = self._embed(windows.texts)
        similarity = vectors @ windows.vectors.T
        table = [[0.0] * len(windows.texts) for _ in question.key_points]
        for row, owner in enumerate(owners):
            table[owner] = list(np.maximum(table[owner], similarity[row]).tolist())
        return table

    def _point_vectors(self, question: Question) -> tuple[Matrix, list[int]]:
        key = (question.pack_id, question.id)
        if key not in self._vectors:
            texts, owners = [], []
            for index, point in enumerate(question.key_points):
                for text in (point, *question.alternatives_for(index)):
                    texts.append(text)
                    owners.append(index)
            self._vectors[key] = (self._embed(texts), owners)
        return self._vectors[key]


def suggest(covered: int, total: int) -> Grade:
    """Knew it from 60% of the points (3 of 4 or 5, 4 of 6), Partly from one, else Missed."""
    if total and covered >= math.ceil(KNEW_SHARE * total):
        return Grade.KNEW
    return Grade.PARTLY if covered else Grade.MISSED


def _windows(answer: str, min_function_share: float) -> _Windows:
    """Each clause, and each pair of neighbouring clauses (a point may span a full stop)."""
    parts = clauses(answer)
    texts: list[str] = list(parts)
    spans: list[tuple[int, ...]] = [(i,) for i in range(len(parts))]
    for i in range(len(parts) - 1):
        texts.append(f"{parts[i]} {parts[i + 1]}")
        spans.append((i, i + 1))
    return _Windows(
        texts=texts,
        stems=[frozenset(terms(t)) for t in texts],
        parts=spans,
        readable=[function_share(t) >= min_function_share for t in texts],
    )


__all__ = ["DEFAULT_TUNING", "TUNINGS", "KeyPointMatcher", "Method", "Tuning", "suggest"]
