"""Progress records as the use cases see them, independent of how they are stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.content import Level, QuestionRef
from bot.domain.context import WorkspaceRef
from bot.domain.grades import Grade


@dataclass(frozen=True)
class UserRecord:
    id: int
    display_name: str
    timezone: str | None
    level: Level | None
    workspace: WorkspaceRef | None = None


@dataclass(frozen=True)
class Exposure:
    """When a person last met a question: asked, saw the answer, graded that reveal."""

    asked_at: datetime | None
    revealed_at: datetime | None
    graded_at: datetime | None
    written_answer: str | None = None  # what they wrote before this reveal, if they did
    coverage: str | None = None  # "1"/"0" per key point, for the written answer


@dataclass(frozen=True)
class DueReview:
    question_id: str
    due: datetime


@dataclass(frozen=True)
class GradeCount:
    question_id: str
    grade: str
    count: int


@dataclass(frozen=True)
class LeaderRow:
    user_id: int
    display_name: str
    graded: int
    knew: int
    days_active: int

    @property
    def recall(self) -> float:
        return self.knew / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class ReminderCandidate:
    user_row_id: int
    platform: str
    user_id: str
    timezone: str
    reminded_on: date | None
    workspace: WorkspaceRef | None = None


@dataclass(frozen=True)
class NewAttempt:
    """One graded recall, as it is recorded; `post_id` links it to the daily post it answers."""

    user_id: int
    ref: QuestionRef
    grade: Grade
    graded_at: datetime
    local_date: date
    channel_id: int | None
    post_id: int | None
    written_answer: str | None = None
    coverage: str | None = None


@dataclass(frozen=True)
class SavedCard:
    user_id: int
    ref: QuestionRef
    card_json: str
    due: datetime
    reviewed_at: datetime
