"""Grades that arrive together are written in one transaction, each judged as if alone."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy import func, select

from bot.composition import Runtime
from bot.domain import actions
from bot.domain.content import QuestionRef
from bot.domain.context import Context
from bot.domain.grades import Grade
from bot.domain.replies import Reply, Tone
from bot.storage.schema import attempts, exposures, review_states
from bot.usecases import answer
from bot.usecases import exposures as exposures_module
from tests.conftest import make_context

EVENT_LOOP = QuestionRef("mini", "event-loop")
OTHER = QuestionRef("mini", "path-params")


async def reveal(runtime: Runtime, ctx: Context, ref: QuestionRef = EVENT_LOOP) -> None:
    reply = await runtime.quizbot.handle_action(ctx, actions.REVEAL, ref.encode())
    assert reply.tone is not Tone.ERROR, reply.plain_text


def grade(
    runtime: Runtime, ctx: Context, value: Grade, ref: QuestionRef = EVENT_LOOP
) -> asyncio.Task[Reply]:
    click = runtime.quizbot.handle_action(ctx, actions.GRADE, actions.grade_value(ref, value))
    return asyncio.ensure_future(click)


async def rows(runtime: Runtime, query: object) -> list[tuple[object, ...]]:
    async with runtime.engine.connect() as connection:
        return [tuple(r) for r in await connection.execute(query)]  # type: ignore[call-overload]


@pytest.fixture
def batch_sizes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many grades each transaction carried."""
    sizes: list[int] = []
    real = answer.grade_many

    async def counting(deps: answer.Deps, requests: Sequence[answer.GradeRequest]) -> object:
        sizes.append(len(requests))
        return await real(deps, requests)

    monkeypatch.setattr(answer, "grade_many", counting)
    return sizes


async def test_many_people_grading_at_once_share_transactions(
    runtime: Runtime, batch_sizes: list[int]
) -> None:
    people = [make_context(f"p{n}") for n in range(40)]
    for ctx in people:
        await reveal(runtime, ctx)
    replies = await asyncio.gather(*(grade(runtime, ctx, Grade.KNEW) for ctx in people))
    assert [r.tone for r in replies] == [Tone.SUCCESS] * 40
    assert sum(batch_sizes) == 40
    assert len(batch_sizes) < 40
    (stored,) = await rows(runtime, select(func.count()).select_from(attempts))
    assert stored == (40,)
    (cards,) = await rows(runtime, select(func.count()).select_from(review_states))
    assert cards == (40,)
    open_reveals = await rows(
        runtime, select(exposures.c.user_id).where(exposures.c.graded_at.is_(None))
    )
    assert open_reveals == []


async def test_a_double_click_in_one_batch_grades_once(
    runtime: Runtime, batch_sizes: list[int]
) -> None:
    ada = make_context("ada")
    await reveal(runtime, ada)
    knew, missed = await asyncio.gather(
        grade(runtime, ada, Grade.KNEW), grade(runtime, ada, Grade.MISSED)
    )
    assert batch_sizes == [2]
    assert knew.tone is Tone.SUCCESS
    assert missed.tone is Tone.ERROR
    assert "already graded" in missed.plain_text
    assert await rows(runtime, select(attempts.c.grade)) == [("knew",)]


async def test_a_refused_grade_does_not_hold_back_the_others(
    runtime: Runtime, batch_sizes: list[int]
) -> None:
    ada, bob = make_context("ada"), make_context("bob")
    await reveal(runtime, ada)
    ok, refused = await asyncio.gather(
        grade(runtime, ada, Grade.PARTLY), grade(runtime, bob, Grade.KNEW)
    )
    assert batch_sizes == [2]
    assert ok.tone is Tone.SUCCESS
    assert refused.tone is Tone.ERROR
    assert "Reveal the answer" in refused.plain_text
    graded = await rows(runtime, select(attempts.c.grade, attempts.c.user_id))
    assert [g for g, _ in graded] == ["partly"]


async def test_one_person_grading_two_questions_in_one_batch_keeps_both(
    runtime: Runtime, batch_sizes: list[int]
) -> None:
    ada = make_context("ada")
    await reveal(runtime, ada, EVENT_LOOP)
    await reveal(runtime, ada, OTHER)
    first, second = await asyncio.gather(
        grade(runtime, ada, Grade.KNEW, EVENT_LOOP), grade(runtime, ada, Grade.MISSED, OTHER)
    )
    assert batch_sizes == [2]
    assert (first.tone, second.tone) == (Tone.SUCCESS, Tone.SUCCESS)
    stored = await rows(runtime, select(review_states.c.question_id).order_by("question_id"))
    assert stored == [("event-loop",), ("path-params",)]


async def test_reveals_and_asks_arriving_together_share_transactions(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes: list[int] = []
    real = exposures_module.write_exposures

    async def counting(deps: answer.Deps, writes: Sequence[object]) -> list[None]:
        sizes.append(len(writes))
        return await real(deps, writes)  # type: ignore[arg-type]

    monkeypatch.setattr(exposures_module, "write_exposures", counting)
    people = [make_context(f"p{n}") for n in range(30)]
    clicks = [runtime.quizbot.handle_action(c, actions.REVEAL, EVENT_LOOP.encode()) for c in people]
    asks = [runtime.quizbot.handle_text(c, "mini-quiz", "2") for c in people]
    replies = await asyncio.gather(*clicks, *asks)
    assert all(r.tone is not Tone.ERROR for r in replies)
    assert sum(sizes) == 60
    assert len(sizes) < 60
    revealed = await rows(runtime, select(func.count()).where(exposures.c.revealed_at.is_not(None)))
    asked = await rows(runtime, select(func.count()).where(exposures.c.asked_at.is_not(None)))
    assert (revealed, asked) == ([(30,)], [(30,)])
    # Every one of them can now grade their reveal, once.
    graded = await asyncio.gather(*(grade(runtime, c, Grade.KNEW) for c in people))
    assert [g.tone for g in graded] == [Tone.SUCCESS] * 30
