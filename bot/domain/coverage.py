"""How far a written answer covers a question's key points, and the grade that suggests.

The learner still decides the grade; the suggestion only pre-selects a button. The matcher
that computes it lives outside the domain (`bot/matching/`), behind `AnswerMatcher`, so use
cases and tests do not depend on how matching is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.domain.content import Question
from bot.domain.grades import Grade

# Slack's modal text input allows 3,000 characters; the same limit holds everywhere.
WRITTEN_ANSWER_LIMIT = 3000


@dataclass(frozen=True)
class Coverage:
    covered: tuple[bool, ...]  # one per key point, in the question's order
    suggested: Grade

    @property
    def count(self) -> int:
        return sum(self.covered)

    @property
    def total(self) -> int:
        return len(self.covered)

    def encoded(self) -> str:
        """As stored: "1" or "0" per key point."""
        return "".join("1" if hit else "0" for hit in self.covered)


class AnswerMatcher(Protocol):
    def assess(self, question: Question, answer: str) -> Coverage:
        """Which key points `answer` states, and the grade that suggests; pure and offline."""
        ...
