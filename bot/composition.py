"""The composition root: the one place that builds settings, engine, core and adapters."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.content.loader import load_catalog
from bot.daily.ports import PostingPort
from bot.daily.poster import DailyPoster
from bot.daily.reminders import Reminders
from bot.daily.scheduler import DailyScheduler
from bot.domain.context import WorkspaceRef
from bot.domain.coverage import AnswerMatcher
from bot.matching import CatalogMatcher
from bot.quizbot import Quizbot
from bot.srs import SpacedRepetition
from bot.storage import migrate
from bot.storage.database_url import resolve as resolve_database_url
from bot.storage.engine import DatabaseUnavailable, check_connection, create_engine
from bot.storage.unit_of_work import EngineUnitOfWorkFactory
from bot.usecases.deps import Deps
from bot.usecases.workspaces import adopt_workspace, resume_platform


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    quizbot: Quizbot
    poster: DailyPoster
    reminders: Reminders
    scheduler: DailyScheduler | None = None

    async def start_scheduler(self) -> DailyScheduler:
        """Timers for the daily questions, on this process's loop; changes apply at once."""
        deps = self.quizbot.deps
        self.scheduler = DailyScheduler(self.poster, deps.uow, deps.clock, reminders=self.reminders)
        deps.schedule_signal.connect(self.scheduler.schedule_changed)
        await self.scheduler.start()
        return self.scheduler

    async def aclose(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.shutdown()
        await self.engine.dispose()


async def open_database(settings: Settings, *, upgrade: bool = True) -> AsyncEngine:
    """The engine, migrated to the newest schema; a clear DatabaseUnavailable if it can't be.

    DATABASE_URL is translated first (database_url.resolve): `postgres://`, `sslmode`, `sqlite://`.
    """
    target = resolve_database_url(settings.database_url)
    engine = create_engine(target)
    try:
        await check_connection(engine, target)
        if upgrade:
            await migrate.upgrade(engine)
    except OperationalError as exc:
        await engine.dispose()
        raise DatabaseUnavailable(
            f"Could not open the database ({exc.orig}). Check DATABASE_URL and that its "
            "folder is readable and writable."
        ) from exc
    except BaseException:
        await engine.dispose()
        raise
    return engine


async def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    ports: Mapping[str, PostingPort] | None = None,
    matcher: AnswerMatcher | None = None,
    installed: Mapping[str, WorkspaceRef] | None = None,
) -> Runtime:
    """Everything wired together; `ports` are the platforms this process can post to.

    `installed`: platforms that this deployment serves with one installation, checked just
    now, in the workspace given (single-token Slack: the team `auth.test` named). Rows from
    before workspaces were recorded adopt it, and whatever had been paused resumes (that
    one installation works: a token once refused has been replaced)."""
    catalog = load_catalog(settings.content_root)
    engine = await open_database(settings)
    deps = Deps(
        catalog=catalog,
        uow=EngineUnitOfWorkFactory(engine),
        clock=clock or SystemClock(),
        srs=SpacedRepetition(),
        rng=rng or random.Random(),
        matcher=matcher or CatalogMatcher(catalog),
    )
    try:
        for platform, workspace in (installed or {}).items():
            await adopt_workspace(deps, platform, workspace)
            await resume_platform(deps, platform)
    except BaseException:
        await engine.dispose()
        raise
    poster = DailyPoster(deps, ports or {})
    reminders = Reminders(deps, ports or {})
    return Runtime(settings, engine, Quizbot(deps, poster), poster, reminders)
