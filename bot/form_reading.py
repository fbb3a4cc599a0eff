"""Reading a submitted form back into a command, or into an error per field.

Every field is checked, so a person sees all their mistakes at once; nothing is run until all
fields are good. The rules are the typed command's (bot.parsing), so both ways agree.
"""

from __future__ import annotations

import re
from datetime import time

from bot.domain.commands import AnswerInWriting, Subscribe
from bot.domain.content import Level, Question
from bot.domain.coverage import WRITTEN_ANSWER_LIMIT
from bot.domain.errors import QuizError
from bot.domain.forms import FieldErrors, FormValues
from bot.domain.quoting import quoted
from bot.domain.schedule import parse_time, parse_timezone
from bot.domain.subscriptions import MAX_TEAM_SIZE, reveal_time_problem
from bot.presenters import forms

EMPTY_ANSWER = "Write your answer here first."
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_SEPARATORS = re.compile(r"[\s,]+")


def read_answer(question: Question, values: FormValues) -> AnswerInWriting | FieldErrors:
    text = _text(values, forms.ANSWER).strip()
    if not text:
        return FieldErrors({forms.ANSWER: EMPTY_ANSWER})
    if len(text) > WRITTEN_ANSWER_LIMIT:
        return FieldErrors(
            {
                forms.ANSWER: f"That is {len(text):,} characters; the limit is "
                f"{WRITTEN_ANSWER_LIMIT:,}. Shorten it and submit again."
            }
        )
    number = question.number
    return AnswerInWriting(number, text, whole=f"{number} {text}")


def read_subscribe(values: FormValues) -> Subscribe | FieldErrors:
    post_time, time_problem = _time(_text(values, forms.POST_TIME), required=True)
    timezone, zone_problem = read_timezone(_text(values, forms.TIMEZONE))
    days, days_problem = _days(values.get(forms.DAYS))
    level, level_problem = read_level(_text(values, forms.LEVEL))
    reveal, reveal_problem = _time(_text(values, forms.REVEAL_TIME), required=False)
    team, team_problem = _team(_text(values, forms.TEAM))
    problems = {
        forms.POST_TIME: time_problem,
        forms.TIMEZONE: zone_problem,
        forms.DAYS: days_problem,
        forms.LEVEL: level_problem,
        forms.REVEAL_TIME: reveal_problem,
        forms.TEAM: team_problem,
    }
    errors = {field_id: problem for field_id, problem in problems.items() if problem}
    problem = reveal_time_problem(post_time, reveal) if post_time and reveal else None
    if problem:
        errors[forms.REVEAL_TIME] = problem
    if errors or post_time is None:
        return FieldErrors(errors)
    return Subscribe(post_time, timezone, days, level, reveal, team)


def _text(values: FormValues, field_id: str) -> str:
    value = values.get(field_id, "")
    return value if isinstance(value, str) else ",".join(value)


def _time(text: str, *, required: bool) -> tuple[time | None, str | None]:
    if not text.strip():
        return None, ("Choose a time." if required else None)
    try:
        return parse_time(text), None
    except QuizError as exc:
        return None, exc.message


def read_timezone(text: str) -> tuple[str | None, str | None]:
    """An IANA zone, or why not: the form's rule, and the home's timezone setting's."""
    if not text.strip():
        return None, "Choose a timezone, such as Europe/Berlin."
    try:
        return parse_timezone(text.strip()), None
    except QuizError as exc:
        return None, exc.message


def _days(value: str | tuple[str, ...] | None) -> tuple[frozenset[int] | None, str | None]:
    """Day values (`mon`), or typed names, whole or from three letters on (`Wed`, `friday`)."""
    chosen = (value,) if isinstance(value, str) else tuple(value or ())
    words = [word for part in chosen for word in _DAY_SEPARATORS.split(part.lower()) if word]
    if not words:
        return None, "Choose at least one day."
    days: set[int] = set()
    for word in words:
        found = [i for i, name in enumerate(_DAY_NAMES) if len(word) >= 3 and name.startswith(word)]
        if not found:
            return None, f"{quoted(word)} is not a day of the week."
        days.add(found[0])
    return frozenset(days), None


def read_level(text: str) -> tuple[Level | None, str | None]:
    """A level, None for any, or why not: the form's rule, and the home's level setting's."""
    word = text.strip().lower()
    if word in ("", forms.ANY_LEVEL):
        return None, None
    try:
        return Level(word), None
    except ValueError:
        return None, "Choose junior, mid, senior or any level."


def _team(text: str) -> tuple[int | None, str | None]:
    word = text.strip()
    if not word:
        return None, None
    if not word.isascii() or not word.isdigit() or not 1 <= int(word) <= MAX_TEAM_SIZE:
        return None, f"A team size is a whole number from 1 to {MAX_TEAM_SIZE}."
    return int(word), None
