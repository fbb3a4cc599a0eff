"""Mock interviews: start one, answer or skip each question in turn, end with a summary.

Grades go through the ordinary grading use case, so fsrs, streaks and the leaderboard see
them like any other; the mock only remembers the order, the timings and the outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.commands import MockMove, MockStep, StartMock
from bot.domain.content import Pack, Question
from bot.domain.context import Context
from bot.domain.errors import QuizError
from bot.domain.mock import (
    MockInterview,
    MockItem,
    MockState,
    TopicScore,
    total_seconds,
    weakest_topics,
)
from bot.domain.progress import UserRecord
from bot.domain.selection import filter_questions
from bot.storage.unit_of_work import UnitOfWork
from bot.usecases.answer import grade_recall
from bot.usecases.batches import Graded
from bot.usecases.deps import Deps, identify

EXPIRED = (
    "That mock interview expired after an hour without an answer. The grades you gave in it "
    "are kept; start another with `/{command} mock`."
)
NOT_YOURS = "That mock interview is someone else's. Start your own with `/{command} mock`."
MOVED_ON = "That question of your mock interview is behind you already."


@dataclass(frozen=True)
class MockQuestion:
    """The question to answer now, and what happened just before (a grade, a replaced mock)."""

    mock: MockInterview
    question: Question
    graded: Graded | None = None
    skipped: Question | None = None
    replaced: MockInterview | None = None
    resumed: bool = False


@dataclass(frozen=True)
class MockSummary:
    mock: MockInterview
    questions: dict[str, Question]
    weakest: list[TopicScore]
    total_seconds: int
    graded: Graded | None = None
    expired: bool = False


MockOutcome = MockQuestion | MockSummary


async def start_mock(deps: Deps, ctx: Context, pack: Pack, cmd: StartMock) -> MockQuestion:
    """New questions and due reviews first, in random order; a mock in progress is ended.
    `mock` alone, while one is in progress, shows its current question again instead."""
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, _channel = await identify(uow, ctx, now)
        await uow.users.lock(user.id)
        previous = await uow.mocks.active(user.id, pack.id, for_update=True)
        if previous is not None and previous.expired(now):
            await uow.mocks.save(previous.ended(now, MockState.EXPIRED))
            previous = None
        if cmd.resume and previous is not None and previous.current is not None:
            await uow.commit()
            return MockQuestion(previous, _question(pack, previous.current), resumed=True)
        level = cmd.level or user.level
        candidates = filter_questions(pack.questions, level, None)
        if not candidates:
            wanted = f"{level.value} " if level else ""
            raise QuizError(f"There are no {wanted}questions to ask.")
        due = {d.question_id for d in await uow.reviews.due(user.id, pack.id, now)}
        seen = await uow.exposures.seen(user.id, pack.id)
        fresh = [q for q in candidates if q.id in due or q.id not in seen]
        rest = [q for q in candidates if q not in fresh]
        deps.rng.shuffle(fresh)
        deps.rng.shuffle(rest)
        chosen = (fresh + rest)[: cmd.count]
        await uow.mocks.end_active(user.id, pack.id, now)
        items = tuple(MockItem(q.id) for q in chosen)
        mock = (await uow.mocks.create(user.id, pack.id, level, items, now)).shown(now)
        await uow.mocks.save(mock)
        await uow.exposures.mark_shown([(user.id, chosen[0].ref, now)], revealed=False)
        await uow.commit()
    return MockQuestion(mock, chosen[0], replaced=previous)


async def active_mock(deps: Deps, ctx: Context, pack: Pack) -> MockInterview | None:
    """The mock in progress, if any; one left alone for an hour is closed as expired (and,
    for `answer <text>` meant for it, the caller says so). Read only, unless it expires:
    every written answer asks."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        key = (ctx.actor.platform, ctx.actor.user_id)
        user = (await uow.users.find_many([key])).get(key)
        mock = await uow.mocks.active(user.id, pack.id) if user else None
    if mock is None or not mock.expired(now):
        return mock
    async with deps.uow(write=True) as uow:
        current = await uow.mocks.get(mock.id, for_update=True) or mock
        if current.state is MockState.ACTIVE and current.expired(now):
            current = current.ended(now, MockState.EXPIRED)
            await uow.mocks.save(current)
            await uow.commit()
    return current


def expired_error(pack: Pack) -> QuizError:
    return QuizError(EXPIRED.format(command=pack.command))


async def record_mock_answer(
    deps: Deps, ctx: Context, mock: MockInterview, coverage: str
) -> MockInterview | None:
    """The mock with this answer recorded; None if it moved on meanwhile (another click)."""
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        current = await _owned(uow, ctx, mock.id)
        if current.state is not MockState.ACTIVE or current.position != mock.position:
            return None
        answered = current.answered(now, coverage)
        await uow.mocks.save(answered)
        await uow.commit()
    return answered


async def mock_step(deps: Deps, ctx: Context, pack: Pack, step: MockStep) -> MockOutcome:
    """Skip, end, or grade the current question; the reply is the next question or the summary."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        mock = await _owned(uow, ctx, step.mock_id, pack=pack)
    item = mock.items[step.position] if 0 <= step.position < len(mock.items) else None
    if item is None:
        raise QuizError(MOVED_ON)
    if mock.state is not MockState.ACTIVE:
        return _summary(pack, mock, expired=mock.state is MockState.EXPIRED)
    if mock.position != step.position:
        raise QuizError(MOVED_ON)
    graded: Graded | None = None
    if step.move is MockMove.GRADE:
        if item.answered_at is None:
            raise QuizError("Write your answer first: `answer <your answer>`, or skip it.")
        assert step.grade is not None
        # Recorded even if the mock has just expired: a grade given is never lost.
        graded = await grade_recall(deps, ctx, _question(pack, item).ref, step.grade)
    async with deps.uow(write=True) as uow:
        mock = await _owned(uow, ctx, step.mock_id, pack=pack)
        moved = mock.state is not MockState.ACTIVE or mock.position != step.position
        if graded is not None and moved:
            # A Skip or End won the race, but this grade is recorded: keep the two in step.
            mock = mock.regraded(step.position, now, graded.grade)
        elif mock.expired(now):
            mock = mock.ended(now, MockState.EXPIRED)
        elif moved:
            raise QuizError(MOVED_ON)
        elif step.move is MockMove.END:
            mock = mock.ended(now)
        elif step.move is MockMove.SKIP:
            mock = mock.skipped(now)
        else:
            assert step.grade is not None
            mock = mock.graded(now, step.grade)
        next_item = mock.current if mock.state is MockState.ACTIVE else None
        if next_item is not None:
            user_id = mock.user_id
            await uow.exposures.mark_shown(
                [(user_id, _question(pack, next_item).ref, now)], revealed=False
            )
        await uow.mocks.save(mock)
        await uow.commit()
    if mock.state is MockState.ACTIVE and mock.current is not None:
        skipped = pack.by_id(item.question_id) if step.move is MockMove.SKIP else None
        return MockQuestion(mock, _question(pack, mock.current), graded=graded, skipped=skipped)
    return _summary(pack, mock, graded=graded, expired=mock.state is MockState.EXPIRED)


def current_question(pack: Pack, mock: MockInterview) -> Question:
    if mock.current is None:
        raise QuizError("Your mock interview has no question left to answer.")
    return _question(pack, mock.current)


async def _owned(
    uow: UnitOfWork, ctx: Context, mock_id: int, *, pack: Pack | None = None
) -> MockInterview:
    mock = await uow.mocks.get(mock_id, for_update=True)
    command = pack.command if pack else "fastapi-quiz"
    if mock is None:
        raise QuizError(f"That mock interview is gone. Start another with `/{command} mock`.")
    known = await uow.users.find_many([(ctx.actor.platform, ctx.actor.user_id)])
    user: UserRecord | None = known.get((ctx.actor.platform, ctx.actor.user_id))
    if user is None or user.id != mock.user_id or (pack and pack.id != mock.pack_id):
        raise QuizError(NOT_YOURS.format(command=command))
    return mock


def _question(pack: Pack, item: MockItem) -> Question:
    question = pack.by_id(item.question_id)
    if question is None:
        raise QuizError("That question is no longer in the question bank.")
    return question


def _summary(
    pack: Pack,
    mock: MockInterview,
    *,
    graded: Graded | None = None,
    expired: bool = False,
) -> MockSummary:
    questions = {i.question_id: q for i in mock.items if (q := pack.by_id(i.question_id))}
    topics = {qid: q.topics for qid, q in questions.items()}
    return MockSummary(
        mock,
        questions,
        weakest_topics(mock.items, topics),
        total_seconds(mock.items),
        graded=graded,
        expired=expired,
    )
