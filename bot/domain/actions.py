"""Button action ids and the values they carry, shared by every adapter.

A button's value holds everything its click needs, so a button from before a restart still works.
Values of every older shape are still understood.

- reveal: `pack:question`, or `pack:question:level:topic` with the filters "Another question"
  keeps (either may be empty)
- grade: `pack:question:grade`, or `pack:question:grade:level:topic`
- next: `pack:level:topic`, or `level:topic` (the first pack)
- mock: `pack:mock id:position:move`, the move being skip, end, or a grade
- write: `pack:question`; setup: `pack`; review: `pack`
"""

from __future__ import annotations

from bot.domain.commands import (
    Command,
    ConfirmForget,
    GradeRecall,
    MockMove,
    MockStep,
    NextQuestion,
    OpenAnswerForm,
    OpenSubscribeForm,
    Reveal,
    Review,
)
from bot.domain.content import Level, QuestionRef
from bot.domain.errors import QuizError
from bot.domain.grades import Grade

REVEAL = "quizbot.reveal"
GRADE = "quizbot.grade"
NEXT = "quizbot.next"
FORGET = "quizbot.forget"
MOCK = "quizbot.mock"
WRITE = "quizbot.write"  # opens the form for a written answer: `pack:question`
SETUP = "quizbot.setup"  # opens the channel's daily-question form: `pack`
REVIEW = "quizbot.review"  # the next due review ("Review now" on the home): `pack`

# The longest value every platform takes: Discord's custom id holds 100 characters, the action
# id and a separator included (Slack allows 2,000 for the value alone). Filters that would not
# fit are left off: "Another question" then asks at the person's usual level.
VALUE_LIMIT = 100 - len(max(REVEAL, GRADE, NEXT, FORGET, MOCK, WRITE, SETUP, REVIEW, key=len)) - 1

STALE = "That button is from an older version of the bot. Ask for a fresh question."


def reveal_value(ref: QuestionRef, then: NextQuestion | None = None) -> str:
    return _with_filters(ref.encode(), then)


def grade_value(ref: QuestionRef, grade: Grade, then: NextQuestion | None = None) -> str:
    return _with_filters(f"{ref.encode()}:{grade.value}", then)


def next_value(then: NextQuestion) -> str:
    level, topic = _filters(then)
    if then.pack_id is None:
        return f"{level}:{topic}"
    value = f"{then.pack_id}:{level}:{topic}"
    return value if len(value) <= VALUE_LIMIT else f"{then.pack_id}::"


def write_value(ref: QuestionRef) -> str:
    return ref.encode()


def mock_value(step: MockStep) -> str:
    move = step.grade.value if step.move is MockMove.GRADE and step.grade else step.move.value
    return f"{step.pack_id}:{step.mock_id}:{step.position}:{move}"


def command_for_action(action_id: str, value: str) -> Command:
    """Turn a button click back into a typed command, or refuse it kindly."""
    parts = value.split(":")
    try:
        if action_id == REVEAL and len(parts) in (2, 4):
            ref = QuestionRef.decode(":".join(parts[:2]))
            return Reveal(ref, _then(ref.pack_id, parts[2:]))
        if action_id == GRADE and len(parts) in (3, 5):
            ref = QuestionRef.decode(":".join(parts[:2]))
            return GradeRecall(ref, Grade(parts[2]), _then(ref.pack_id, parts[3:]))
        if action_id == FORGET:
            platform, sep, user_id = value.partition(":")
            if not sep:
                raise ValueError(value)
            return ConfirmForget(platform, user_id)
        if action_id == MOCK and len(parts) == 4:
            pack_id, mock_id, position, move = parts
            if move in tuple(Grade):
                return MockStep(pack_id, int(mock_id), int(position), MockMove.GRADE, Grade(move))
            if move in (MockMove.SKIP, MockMove.END):
                return MockStep(pack_id, int(mock_id), int(position), MockMove(move))
            raise ValueError(move)
        if action_id == WRITE and len(parts) == 2:
            return OpenAnswerForm(QuestionRef.decode(value))
        if action_id == SETUP and len(parts) == 1 and parts[0]:
            return OpenSubscribeForm(parts[0])
        if action_id == REVIEW and len(parts) == 1 and parts[0]:
            return Review(parts[0])
        if action_id == NEXT and len(parts) == 2:
            return _then(None, parts)
        if action_id == NEXT and len(parts) == 3 and parts[0]:
            return _then(parts[0], parts[1:])
    except ValueError:
        raise QuizError(STALE) from None
    raise QuizError(STALE)


def _with_filters(value: str, then: NextQuestion | None) -> str:
    """The value, plus `:level:topic` when there are filters and they fit (else the level)."""
    if then is None:
        return value
    level, topic = _filters(then)
    for suffix in (f":{level}:{topic}", f":{level}:"):
        if suffix != "::" and len(value + suffix) <= VALUE_LIMIT:
            return value + suffix
    return value


def _filters(then: NextQuestion) -> tuple[str, str]:
    return (then.level.value if then.level else "", then.topic or "")


def _then(pack_id: str | None, filters: list[str]) -> NextQuestion:
    if not filters:
        return NextQuestion(pack_id=pack_id)
    level, topic = filters
    return NextQuestion(Level(level) if level else None, topic or None, pack_id)
