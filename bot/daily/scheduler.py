"""APScheduler as the alarm clock: one cron job per subscription, plus a sweep.

The sweep also sends opt-in streak reminders.

The database decides what is due and who posts it; the jobs only wake us up. So the in-memory
job store is rebuilt from the database at start, and a sweep every minute catches what a cron
fire cannot: a restart after the posting time (within the channel's grace window), a claim
whose lease ran out after a crash, a send that failed, and answers due to be revealed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.daily.poster import DailyPoster
from bot.daily.reminders import Reminders
from bot.domain.schedule import WEEKDAYS
from bot.domain.subscriptions import Subscription
from bot.storage.failures import cause_of, is_storage_failure
from bot.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

SWEEP_SECONDS = 60
SWEEP_JOB = "sweep"
# Cancelled work in flight gets this long to clean up at a stop (a fan-out hands its claims over
# within 3 s). Hosts kill a process about 10 s after SIGTERM.
SHUTDOWN_GRACE_SECONDS = 4.0


def job_id(subscription_id: int) -> str:
    return f"post:{subscription_id}"


def cron_trigger(subscription: Subscription) -> CronTrigger:
    schedule = subscription.schedule
    return CronTrigger(
        hour=schedule.post_time.hour,
        minute=schedule.post_time.minute,
        day_of_week=",".join(WEEKDAYS[d] for d in sorted(schedule.weekdays)),
        timezone=schedule.zone,
    )


class DailyScheduler:
    def __init__(
        self,
        poster: DailyPoster,
        uow: UnitOfWorkFactory,
        clock: Clock,
        *,
        reminders: Reminders | None = None,
        sweep_seconds: float = SWEEP_SECONDS,
    ) -> None:
        self._poster = poster
        self._reminders = reminders
        self._uow = uow
        self._clock = clock
        self._sweep_seconds = sweep_seconds
        self._scheduler = AsyncIOScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1}
        )
        self._tasks: set[asyncio.Task[object]] = set()

    @property
    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    def next_fire(self, subscription_id: int) -> datetime | None:
        job = self._scheduler.get_job(job_id(subscription_id))
        return job.next_run_time if job else None

    async def start(self) -> None:
        """Rebuild every job from the database, then sweep at once to catch up."""
        async with self._uow() as uow:
            subscriptions = await uow.subscriptions.active()
        for subscription in subscriptions:
            if self._poster.serves(subscription):
                self._add(subscription)
        self._scheduler.add_job(
            self._sweep,
            IntervalTrigger(seconds=self._sweep_seconds, timezone=UTC),
            id=SWEEP_JOB,
            next_run_time=self._clock.now(),
            misfire_grace_time=int(self._sweep_seconds),
        )
        self._scheduler.start()
        log.info("scheduler started with %d channel job(s)", len(self.job_ids) - 1)

    async def shutdown(self) -> None:
        """Stop firing and let work in flight wind down: the poster stops claiming and sending
        and hands over what it holds, without a database write being interrupted. Work still
        running after the grace period is cancelled."""
        self._poster.stop()
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        in_flight = [t for t in self._tasks if not t.done()]
        if in_flight:
            _done, late = await asyncio.wait(in_flight, timeout=SHUTDOWN_GRACE_SECONDS)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    def schedule_changed(self, subscription_id: int) -> None:
        """Called from use cases on the loop; re-reads the row so the job matches the database."""
        self._track(asyncio.get_running_loop().create_task(self.refresh(subscription_id)))

    def _track(self, task: asyncio.Task[object]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def refresh(self, subscription_id: int) -> None:
        async with self._uow() as uow:
            subscription = await uow.subscriptions.by_id(subscription_id)
        if subscription and subscription.posting and self._poster.serves(subscription):
            self._add(subscription)
        elif self._scheduler.get_job(job_id(subscription_id)):
            self._scheduler.remove_job(job_id(subscription_id))

    def _add(self, subscription: Subscription) -> None:
        self._scheduler.add_job(
            self._fire,
            cron_trigger(subscription),
            args=[subscription.id],
            id=job_id(subscription.id),
            replace_existing=True,
            misfire_grace_time=int(subscription.schedule.grace.total_seconds()),
        )

    async def _fire(self, subscription_id: int) -> None:
        await self._in_own_task(self._post_one(subscription_id))

    async def _sweep(self) -> None:
        await self._in_own_task(self._sweep_all())

    async def _in_own_task(self, work: Coroutine[Any, Any, None]) -> None:
        """APScheduler cancels the jobs it runs when it shuts down; the work runs in a task of
        its own, which a stop winds down instead (see shutdown)."""
        task = asyncio.ensure_future(work)
        self._track(task)
        # Cancelled only by APScheduler's shutdown, whose job is then done; ours winds down.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(task)

    async def _post_one(self, subscription_id: int) -> None:
        try:
            await self._poster.post_subscription(subscription_id)
        except asyncio.CancelledError:
            log.info("post for subscription %s cancelled at shutdown", subscription_id)
        except Exception as exc:
            _log_failure(exc, f"daily post for subscription {subscription_id}")

    async def _sweep_all(self) -> None:
        try:
            await self._poster.post_due()
            if self._poster.stopping:
                return
            await self._poster.reveal_due()
            if self._reminders is not None:
                await self._reminders.send_due()
        except asyncio.CancelledError:
            log.info("sweep cancelled at shutdown; the next start catches up")
        except Exception as exc:
            _log_failure(exc, "daily sweep")


def _log_failure(exc: Exception, what: str) -> None:
    """A failing database is one line (the next sweep retries); anything else is a bug."""
    if is_storage_failure(exc):
        log.error("%s failed in the database, will retry: %s", what, cause_of(exc))
    else:
        log.exception("%s failed", what)
