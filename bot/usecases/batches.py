"""What grading and showing a question queue for a shared transaction.

`Deps` owns the queues, and grading and exposures fill them, so the queued values live apart
from both: that keeps dependencies pointing one way (use case → deps → these values).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.domain.content import Question, QuestionRef
from bot.domain.context import Context
from bot.domain.grades import Grade


@dataclass(frozen=True)
class GradeRequest:
    ctx: Context
    ref: QuestionRef
    grade: Grade
    now: datetime


@dataclass(frozen=True)
class Graded:
    question: Question
    grade: Grade
    next_due: datetime


class Shown(StrEnum):
    ASKED = "asked"
    REVEALED = "revealed"
    WRITTEN = "written"  # answered in writing, which reveals the model answer too


@dataclass(frozen=True)
class ExposureWrite:
    ctx: Context
    ref: QuestionRef
    shown: Shown
    now: datetime
    written_answer: str = ""
    coverage: str = ""
