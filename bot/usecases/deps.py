"""What every use case needs, handed in by the composition root."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.clock import Clock
from bot.daily.ports import ScheduleSignal
from bot.domain.content import Catalog, Pack, Question, QuestionRef
from bot.domain.context import Context
from bot.domain.coverage import AnswerMatcher
from bot.domain.errors import QuizError
from bot.domain.progress import UserRecord
from bot.domain.schedule import canonical_timezone
from bot.srs import SpacedRepetition
from bot.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.usecases.batches import ExposureWrite, Graded, GradeRequest
from bot.usecases.group_commit import GroupCommit
from bot.usecases.signals import GradedSignal


@dataclass(frozen=True)
class Deps:
    catalog: Catalog
    uow: UnitOfWorkFactory
    clock: Clock
    srs: SpacedRepetition
    rng: random.Random
    matcher: AnswerMatcher
    schedule_signal: ScheduleSignal = field(default_factory=ScheduleSignal)
    graded_signal: GradedSignal = field(default_factory=GradedSignal)
    # Not an init field, so `dataclasses.replace` gives the copy a queue of its own.
    grading: GroupCommit[GradeRequest, Graded] = field(
        default_factory=GroupCommit, init=False, repr=False, compare=False
    )
    exposure_writes: GroupCommit[ExposureWrite, None] = field(
        default_factory=GroupCommit, init=False, repr=False, compare=False
    )


async def identify(uow: UnitOfWork, ctx: Context, now: datetime) -> tuple[UserRecord, int]:
    """The stored user and channel behind a request, created on first sight; the workspace
    the platform names for them is recorded."""
    ((user, channel_id),) = await identify_many(uow, [ctx], now)
    return user, channel_id


async def identify_many(
    uow: UnitOfWork, contexts: Sequence[Context], now: datetime
) -> list[tuple[UserRecord, int]]:
    """`identify` for everyone in a batch, in four statements at most."""
    people = await uow.users.get_or_create_many(
        [
            (c.actor.platform, c.actor.user_id, c.actor.display_name, c.actor.workspace)
            for c in contexts
        ],
        now,
    )
    places = await uow.channels.get_or_create_many(
        [(c.place.platform, c.place.channel_id, c.place.name, c.place.workspace) for c in contexts],
        now,
    )
    return [
        (
            people[(c.actor.platform, c.actor.user_id)],
            places[(c.place.platform, c.place.channel_id)],
        )
        for c in contexts
    ]


def question_for(deps: Deps, ref: QuestionRef) -> Question:
    question = deps.catalog.question(ref)
    if question is None:
        raise QuizError(
            "That question is no longer in the question bank. Ask for a fresh one with `help`."
        )
    return question


def pack_for(deps: Deps, pack_id: str) -> Pack:
    pack = deps.catalog.pack(pack_id)
    if pack is None:
        raise QuizError("That question pack is not installed any more.")
    return pack


async def effective_timezone(
    uow: UnitOfWork, ctx: Context, user: UserRecord, channel_id: int, pack_id: str
) -> str:
    channel_zone = None
    if not user.timezone:
        subscription = await uow.subscriptions.for_channel(channel_id, pack_id)
        channel_zone = subscription.schedule.timezone if subscription else None
    return zone_for(user, channel_zone, ctx)


def zone_for(user: UserRecord, channel_zone: str | None, ctx: Context) -> str:
    """What "today" means for this person here: their own zone, else the channel's schedule,
    else what the platform says about them, else UTC."""
    return canonical_timezone(user.timezone or channel_zone or ctx.actor.timezone or "UTC")
