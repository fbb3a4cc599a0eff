"""A person's own progress, the channel's leaderboard, and the person's usual level."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.commands import Period
from bot.domain.content import Level, Pack
from bot.domain.context import Context
from bot.domain.grades import Grade
from bot.domain.progress import LeaderRow
from bot.domain.streaks import Streak, TeamStreak, personal_streak, team_streak
from bot.usecases.deps import Deps, effective_timezone, identify

LEADERBOARD_SIZE = 10


@dataclass(frozen=True)
class LevelProgress:
    level: Level
    total: int
    practised: int
    knew: int
    graded: int


@dataclass(frozen=True)
class StreakView:
    overall: Streak
    here: Streak | None
    team: TeamStreak | None
    timezone: str


@dataclass(frozen=True)
class StatsView:
    display_name: str
    graded: int
    grades: dict[Grade, int]
    practised: int
    total: int
    due_now: int
    next_due: datetime | None
    today: date
    levels: list[LevelProgress] = field(default_factory=list)
    streaks: StreakView | None = None
    topics: dict[str, tuple[int, int]] = field(default_factory=dict)
    calendar: dict[date, int] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.grades.get(Grade.KNEW, 0) / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class LeaderboardView:
    channel_name: str
    rows: list[LeaderRow]
    period: Period = Period.ALL
    since: date | None = None


@dataclass(frozen=True)
class LevelSetting:
    level: Level | None
    changed: bool


async def my_stats(deps: Deps, ctx: Context, pack: Pack) -> StatsView:
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, channel = await identify(uow, ctx, now)
        counts = await uow.attempts.grade_counts(user.id, pack.id)
        due = await uow.reviews.due(user.id, pack.id, now)
        next_due = await uow.reviews.next_due(user.id, pack.id)
        zone = await effective_timezone(uow, ctx, user, channel, pack.id)
        today = now.astimezone(ZoneInfo(zone)).date()
        days = await uow.attempts.day_counts(user.id, pack.id)
        here_days = await uow.attempts.active_days(user.id, pack.id, channel)
        subscription = await uow.subscriptions.for_channel(channel, pack.id)
        team = None
        if subscription is not None and subscription.active:
            channel_today = now.astimezone(subscription.schedule.zone).date()
            team_days = await uow.posts.team_days(channel, pack.id)
            team = team_streak(team_days, channel_today, subscription.team_threshold)
        await uow.commit()
    streaks = StreakView(
        overall=personal_streak(days, today),
        here=personal_streak(here_days, today) if subscription is not None else None,
        team=team,
        timezone=zone,
    )
    known = {q.id: q for q in pack.questions}
    counts = [c for c in counts if c.question_id in known]
    grades: Counter[Grade] = Counter()
    per_level: dict[Level, Counter[str]] = {level: Counter() for level in Level}
    practised_by_level: dict[Level, set[str]] = {level: set() for level in Level}
    for c in counts:
        grade = Grade(c.grade)
        level = known[c.question_id].level
        grades[grade] += c.count
        per_level[level]["graded"] += c.count
        per_level[level]["knew"] += c.count if grade is Grade.KNEW else 0
        practised_by_level[level].add(c.question_id)
    topics: dict[str, list[int]] = {}
    for c in counts:
        for topic in known[c.question_id].topics:
            knew_graded = topics.setdefault(topic, [0, 0])
            knew_graded[0] += c.count if c.grade == Grade.KNEW.value else 0
            knew_graded[1] += c.count
    levels = [
        LevelProgress(
            level=level,
            total=sum(1 for q in pack.questions if q.level == level),
            practised=len(practised_by_level[level]),
            knew=per_level[level]["knew"],
            graded=per_level[level]["graded"],
        )
        for level in Level
    ]
    return StatsView(
        display_name=user.display_name,
        graded=sum(grades.values()),
        grades=dict(grades),
        practised=len({c.question_id for c in counts}),
        total=len(pack.questions),
        due_now=sum(1 for d in due if d.question_id in known),
        next_due=next_due,
        levels=levels,
        streaks=streaks,
        topics={t: (k, g) for t, (k, g) in topics.items()},
        calendar=days,
        today=today,
    )


async def channel_leaderboard(
    deps: Deps, ctx: Context, pack: Pack, period: Period = Period.ALL
) -> LeaderboardView:
    """Weeks start on Monday and months on the 1st, in the channel's timezone (else UTC)."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        channel_id = await uow.channels.find(ctx.place.platform, ctx.place.channel_id)
        if channel_id is None:
            return LeaderboardView(ctx.place.name, [], period)
        subscription = await uow.subscriptions.for_channel(channel_id, pack.id)
        zone = subscription.schedule.zone if subscription else ZoneInfo("UTC")
        today = now.astimezone(zone).date()
        since = {
            Period.WEEK: today - timedelta(days=today.weekday()),
            Period.MONTH: today.replace(day=1),
            Period.ALL: None,
        }[period]
        rows = await uow.attempts.leaderboard(channel_id, pack.id, LEADERBOARD_SIZE, since)
    return LeaderboardView(ctx.place.name, rows, period, since)


async def set_timezone(
    deps: Deps, ctx: Context, timezone: str | None, *, show_only: bool
) -> str | None:
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, _channel = await identify(uow, ctx, now)
        if not show_only:
            await uow.users.set_timezone(user.id, timezone)
        await uow.commit()
    return user.timezone if show_only else timezone


async def set_level(
    deps: Deps, ctx: Context, level: Level | None, *, show_only: bool
) -> LevelSetting:
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, _channel = await identify(uow, ctx, now)
        if show_only:
            await uow.commit()
            return LevelSetting(user.level, changed=False)
        await uow.users.set_level(user.id, level)
        await uow.commit()
    return LevelSetting(level, changed=True)
