"""`answer N <text>`: coverage, the suggested grade, the answer kept with the attempt, export
and forget-me, through the core's front door against a real database (scripted matcher: see
conftest.py)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.composition import Runtime
from bot.domain.replies import ButtonStyle, Reply
from bot.storage.schema import attempts, exposures
from tests.bot.test_usecases import ADA, BOB, ask, press
from tests.conftest import make_context


def primary(reply: Reply) -> list[str]:
    return [b.label for b in reply.buttons if b.style is ButtonStyle.PRIMARY]


async def test_the_reply_marks_each_point_quotes_the_answer_and_suggests_a_grade(
    runtime: Runtime,
) -> None:
    reply = await ask(runtime, "answer 3 The loop runs point1 and point3 on one thread.")
    text = reply.plain_text
    assert reply.title == "Your answer to question 3"
    assert "covered: 2 of 3" in text
    assert "✓ First point about event loop." in text
    assert "✗ Second point about event loop." in text
    assert "✓ Third point about event loop." in text
    assert "> The loop runs point1 and point3 on one thread." in text
    assert "Follow-up:" in text
    lines = [line for line in text.splitlines() if line.startswith("Suggested grade:")]
    assert lines == ["Suggested grade: Partly"]
    assert [b.label for b in reply.buttons] == ["Knew it", "Partly", "Missed"]
    assert primary(reply) == ["Partly"]
    assert reply.private


@pytest.mark.parametrize(
    ("answer", "suggested"),
    [("point1 point2 point3", "Knew it"), ("point2", "Missed"), ("point1, point3", "Partly")],
)
async def test_the_suggested_grade_is_the_only_primary_button(
    runtime: Runtime, answer: str, suggested: str
) -> None:
    reply = await ask(runtime, f"answer 3 {answer}")
    assert f"Suggested grade: {suggested}" in reply.plain_text.splitlines()
    assert primary(reply) == [suggested]


async def test_grading_keeps_the_written_answer_with_the_attempt(runtime: Runtime) -> None:
    written = "point1 first,\nthen point2 on a second line"
    reply = await ask(runtime, f"answer 3 {written}")
    graded = await press(runtime, "Knew it", reply)
    assert "Recorded **knew it** for question 3" in graded.plain_text
    async with runtime.engine.connect() as connection:
        row = (await connection.execute(select(attempts))).one()
    assert (row.question_id, row.grade) == ("event-loop", "knew")
    assert (row.written_answer, row.coverage) == (written, "110")


async def test_a_plain_reveal_after_writing_grades_without_the_old_answer(
    runtime: Runtime,
) -> None:
    await ask(runtime, "answer 3 point1")
    question = await ask(runtime, "3")
    answer = await press(runtime, "Reveal answer", question)
    await press(runtime, "Missed", answer)
    async with runtime.engine.connect() as connection:
        row = (await connection.execute(select(attempts))).one()
    assert (row.grade, row.written_answer, row.coverage) == ("missed", None, None)


async def test_writing_again_replaces_the_answer_a_grade_will_keep(runtime: Runtime) -> None:
    await ask(runtime, "answer 3 point1")
    second = await ask(runtime, "answer 3 point1 point2 point3")
    await press(runtime, "Knew it", second)
    async with runtime.engine.connect() as connection:
        row = (await connection.execute(select(attempts))).one()
    assert (row.written_answer, row.coverage) == ("point1 point2 point3", "111")


async def test_export_includes_written_answers_and_forget_me_deletes_them(
    runtime: Runtime,
) -> None:
    graded = await ask(runtime, "answer 3 point1 point2")
    await press(runtime, "Partly", graded)
    await ask(runtime, "answer 2 an answer not graded yet point1")
    exported = await ask(runtime, "export")
    data = json.loads(exported.files[0].data)
    assert [(a["written_answer"], a["key_points_covered"]) for a in data["attempts"]] == [
        ("point1 point2", "110")
    ]
    pending = {s["question_id"]: s["written_answer"] for s in data["questions_seen"]}
    assert pending["path-params"] == "an answer not graded yet point1"
    assert "answers you wrote" in exported.plain_text

    prompt = await ask(runtime, "forget-me")
    await press(runtime, "Delete all my data", prompt)
    async with runtime.engine.connect() as connection:
        left = (await connection.execute(select(attempts.c.written_answer))).all()
        left += (await connection.execute(select(exposures.c.written_answer))).all()
    assert left == []


async def test_people_answer_independently(runtime: Runtime) -> None:
    await ask(runtime, "answer 3 point1", ADA)
    bobs = await ask(runtime, "answer 3 point1 point2 point3", BOB)
    await press(runtime, "Knew it", bobs, BOB)
    adas = await ask(runtime, "answer 3 point3", ADA)
    await press(runtime, "Missed", adas, ADA)
    async with runtime.engine.connect() as connection:
        rows = (await connection.execute(select(attempts.c.grade, attempts.c.coverage))).all()
    assert sorted(rows) == [("knew", "111"), ("missed", "001")]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("answer", "Say which question"),
        ("answer 3", "Write your answer after the question number"),
        ("answer three point1", "Say which question"),
        ("answer 0 point1", "There is no question 0"),
        ("answer 99 point1", "There is no question 99"),
        ("answer -1 point1", "There is no question -1"),
        ("answer 3 " + "x" * 3001, "3,001 characters"),
    ],
)
async def test_bad_answers_are_refused_and_change_nothing(
    runtime: Runtime, text: str, says: str
) -> None:
    reply = await ask(runtime, text)
    assert says in reply.plain_text
    assert reply.buttons == ()
    async with runtime.engine.connect() as connection:
        assert (await connection.execute(select(exposures))).all() == []


async def test_a_written_answer_cannot_be_graded_by_someone_else(runtime: Runtime) -> None:
    reply = await ask(runtime, "answer 3 point1")
    refused = await press(runtime, "Knew it", reply, make_context("eve"))
    assert "Reveal the answer to question 3 before grading" in refused.plain_text
