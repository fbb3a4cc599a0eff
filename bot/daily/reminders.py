"""Opt-in nudges: a private message four hours before someone's day ends, if their streak is at
risk (they have a streak and have not practised today). At most one a day, claimed in the
database first, so several processes never send it twice.

A person whose workspace has lost its installation is not reminded: the first such failure
pauses the workspace (bot.usecases.workspaces), which takes its people out of the candidates,
and the rest of this run skips them already."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.daily.ports import PostingPort, WorkspaceUnavailable
from bot.domain.context import WorkspaceRef
from bot.domain.progress import ReminderCandidate
from bot.domain.streaks import personal_streak
from bot.domain.subscriptions import PersonAddress
from bot.presenters import progress as progress_replies
from bot.usecases.deps import Deps
from bot.usecases.workspaces import pause_workspace

REMIND_FROM_HOUR = 20  # local time: four hours before the day ends

log = logging.getLogger(__name__)


class Reminders:
    def __init__(self, deps: Deps, ports: Mapping[str, PostingPort]) -> None:
        self._deps = deps
        self._ports = ports

    async def send_due(self, now: datetime | None = None) -> int:
        now = now or self._deps.clock.now()
        async with self._deps.uow() as uow:
            candidates = [
                c for c in await uow.users.reminder_candidates() if c.platform in self._ports
            ]
        sent = 0
        lost: set[tuple[str, WorkspaceRef | None]] = set()
        for candidate in candidates:
            if (candidate.platform, candidate.workspace) in lost:
                continue
            try:
                sent += await self._maybe_remind(candidate, now)
            except WorkspaceUnavailable as exc:
                lost.add((candidate.platform, candidate.workspace))
                await pause_workspace(
                    self._deps, candidate.platform, candidate.workspace, exc.reason
                )
        return sent

    async def _maybe_remind(self, candidate: ReminderCandidate, now: datetime) -> int:
        local = now.astimezone(ZoneInfo(candidate.timezone))
        today = local.date()
        if local.hour < REMIND_FROM_HOUR or candidate.reminded_on == today:
            return 0
        async with self._deps.uow(write=True) as uow:
            streak = personal_streak(
                await uow.attempts.all_active_days(candidate.user_row_id), today
            )
            if not streak.at_risk or not await uow.users.claim_reminder(
                candidate.user_row_id, today
            ):
                return 0
            await uow.commit()
        command = self._deps.catalog.packs[0].command
        person = PersonAddress(candidate.platform, candidate.user_id, candidate.workspace)
        try:
            await self._ports[candidate.platform].notify(
                person, progress_replies.reminder_reply(streak.current, command)
            )
        except Exception as exc:
            if not isinstance(exc, WorkspaceUnavailable):
                log.error(
                    "reminder to %s user %s failed: %s", candidate.platform, candidate.user_id, exc
                )
            async with self._deps.uow(write=True) as uow:
                await uow.users.release_reminder(candidate.user_row_id, candidate.reminded_on)
                await uow.commit()
            if isinstance(exc, WorkspaceUnavailable):
                raise
            return 0
        return 1
