"""Grades as given: streak days, the calendar, recall counts and the leaderboard."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.grades import Grade
from bot.domain.progress import GradeCount, LeaderRow, NewAttempt
from bot.storage.schema import attempts, users


class AttemptRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def add(self, new: Sequence[NewAttempt]) -> None:
        if not new:
            return
        await self._c.execute(
            attempts.insert(),
            [
                {
                    "user_id": a.user_id,
                    "pack_id": a.ref.pack_id,
                    "question_id": a.ref.question_id,
                    "grade": a.grade.value,
                    "graded_at": a.graded_at,
                    "local_date": a.local_date,
                    "channel_id": a.channel_id,
                    "post_id": a.post_id,
                    "written_answer": a.written_answer,
                    "coverage": a.coverage,
                }
                for a in new
            ],
        )

    async def day_counts(self, user_id: int, pack_id: str) -> dict[date, int]:
        """Questions graded per local date: the streak days and the calendar heatmap."""
        rows = await self._c.execute(
            select(attempts.c.local_date, func.count())
            .where(attempts.c.user_id == user_id, attempts.c.pack_id == pack_id)
            .group_by(attempts.c.local_date)
        )
        return {day: n for day, n in rows}

    async def all_active_days(self, user_id: int) -> set[date]:
        query = select(attempts.c.local_date).distinct().where(attempts.c.user_id == user_id)
        return set((await self._c.execute(query)).scalars())

    async def active_days(
        self, user_id: int, pack_id: str, channel_id: int | None = None
    ) -> set[date]:
        """Local dates with at least one grade; in one channel when `channel_id` is given."""
        query = (
            select(attempts.c.local_date)
            .distinct()
            .where(attempts.c.user_id == user_id, attempts.c.pack_id == pack_id)
        )
        if channel_id is not None:
            query = query.where(attempts.c.channel_id == channel_id)
        return set((await self._c.execute(query)).scalars())

    async def grades_on(self, user_id: int, pack_id: str, day: date) -> dict[Grade, int]:
        """How many of each grade the person gave on one local date (their home's "today")."""
        rows = await self._c.execute(
            select(attempts.c.grade, func.count())
            .where(
                attempts.c.user_id == user_id,
                attempts.c.pack_id == pack_id,
                attempts.c.local_date == day,
            )
            .group_by(attempts.c.grade)
        )
        return {Grade(grade): n for grade, n in rows}

    async def grade_counts(self, user_id: int, pack_id: str) -> list[GradeCount]:
        result = await self._c.execute(
            select(attempts.c.question_id, attempts.c.grade, func.count().label("n"))
            .where(attempts.c.user_id == user_id, attempts.c.pack_id == pack_id)
            .group_by(attempts.c.question_id, attempts.c.grade)
        )
        return [GradeCount(r.question_id, r.grade, r.n) for r in result]

    async def leaderboard(
        self, channel_id: int, pack_id: str, limit: int, since: date | None = None
    ) -> list[LeaderRow]:
        """Most graded, then best recall, then name, then id: ties always break the same way."""
        knew = func.sum(case((attempts.c.grade == Grade.KNEW.value, 1), else_=0))
        days = func.count(func.distinct(attempts.c.local_date))
        graded = func.count(attempts.c.id)
        statement = (
            select(
                users.c.id,
                users.c.display_name,
                graded.label("graded"),
                knew.label("knew"),
                days.label("days"),
            )
            .select_from(attempts.join(users, users.c.id == attempts.c.user_id))
            .where(and_(attempts.c.channel_id == channel_id, attempts.c.pack_id == pack_id))
            .group_by(users.c.id, users.c.display_name)
        )
        if since is not None:
            statement = statement.where(attempts.c.local_date >= since)
        rows = [
            LeaderRow(r.id, r.display_name, r.graded, int(r.knew or 0), r.days)
            for r in await self._c.execute(statement)
        ]
        rows.sort(key=lambda r: (-r.graded, -r.recall, r.display_name.lower(), r.user_id))
        return rows[:limit]
