"""A channel's daily question: subscribe, unsubscribe, show the schedule, reveal publicly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain.commands import Subscribe
from bot.domain.content import Pack, Question, QuestionRef
from bot.domain.context import Context
from bot.domain.errors import QuizError
from bot.domain.schedule import DEFAULT_GRACE, EVERY_DAY, DailySchedule, parse_timezone
from bot.domain.subscriptions import DEFAULT_TEAM_SIZE, Subscription, SubscriptionSettings
from bot.usecases.deps import Deps

if TYPE_CHECKING:
    from bot.daily.poster import DailyPoster

ADMINS_ONLY = (
    "Only channel admins can change this channel's daily question. "
    "Ask one of them, or use `/{command}` for a question of your own."
)


@dataclass(frozen=True)
class ScheduleView:
    subscription: Subscription | None
    next_post: datetime | None


def _require_admin(ctx: Context, pack: Pack) -> None:
    if not ctx.actor.is_admin:
        raise QuizError(ADMINS_ONLY.format(command=pack.command))


def _default_timezone(ctx: Context, existing: Subscription | None) -> str:
    if existing is not None:
        return existing.schedule.timezone
    if ctx.actor.timezone:
        try:
            return parse_timezone(ctx.actor.timezone)
        except QuizError:
            pass
    return "UTC"


async def subscribe_channel(deps: Deps, ctx: Context, pack: Pack, cmd: Subscribe) -> ScheduleView:
    """Create or replace the channel's subscription whole: what is left out takes its default
    (team size included), except the timezone, which sticks unless given anew."""
    _require_admin(ctx, pack)
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        channel = await uow.channels.get_or_create(
            ctx.place.platform, ctx.place.channel_id, ctx.place.name, now, ctx.place.workspace
        )
        existing = await uow.subscriptions.for_channel(channel, pack.id)
        schedule = DailySchedule(
            post_time=cmd.post_time,
            timezone=cmd.timezone or _default_timezone(ctx, existing),
            weekdays=cmd.weekdays or EVERY_DAY,
            grace=existing.schedule.grace if existing else DEFAULT_GRACE,
        )
        team = cmd.team_threshold or DEFAULT_TEAM_SIZE
        settings = SubscriptionSettings(schedule, cmd.level, cmd.reveal_time, team)
        subscription_id = await uow.subscriptions.save(channel, pack.id, settings, now)
        subscription = await uow.subscriptions.by_id(subscription_id)
        await uow.commit()
    deps.schedule_signal.notify(subscription_id)
    return ScheduleView(subscription, schedule.next_instant(now))


async def unsubscribe_channel(deps: Deps, ctx: Context, pack: Pack) -> bool:
    _require_admin(ctx, pack)
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        channel = await uow.channels.find(ctx.place.platform, ctx.place.channel_id)
        stopped = await uow.subscriptions.deactivate(channel, pack.id, now) if channel else None
        await uow.commit()
    if stopped is not None:
        deps.schedule_signal.notify(stopped)
    return stopped is not None


async def channel_schedule(deps: Deps, ctx: Context, pack: Pack) -> ScheduleView:
    async with deps.uow() as uow:
        channel = await uow.channels.find(ctx.place.platform, ctx.place.channel_id)
        found = await uow.subscriptions.for_channel(channel, pack.id) if channel else None
    if found is None or not found.active:
        return ScheduleView(None, None)
    if found.paused:  # its workspace lost the installation: nothing is posted until reinstalled
        return ScheduleView(found, None)
    return ScheduleView(found, found.schedule.next_instant(deps.clock.now()))


@dataclass(frozen=True)
class ChannelDraft:
    """What the channel-settings form opens on: the subscription, active or paused, if any."""

    subscription: Subscription | None
    timezone: str


async def channel_draft(deps: Deps, ctx: Context, pack: Pack) -> ChannelDraft:
    """Refuses non-admins before they fill anything in; submitting checks again."""
    _require_admin(ctx, pack)
    async with deps.uow() as uow:
        channel = await uow.channels.find(ctx.place.platform, ctx.place.channel_id)
        found = await uow.subscriptions.for_channel(channel, pack.id) if channel else None
    return ChannelDraft(found, _default_timezone(ctx, found))


async def reveal_publicly(deps: Deps, poster: DailyPoster, ctx: Context, pack: Pack) -> Question:
    """Post the latest daily question's answer in its thread, once."""
    _require_admin(ctx, pack)
    now = deps.clock.now()
    async with deps.uow() as uow:
        channel = await uow.channels.find(ctx.place.platform, ctx.place.channel_id)
        subscription = await uow.subscriptions.for_channel(channel, pack.id) if channel else None
        post = await uow.posts.latest_posted(channel, pack.id) if channel else None
    if subscription is None or post is None:
        raise QuizError("No daily question has been posted in this channel yet.")
    question = deps.catalog.question(QuestionRef(post.pack_id, post.question_id))
    if question is None:
        raise QuizError("The latest daily question is no longer in the question bank.")
    if post.revealed_at is not None:
        raise QuizError(f"The answer to question {question.number} is already in its thread.")
    if not await poster.reveal_post(subscription, post, now):
        raise QuizError("I could not post the answer just now. Please try again in a minute.")
    return question
