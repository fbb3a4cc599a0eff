"""Typed commands: what a person asked for, parsed from `/fastapi-quiz ...` text or a button."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from bot.domain.content import Level, QuestionRef
from bot.domain.grades import Grade
from bot.domain.mock import DEFAULT_MOCK_LENGTH


@dataclass(frozen=True)
class Ask:
    """A question on demand; every filter is optional."""

    level: Level | None = None
    topic: str | None = None
    number: int | None = None


@dataclass(frozen=True)
class AnswerInWriting:
    """`answer 12 <text>`: a written answer to question 12, checked against its key points.
    Without a number it answers the current question of the person's mock interview."""

    number: int | None
    text: str
    # Everything after `answer`, number included: during a mock interview a leading number
    # that is not the mock question's ("2 ways exist…") is part of the answer.
    whole: str = ""


@dataclass(frozen=True)
class StartMock:
    """`mock [level] [N]`: N questions in a row, answered in writing, then a summary."""

    level: Level | None = None
    count: int = DEFAULT_MOCK_LENGTH
    resume: bool = False  # `mock` alone: show the mock in progress, if there is one


class MockMove(StrEnum):
    SKIP = "skip"
    END = "end"
    GRADE = "grade"


@dataclass(frozen=True)
class MockStep:
    """A button in a mock interview; `position` is the question it was shown for, so a
    second click on an old message does not skip or grade the next question."""

    pack_id: str
    mock_id: int
    position: int
    move: MockMove
    grade: Grade | None = None


@dataclass(frozen=True)
class Review:
    """Only questions whose spaced-repetition review is due. Typed, the command's pack; the
    "Review now" button names its pack."""

    pack_id: str | None = None


@dataclass(frozen=True)
class Stats:
    pass


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    ALL = "all"


@dataclass(frozen=True)
class Top:
    period: Period = Period.ALL


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class SetLevel:
    """Remember the person's usual level; `None` means any level."""

    level: Level | None
    show_only: bool = False


@dataclass(frozen=True)
class NextQuestion:
    """The "Another question" button: the filters typed for the question it follows (not the
    person's usual level, which applies afresh), in that question's pack. No pack: the first
    pack, as for buttons made before buttons named one."""

    level: Level | None = None
    topic: str | None = None
    pack_id: str | None = None


@dataclass(frozen=True)
class Reveal:
    """`then` is what "Another question" asks once this answer is graded."""

    ref: QuestionRef
    then: NextQuestion = NextQuestion()


@dataclass(frozen=True)
class GradeRecall:
    ref: QuestionRef
    grade: Grade
    then: NextQuestion = NextQuestion()


@dataclass(frozen=True)
class Subscribe:
    """Daily question for this channel; unset fields take defaults (see docs/decisions.md)."""

    post_time: time
    timezone: str | None = None
    weekdays: frozenset[int] | None = None
    level: Level | None = None
    reveal_time: time | None = None
    team_threshold: int | None = None


@dataclass(frozen=True)
class OpenSubscribeForm:
    """`subscribe` with nothing after it, or "Set up daily question": the settings as a form.
    A button names its pack; typed, the command's pack is meant."""

    pack_id: str | None = None


@dataclass(frozen=True)
class OpenAnswerForm:
    """ "Write my answer": a form to write the answer to one question in."""

    ref: QuestionRef


@dataclass(frozen=True)
class Unsubscribe:
    pass


@dataclass(frozen=True)
class ShowSchedule:
    pass


@dataclass(frozen=True)
class RevealPublicly:
    """An admin reveals the latest daily question's answer in its thread."""


@dataclass(frozen=True)
class SetTimezone:
    """The person's own timezone, which decides what "today" is for their streak."""

    timezone: str | None
    show_only: bool = False


@dataclass(frozen=True)
class Export:
    """Everything stored about the person, as JSON."""


@dataclass(frozen=True)
class ForgetMe:
    """Ask to delete everything; nothing happens until the confirmation button."""


@dataclass(frozen=True)
class ConfirmForget:
    platform: str
    user_id: str


@dataclass(frozen=True)
class Remind:
    """Turn streak reminders on or off; None shows the current setting."""

    on: bool | None


ChannelCommand = Subscribe | OpenSubscribeForm | Unsubscribe | ShowSchedule | RevealPublicly
PrivacyCommand = Export | ForgetMe | Remind
TextCommand = (
    Ask
    | AnswerInWriting
    | StartMock
    | Review
    | Stats
    | Top
    | Help
    | SetLevel
    | SetTimezone
    | PrivacyCommand
    | ChannelCommand
)
Command = (
    TextCommand | Reveal | GradeRecall | NextQuestion | ConfirmForget | MockStep | OpenAnswerForm
)
