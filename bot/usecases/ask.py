"""Serve a question on demand, or the next due review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.commands import Ask, NextQuestion
from bot.domain.content import Level, Pack, Question
from bot.domain.context import Context
from bot.domain.errors import QuizError
from bot.domain.selection import Pick, choose, filter_questions
from bot.usecases.batches import Shown
from bot.usecases.deps import Deps, identify
from bot.usecases.exposures import record_shown


@dataclass(frozen=True)
class Asked:
    """`then` is what "Another question" asks after this one: the same typed filters."""

    question: Question
    pick: Pick
    level: Level | None
    topic: str | None
    due_count: int
    note: str | None = None
    then: NextQuestion | None = None


@dataclass(frozen=True)
class NothingDue:
    next_due: datetime | None


async def ask_question(deps: Deps, ctx: Context, pack: Pack, command: Ask | NextQuestion) -> Asked:
    if isinstance(command, Ask) and command.number is not None:
        question = question_by_number(pack, command.number)
        pick = await _pick_of(deps, ctx, question)
        await record_shown(deps, ctx, question.ref, Shown.ASKED)
        return Asked(question, pick, None, None, 0, then=NextQuestion(pack_id=pack.id))
    then = NextQuestion(command.level, command.topic, pack.id)
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, _channel = await identify(uow, ctx, now)
        level, topic, note = command.level, command.topic, None
        if level is None and user.level is not None:
            level = user.level
            if not filter_questions(pack.questions, level, topic):
                level, note = None, f"No {user.level.value} questions on {topic}: any level here."
        candidates = filter_questions(pack.questions, level, topic)
        if not candidates:
            raise QuizError(_nothing_matches(level, topic))
        due = await uow.reviews.due(user.id, pack.id, now)
        seen = await uow.exposures.seen(user.id, pack.id)
        last = await uow.exposures.last_asked(user.id, pack.id)
        choice = choose(candidates, due, seen, last, deps.rng)
        await uow.exposures.mark_shown([(user.id, choice.question.ref, now)], revealed=False)
        await uow.commit()
    return Asked(choice.question, choice.pick, level, topic, choice.due_count, note, then)


async def _pick_of(deps: Deps, ctx: Context, question: Question) -> Pick:
    """What a question chosen by number is to this person: due, new to them, or seen before.
    Read without creating anyone: asking by number records the person afterwards."""
    async with deps.uow() as uow:
        key = (ctx.actor.platform, ctx.actor.user_id)
        user = (await uow.users.find_many([key])).get(key)
        if user is None:
            return Pick.NEW
        due = await uow.reviews.due(user.id, question.pack_id, deps.clock.now())
        if any(d.question_id == question.id for d in due):
            return Pick.DUE
        shown = await uow.exposures.get_many([(user.id, question.ref)])
    return Pick.AGAIN if shown else Pick.NEW


async def next_review(deps: Deps, ctx: Context, pack: Pack) -> Asked | NothingDue:
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, _channel = await identify(uow, ctx, now)
        due = [d for d in await uow.reviews.due(user.id, pack.id, now) if pack.by_id(d.question_id)]
        if not due:
            next_due = await uow.reviews.next_due(user.id, pack.id)
            await uow.commit()
            return NothingDue(next_due)
        question = pack.by_id(due[0].question_id)
        assert question is not None
        await uow.exposures.mark_shown([(user.id, question.ref, now)], revealed=False)
        await uow.commit()
    return Asked(question, Pick.DUE, None, None, len(due), then=NextQuestion(pack_id=pack.id))


def question_by_number(pack: Pack, number: int) -> Question:
    question = pack.by_number(number)
    if question is None:
        shown = str(number) if abs(number) < 10**20 else f"{str(number)[: 20 + (number < 0)]}…"
        raise QuizError(
            f"There is no question {shown}: this pack has questions 1 to {len(pack.questions)}."
        )
    return question


def _nothing_matches(level: Level | None, topic: str | None) -> str:
    wanted = " ".join(x for x in (level.value if level else None, topic) if x)
    return f"No {wanted} questions in this pack. Try another level or topic, or leave one out."
