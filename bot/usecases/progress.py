"""A person's own progress, the channel's leaderboard, and the person's usual level."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.content import Level, Pack
from bot.domain.context import Context
from bot.domain.grades import Grade
from bot.domain.progress import LeaderRow
from bot.usecases.deps import Deps, identify

LEADERBOARD_SIZE = 10


@dataclass(frozen=True)
class LevelProgress:
    level: Level
    total: int
    practised: int
    knew: int
    graded: int


@dataclass(frozen=True)
class StatsView:
    display_name: str
    graded: int
    grades: dict[Grade, int]
    practised: int
    total: int
    due_now: int
    next_due: datetime | None
    levels: list[LevelProgress] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.grades.get(Grade.KNEW, 0) / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class LeaderboardView:
    channel_name: str
    rows: list[LeaderRow]


@dataclass(frozen=True)
class LevelSetting:
    level: Level | None
    changed: bool


async def my_stats(deps: Deps, ctx: Context, pack: Pack) -> StatsView:
    now = deps.clock.now()
    async with deps.uow(write=True) as uow:
        user, _channel = await identify(uow, ctx, now)
        counts = await uow.attempts.grade_counts(user.id, pack.id)
        due = await uow.reviews.due(user.id, pack.id, now)
        next_due = await uow.reviews.next_due(user.id, pack.id)
        await uow.commit()
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
    )


async def channel_leaderboard(deps: Deps, ctx: Context, pack: Pack) -> LeaderboardView:
    async with deps.uow() as uow:
        channel_id = await uow.channels.find(ctx.place.platform, ctx.place.channel_id)
        rows = (
            await uow.attempts.leaderboard(channel_id, pack.id, LEADERBOARD_SIZE)
            if channel_id is not None
            else []
        )
    return LeaderboardView(ctx.place.name, rows)


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
