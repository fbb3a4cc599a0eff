"""Typed commands: what a person asked for, parsed from `/fastapi-quiz ...` text or a button."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.content import Level, QuestionRef
from bot.domain.grades import Grade


@dataclass(frozen=True)
class Ask:
    """A question on demand; every filter is optional."""

    level: Level | None = None
    topic: str | None = None
    number: int | None = None


@dataclass(frozen=True)
class Review:
    """Only questions whose spaced-repetition review is due."""


@dataclass(frozen=True)
class Stats:
    pass


@dataclass(frozen=True)
class Top:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class SetLevel:
    """Remember the person's usual level; `None` means any level."""

    level: Level | None
    show_only: bool = False


@dataclass(frozen=True)
class Reveal:
    ref: QuestionRef


@dataclass(frozen=True)
class GradeRecall:
    ref: QuestionRef
    grade: Grade


@dataclass(frozen=True)
class NextQuestion:
    """The "Another question" button: the same filters as the question it follows."""

    level: Level | None = None
    topic: str | None = None


TextCommand = Ask | Review | Stats | Top | Help | SetLevel
Command = TextCommand | Reveal | GradeRecall | NextQuestion
