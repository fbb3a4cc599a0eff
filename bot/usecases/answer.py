"""Reveal an answer, then record how well the person recalled it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from bot.domain.content import Question, QuestionRef
from bot.domain.context import Context
from bot.domain.errors import QuizError
from bot.domain.grades import Grade
from bot.domain.progress import NewAttempt, SavedCard, UserRecord
from bot.usecases.batches import Graded, GradeRequest, Shown
from bot.usecases.deps import Deps, identify_many, question_for, zone_for
from bot.usecases.exposures import record_shown


@dataclass(frozen=True)
class Revealed:
    question: Question


async def reveal_answer(deps: Deps, ctx: Context, ref: QuestionRef) -> Revealed:
    question = question_for(deps, ref)
    await record_shown(deps, ctx, ref, Shown.REVEALED)
    return Revealed(question)


async def grade_recall(deps: Deps, ctx: Context, ref: QuestionRef, grade: Grade) -> Graded:
    """One grade per reveal. Grades that arrive together are written together (group commit).
    Once it is stored, `graded_signal` tells whoever shows the person's progress."""
    question_for(deps, ref)
    request = GradeRequest(ctx, ref, grade, deps.clock.now())
    graded = await deps.grading.submit(request, partial(grade_many, deps))
    deps.graded_signal.notify(ctx.actor, ref.pack_id)
    return graded


async def grade_many(deps: Deps, requests: Sequence[GradeRequest]) -> list[Graded | QuizError]:
    """Each grade as if it were alone: its attempt, review card and exposure change together,
    and a reveal is graded once, even when both clicks land in the same batch.

    A refused grade writes nothing: people are looked up, not created, until a grade is accepted
    (someone with no row has revealed nothing, e.g. after forget-me)."""
    created_at = min(r.now for r in requests)
    async with deps.uow(write=True) as uow:
        known = await uow.users.find_many(
            [(r.ctx.actor.platform, r.ctx.actor.user_id) for r in requests]
        )
        keys = [
            _key(known.get((r.ctx.actor.platform, r.ctx.actor.user_id)), r.ref) for r in requests
        ]
        exposures = await uow.exposures.get_many({k for k in keys if k}, for_update=True)
        results: list[Graded | QuizError | None] = []
        accepted: list[tuple[int, GradeRequest, Question]] = []
        written: dict[tuple[int, QuestionRef], tuple[str | None, str | None]] = {}
        for index, (r, key) in enumerate(zip(requests, keys, strict=True)):
            try:
                question = question_for(deps, r.ref)
            except QuizError as exc:
                results.append(exc)
                continue
            exposure = exposures.get(key) if key else None
            if exposure is None or exposure.revealed_at is None:
                results.append(
                    QuizError(
                        f"Reveal the answer to question {question.number} before grading "
                        "yourself on it."
                    )
                )
                continue
            if exposure.graded_at is not None:
                results.append(
                    QuizError(
                        f"You already graded question {question.number}. Ask for another "
                        "question, or reveal this one again to grade it anew."
                    )
                )
                continue
            assert key is not None
            exposures[key] = replace(exposure, graded_at=r.now)
            written[key] = (exposure.written_answer, exposure.coverage)
            results.append(None)
            accepted.append((index, r, question))
        if not accepted:
            return _decided(results)
        who = await identify_many(uow, [r.ctx for _i, r, _q in accepted], created_at)
        rows = [
            _Row(r, user, channel)
            for (_i, r, _q), (user, channel) in zip(accepted, who, strict=True)
        ]
        zones = await uow.subscriptions.timezones(
            {(row.channel_id, row.request.ref.pack_id) for row in rows if not row.user.timezone}
        )
        days = [_local_date(row, zones) for row in rows]
        recent = await uow.posts.recent_with_questions(
            {(row.channel_id, row.request.ref) for row in rows}, min(days) - timedelta(days=1)
        )
        cards = await uow.reviews.cards({row.key for row in rows})
        graded: list[tuple[int, QuestionRef, datetime]] = []
        new_attempts: list[NewAttempt] = []
        saved: list[SavedCard] = []
        for (index, r, question), row, local_date in zip(accepted, rows, days, strict=True):
            post_id = next(
                (
                    post_id
                    for day, post_id in recent.get((row.channel_id, r.ref), [])
                    if day >= local_date - timedelta(days=1)
                ),
                None,
            )
            card = deps.srs.review(cards.get(row.key), r.grade, r.now)
            cards[row.key] = card.card_json
            graded.append((row.user.id, r.ref, r.now))
            new_attempts.append(
                NewAttempt(
                    row.user.id,
                    r.ref,
                    r.grade,
                    r.now,
                    local_date,
                    row.channel_id,
                    post_id,
                    *written[row.key],
                )
            )
            saved.append(SavedCard(row.user.id, r.ref, card.card_json, card.due, r.now))
            results[index] = Graded(question, r.grade, card.due)
        await uow.exposures.mark_graded(graded)
        await uow.attempts.add(new_attempts)
        await uow.reviews.save(saved)
        await uow.commit()
    return _decided(results)


def _decided(results: list[Graded | QuizError | None]) -> list[Graded | QuizError]:
    decided = [result for result in results if result is not None]
    assert len(decided) == len(results), "every grade request gets an outcome"
    return decided


def _key(user: UserRecord | None, ref: QuestionRef) -> tuple[int, QuestionRef] | None:
    return (user.id, ref) if user else None


@dataclass(frozen=True)
class _Row:
    request: GradeRequest
    user: UserRecord
    channel_id: int

    @property
    def key(self) -> tuple[int, QuestionRef]:
        return (self.user.id, self.request.ref)


def _local_date(row: _Row, channel_zones: dict[tuple[int, str], str]) -> date:
    channel_zone = channel_zones.get((row.channel_id, row.request.ref.pack_id))
    zone = zone_for(row.user, channel_zone, row.request.ctx)
    return row.request.now.astimezone(ZoneInfo(zone)).date()
