"""Everything a person's home shows, gathered in one go: progress, today's grades, settings."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.content import Level, Pack
from bot.domain.context import Context
from bot.domain.grades import Grade
from bot.usecases.deps import Deps
from bot.usecases.progress import StatsView, my_stats


@dataclass(frozen=True)
class HomeData:
    stats: StatsView
    today: dict[Grade, int]  # grades given on the person's local "today"
    level: Level | None
    # Their own timezone; None while their days follow the channel's or the platform's zone
    # (the zone in effect is `stats.streaks.timezone`).
    own_timezone: str | None
    reminds: bool


async def home_data(deps: Deps, ctx: Context, pack: Pack) -> HomeData:
    """Stats first (which records the person on first sight), then their settings."""
    stats = await my_stats(deps, ctx, pack)
    async with deps.uow() as uow:
        key = (ctx.actor.platform, ctx.actor.user_id)
        user = (await uow.users.find_many([key])).get(key)
        if user is None:  # deleted meanwhile (forget me): a home of defaults
            return HomeData(stats, {}, None, None, False)
        reminds = await uow.users.reminds(user.id)
        today = await uow.attempts.grades_on(user.id, pack.id, stats.today)
    return HomeData(stats, today, user.level, user.timezone, reminds)
