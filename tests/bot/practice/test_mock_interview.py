"""A whole mock interview through the core's front door: questions in turn, answers timed,
grades recorded as usual, skips, the summary, ending early, replacing, and expiry."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from sqlalchemy import select

from bot.clock import FixedClock
from bot.composition import Runtime
from bot.domain.replies import ButtonStyle, Reply
from bot.storage.schema import attempts, exposures, mock_interviews, review_states
from tests.bot.test_usecases import BOB, ask, press


def number_of(reply: Reply) -> int:
    """The pack number of the question a mock reply shows ("Question 4 · ...")."""
    assert reply.subtitle is not None
    return int(reply.subtitle.split("·")[0].split()[1])


def labels(reply: Reply) -> list[str]:
    return [b.label for b in reply.buttons]


async def test_a_whole_mock_interview(runtime: Runtime, clock: FixedClock) -> None:
    first = await ask(runtime, "mock 3")
    assert first.title == "Mock interview: question 1 of 3"
    assert labels(first) == ["Skip", "End interview"]
    assert first.direct
    assert first.private
    seen = [number_of(first)]

    clock.set(clock.now() + timedelta(seconds=80))
    written = await ask(runtime, "answer The loop point1 and point2, point3 too.")
    assert written.title == "Mock interview: your answer to question 1 of 3"
    assert labels(written) == ["Knew it", "Partly", "Missed", "Skip"]
    assert [b.label for b in written.buttons if b.style is ButtonStyle.PRIMARY] == ["Knew it"]
    assert "Suggested grade: Knew it" in written.plain_text.splitlines()

    second = await press(runtime, "Knew it", written)
    assert second.title == "Mock interview: question 2 of 3"
    assert f"Recorded **knew it** for question {seen[0]}" in second.plain_text
    seen.append(number_of(second))

    clock.set(clock.now() + timedelta(seconds=30))
    third = await press(runtime, "Skip", second)
    assert third.title == "Mock interview: question 3 of 3"
    assert f"Skipped question {seen[1]}" in third.plain_text
    seen.append(number_of(third))
    assert len(set(seen)) == 3

    clock.set(clock.now() + timedelta(seconds=125))
    answered = await ask(runtime, f"answer {seen[2]} only point2 here")
    assert [b.label for b in answered.buttons if b.style is ButtonStyle.PRIMARY] == ["Missed"]
    summary = await press(runtime, "Partly", answered)

    assert summary.title == "Mock interview: summary"
    text = summary.plain_text
    assert f"1. **Question {seen[0]}**" in text
    assert "3 of 3 key points · Knew it · 1 min 20 s" in text
    assert f"2. **Question {seen[1]}**" in text
    assert "skipped · 30 s" in text
    assert "1 of 3 key points · Partly · 2 min 05 s" in text
    assert "**Total time:** 3 min 55 s · 2 graded" in text
    assert "**Weakest topics:**" in text
    assert all(label.startswith("Practise ") for label in labels(summary))
    assert labels(summary)

    async with runtime.engine.connect() as connection:
        grades = (await connection.execute(select(attempts.c.grade).order_by("id"))).all()
        cards = (await connection.execute(select(review_states))).all()
        (state,) = (await connection.execute(select(mock_interviews.c.state))).one()
    assert [g for (g,) in grades] == ["knew", "partly"]
    assert len(cards) == 2
    assert state == "finished"

    practise = await press(runtime, labels(summary)[0], summary)
    assert practise.title is not None
    assert practise.title.startswith("Question ")


async def test_an_old_button_cannot_skip_the_next_question(runtime: Runtime) -> None:
    first = await ask(runtime, "mock 2")
    await press(runtime, "Skip", first)
    again = await press(runtime, "Skip", first)
    assert "behind you already" in again.plain_text


async def test_grading_needs_an_answer_and_someone_else_cannot_step(runtime: Runtime) -> None:
    first = await ask(runtime, "mock 2")
    stranger = await press(runtime, "Skip", first, BOB)
    assert "someone else's" in stranger.plain_text
    async with runtime.engine.connect() as connection:
        (items,) = (await connection.execute(select(mock_interviews.c["items"]))).one()
    assert '"skipped":false' in items
    assert '"skipped":true' not in items


async def test_ending_early_summarises_what_was_done(runtime: Runtime) -> None:
    await ask(runtime, "mock 4")
    written = await ask(runtime, "answer point1")
    second = await press(runtime, "Missed", written)
    ended = await press(runtime, "End interview", second)
    assert ended.title == "Mock interview: summary"
    assert "Missed" in ended.plain_text
    assert "not answered" in ended.plain_text
    assert "1 graded" in ended.plain_text
    orphan = await ask(runtime, "answer something")
    assert "Say which question you are answering" in orphan.plain_text


async def test_a_new_mock_replaces_an_unfinished_one(runtime: Runtime) -> None:
    first = await ask(runtime, "mock 3")
    await press(runtime, "Skip", first)
    second = await ask(runtime, "mock junior 2")
    assert "unfinished mock interview (1 of 3 done) is ended" in second.plain_text
    assert second.title == "Mock interview: question 1 of 2"
    assert "Junior" in (second.subtitle or "")
    async with runtime.engine.connect() as connection:
        states = (await connection.execute(select(mock_interviews.c.state).order_by("id"))).all()
    assert [s for (s,) in states] == ["ended", "active"]


async def test_an_abandoned_mock_expires_after_an_hour_keeping_its_grades(
    runtime: Runtime,
    clock: FixedClock,
) -> None:
    await ask(runtime, "mock 3")
    written = await ask(runtime, "answer point1 point2")
    second = await press(runtime, "Partly", written)
    clock.set(clock.now() + timedelta(minutes=61))
    late = await press(runtime, "Skip", second)
    assert "expired after an hour" in late.plain_text
    assert late.title == "Mock interview: summary"
    late_answer = await ask(runtime, "answer point1")
    assert "Say which question" in late_answer.plain_text
    async with runtime.engine.connect() as connection:
        grades = (await connection.execute(select(attempts.c.grade))).all()
        (state,) = (await connection.execute(select(mock_interviews.c.state))).one()
    assert grades == [("partly",)]
    assert state == "expired"


async def test_an_answer_written_an_hour_late_is_told_the_mock_expired(
    runtime: Runtime,
    clock: FixedClock,
) -> None:
    await ask(runtime, "mock 2")
    clock.set(clock.now() + timedelta(minutes=90))
    late = await ask(runtime, "answer point1")
    assert "expired after an hour" in late.plain_text


async def test_a_grade_given_as_the_mock_expires_is_still_recorded(
    runtime: Runtime,
    clock: FixedClock,
) -> None:
    await ask(runtime, "mock 2")
    written = await ask(runtime, "answer point1 point2 point3")
    clock.set(clock.now() + timedelta(minutes=61))
    late = await press(runtime, "Knew it", written)
    assert "expired after an hour" in late.plain_text
    async with runtime.engine.connect() as connection:
        grades = (await connection.execute(select(attempts.c.grade))).all()
    assert grades == [("knew",)]


async def test_mock_is_refused_kindly_with_bad_words(runtime: Runtime) -> None:
    for text, says in [
        ("mock 11", "1 to 10 questions"),
        ("mock 0", "1 to 10 questions"),
        ("mock banana", "takes a level and a number"),
    ]:
        reply = await ask(runtime, text)
        assert says in reply.plain_text
    async with runtime.engine.connect() as connection:
        assert (await connection.execute(select(mock_interviews))).all() == []


async def test_export_includes_mock_interviews_and_forget_me_deletes_them(
    runtime: Runtime,
) -> None:
    await ask(runtime, "mock 2")
    await ask(runtime, "answer point1")
    exported = await ask(runtime, "export")
    (mock,) = json.loads(exported.files[0].data)["mock_interviews"]
    assert mock["state"] == "active"
    assert mock["items"][0]["coverage"] == "100"
    prompt = await ask(runtime, "forget-me")
    await press(runtime, "Delete all my data", prompt)
    async with runtime.engine.connect() as connection:
        assert (await connection.execute(select(mock_interviews))).all() == []


async def test_mock_alone_shows_the_mock_in_progress_again(runtime: Runtime) -> None:
    first = await ask(runtime, "mock 3")
    again = await ask(runtime, "mock")
    assert "continues where you left it" in again.plain_text
    assert again.title == "Mock interview: question 1 of 3"
    assert number_of(again) == number_of(first)
    async with runtime.engine.connect() as connection:
        states = (await connection.execute(select(mock_interviews.c.state))).all()
    assert states == [("active",)]


async def test_a_double_clicked_end_shows_the_summary_not_an_expiry(runtime: Runtime) -> None:
    first = await ask(runtime, "mock 2")
    ended = await press(runtime, "End interview", first)
    again = await press(runtime, "End interview", first)
    assert ended.title == again.title == "Mock interview: summary"
    assert "expired" not in again.plain_text


async def test_an_old_mock_does_not_hold_up_an_answer_to_a_numbered_question(
    runtime: Runtime, clock: FixedClock
) -> None:
    await ask(runtime, "mock 2")
    clock.set(clock.now() + timedelta(hours=2))
    reply = await ask(runtime, "answer 3 point1 point2")
    assert reply.title == "Your answer to question 3"
    assert "Suggested grade: Partly" in reply.plain_text.splitlines()


async def test_in_a_mock_a_leading_number_that_is_not_its_question_is_part_of_the_answer(
    runtime: Runtime,
) -> None:
    first = await ask(runtime, "mock 2")
    current = number_of(first)
    other = 1 if current != 1 else 2
    written = await ask(runtime, f"answer {other} point1 ways, and point2")
    assert written.title == "Mock interview: your answer to question 1 of 2"
    async with runtime.engine.connect() as connection:
        (text,) = (await connection.execute(select(exposures.c.written_answer))).one()
    assert text == f"{other} point1 ways, and point2"
    by_its_number = await ask(runtime, f"answer {current}: point3")
    assert by_its_number.title == "Mock interview: your answer to question 1 of 2"


async def test_two_mocks_started_at_once_leave_one_in_progress(runtime: Runtime) -> None:
    await ask(runtime, "level")  # the person exists already, so nothing else serialises them
    await asyncio.gather(ask(runtime, "mock 2"), ask(runtime, "mock 3"))
    async with runtime.engine.connect() as connection:
        states = (await connection.execute(select(mock_interviews.c.state))).all()
    assert sorted(s for (s,) in states) == ["active", "ended"]


async def test_a_grade_and_a_skip_clicked_together_agree_with_the_attempts(
    runtime: Runtime,
) -> None:
    await ask(runtime, "mock 2")
    written = await ask(runtime, "answer point1 point2 point3")
    await asyncio.gather(press(runtime, "Knew it", written), press(runtime, "Skip", written))
    async with runtime.engine.connect() as connection:
        grades = (await connection.execute(select(attempts.c.grade))).all()
        (items,) = (await connection.execute(select(mock_interviews.c["items"]))).one()
    first = json.loads(items)[0]
    if grades:  # the grade was recorded: the mock says so, not "skipped"
        assert (first["grade"], first["skipped"]) == ("knew", False)
    else:
        assert (first["grade"], first["skipped"]) == (None, True)
