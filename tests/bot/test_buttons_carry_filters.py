""" "Another question" keeps the level and topic typed for the question it follows; the button
values that carry them fit every platform and old values keep working."""

from __future__ import annotations

import pytest

from bot.composition import Runtime
from bot.content.loader import load_catalog
from bot.content.locations import default_content_root
from bot.domain import actions
from bot.domain.commands import GradeRecall, NextQuestion, Reveal
from bot.domain.content import Level, QuestionRef
from bot.domain.errors import QuizError
from bot.domain.grades import Grade
from bot.domain.replies import Reply, Tone
from tests.conftest import make_context

ADA = make_context("ada")
DISCORD_CUSTOM_ID = 100  # characters, the action id and its separator included


async def ask(runtime: Runtime, text: str) -> Reply:
    return await runtime.quizbot.handle_text(ADA, "mini-quiz", text)


async def press(runtime: Runtime, label: str, reply: Reply) -> Reply:
    (button,) = [b for b in reply.buttons if b.label == label]
    return await runtime.quizbot.handle_action(ADA, button.action_id, button.value)


async def another_after(runtime: Runtime, question: Reply) -> Reply:
    answer = await press(runtime, "Reveal answer", question)
    graded = await press(runtime, "Knew it", answer)
    return await press(runtime, "Another question", graded)


@pytest.mark.parametrize(
    ("typed", "subtitle_start", "topic"),
    [
        ("junior routing", "Junior · ", "routing"),
        ("async", "", "async"),
        ("senior", "Senior · ", ""),
    ],
)
async def test_another_question_keeps_the_typed_level_and_topic(
    runtime: Runtime, typed: str, subtitle_start: str, topic: str
) -> None:
    question = await ask(runtime, typed)
    for _ in range(4):  # more rounds than there are junior routing questions
        question = await another_after(runtime, question)
        assert question.tone is Tone.QUESTION, question.plain_text
        assert question.subtitle is not None
        assert question.subtitle.startswith(subtitle_start)
        assert topic in question.subtitle.split(" · ")[1]


async def test_usual_level_applies_afresh_when_no_level_was_typed(runtime: Runtime) -> None:
    await ask(runtime, "level senior")
    question = await ask(runtime, "")
    await ask(runtime, "level junior")
    following = await another_after(runtime, question)
    assert following.subtitle is not None
    assert following.subtitle.startswith("Junior · ")


async def test_buttons_from_before_filters_were_carried_still_work(runtime: Runtime) -> None:
    handle = runtime.quizbot.handle_action
    question = await handle(ADA, actions.NEXT, ":")
    assert question.title is not None
    assert question.title.startswith("Question ")
    assert (await handle(ADA, actions.NEXT, "junior:routing")).title == "Question 2"
    answer = await handle(ADA, actions.REVEAL, "mini:path-params")
    assert answer.title == "Answer to question 2"
    graded = await handle(ADA, actions.GRADE, "mini:path-params:knew")
    assert "Recorded **knew it** for question 2" in graded.plain_text


def test_values_round_trip() -> None:
    ref = QuestionRef("fastapi", "what-is-fastapi")
    then = NextQuestion(Level.MID, "dependency-injection", "fastapi")
    assert actions.command_for_action(actions.REVEAL, actions.reveal_value(ref, then)) == Reveal(
        ref, then
    )
    grade = actions.grade_value(ref, Grade.PARTLY, then)
    assert actions.command_for_action(actions.GRADE, grade) == GradeRecall(ref, Grade.PARTLY, then)
    assert actions.command_for_action(actions.NEXT, actions.next_value(then)) == then
    plain = actions.reveal_value(ref, NextQuestion(pack_id="fastapi"))
    assert plain == "fastapi:what-is-fastapi"
    assert actions.command_for_action(actions.REVEAL, plain) == Reveal(
        ref, NextQuestion(pack_id="fastapi")
    )


@pytest.mark.parametrize(
    ("action", "value"),
    [
        (actions.REVEAL, "fastapi"),
        (actions.REVEAL, "fastapi:q:expert:async"),
        (actions.GRADE, "fastapi:q:knew:junior"),
        (actions.GRADE, "fastapi:q:brilliant"),
        (actions.NEXT, "::"),
        (actions.NEXT, "a:b:c:d"),
        (actions.NEXT, "guru:async"),
    ],
)
def test_garbled_values_are_refused_kindly(action: str, value: str) -> None:
    with pytest.raises(QuizError, match="older version of the bot"):
        actions.command_for_action(action, value)


def test_filters_that_would_not_fit_are_left_off() -> None:
    longest = QuestionRef("p" * 63, "q" * 63)
    value = actions.grade_value(longest, Grade.MISSED, NextQuestion(Level.SENIOR, "t" * 63))
    assert value == f"{'p' * 63}:{'q' * 63}:missed"
    roomy = QuestionRef("p" * 20, "q" * 20)
    level_only = actions.grade_value(roomy, Grade.MISSED, NextQuestion(Level.SENIOR, "t" * 63))
    assert level_only.endswith(":missed:senior:")
    next_value = actions.next_value(NextQuestion(Level.SENIOR, "t" * 90, "p" * 20))
    assert len(next_value) <= actions.VALUE_LIMIT
    assert actions.command_for_action(actions.NEXT, next_value) == NextQuestion(pack_id="p" * 20)


def test_every_packaged_question_keeps_its_filters_within_discords_limit() -> None:
    """With the longest level and topic of its pack, every button still carries them."""
    for pack in load_catalog(default_content_root()).packs:
        then = NextQuestion(Level.SENIOR, max(pack.topics, key=len), pack.id)
        for question in pack.questions:
            for action, value in [
                (actions.REVEAL, actions.reveal_value(question.ref, then)),
                *(
                    (actions.GRADE, actions.grade_value(question.ref, grade, then))
                    for grade in Grade
                ),
                (actions.NEXT, actions.next_value(then)),
            ]:
                assert len(f"{action}|{value}") <= DISCORD_CUSTOM_ID
                command = actions.command_for_action(action, value)
                assert command == then or getattr(command, "then", None) == then
