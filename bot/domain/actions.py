"""Button action ids and the values they carry, shared by every adapter.

A button's value holds everything its click needs, so a button from before a restart still works.
"""

from __future__ import annotations

from bot.domain.commands import Command, ConfirmForget, GradeRecall, NextQuestion, Reveal
from bot.domain.content import Level, QuestionRef
from bot.domain.errors import QuizError
from bot.domain.grades import Grade

REVEAL = "quizbot.reveal"
GRADE = "quizbot.grade"
NEXT = "quizbot.next"
FORGET = "quizbot.forget"

_STALE = "That button is from an older version of the bot. Ask for a fresh question."


def grade_value(ref: QuestionRef, grade: Grade) -> str:
    return f"{ref.encode()}:{grade.value}"


def next_value(level: Level | None, topic: str | None) -> str:
    return f"{level.value if level else ''}:{topic or ''}"


def command_for_action(action_id: str, value: str) -> Command:
    """Turn a button click back into a typed command, or refuse it kindly."""
    try:
        if action_id == REVEAL:
            return Reveal(QuestionRef.decode(value))
        if action_id == GRADE:
            ref_text, _, grade = value.rpartition(":")
            return GradeRecall(QuestionRef.decode(ref_text), Grade(grade))
        if action_id == FORGET:
            platform, sep, user_id = value.partition(":")
            if not sep:
                raise ValueError(value)
            return ConfirmForget(platform, user_id)
        if action_id == NEXT:
            level, _, topic = value.partition(":")
            return NextQuestion(Level(level) if level else None, topic or None)
    except ValueError:
        raise QuizError(_STALE) from None
    raise QuizError(_STALE)
