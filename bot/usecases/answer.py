"""Reveal an answer, then record how well the person recalled it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.content import Question, QuestionRef
from bot.domain.context import Context
from bot.domain.errors import QuizError
from bot.domain.grades import Grade
from bot.usecases.deps import Deps, effective_timezone, identify, question_for


@dataclass(frozen=True)
class Revealed:
    question: Question


@dataclass(frozen=True)
class Graded:
    question: Question
    grade: Grade
    next_due: datetime


async def reveal_answer(deps: Deps, ctx: Context, ref: QuestionRef) -> Revealed:
    question = question_for(deps, ref)
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, _channel = await identify(uow, ctx, now)
        await uow.exposures.mark_revealed(user.id, ref, now)
        await uow.commit()
    return Revealed(question)


async def grade_recall(deps: Deps, ctx: Context, ref: QuestionRef, grade: Grade) -> Graded:
    """One grade per reveal: the attempt, the review card and the exposure change together."""
    question = question_for(deps, ref)
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, channel_id = await identify(uow, ctx, now)
        exposure = await uow.exposures.get(user.id, ref)
        if exposure is None or exposure.revealed_at is None:
            raise QuizError(
                f"Reveal the answer to question {question.number} before grading yourself on it."
            )
        if not await uow.exposures.claim_grade(user.id, ref, now):
            raise QuizError(
                f"You already graded question {question.number}. Ask for another question, "
                "or reveal this one again to grade it anew."
            )
        zone = await effective_timezone(uow, ctx, user, channel_id, ref.pack_id)
        local_date = now.astimezone(ZoneInfo(zone)).date()
        post_id = await uow.posts.recent_with_question(
            channel_id, ref.pack_id, ref.question_id, local_date - timedelta(days=1)
        )
        await uow.attempts.add(user.id, ref, grade, now, local_date, channel_id, post_id)
        card = deps.srs.review(await uow.reviews.card(user.id, ref), grade, now)
        await uow.reviews.save(user.id, ref, card.card_json, card.due, now)
        await uow.commit()
    return Graded(question, grade, card.due)
