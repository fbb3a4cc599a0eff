"""Repositories: the only place that knows table and column names."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.content import Level, QuestionRef
from bot.domain.grades import Grade
from bot.domain.progress import (
    DueReview,
    Exposure,
    GradeCount,
    LeaderRow,
    ReminderCandidate,
    UserRecord,
)
from bot.storage.schema import attempts, channels, exposures, review_states, subscriptions, users
from bot.storage.upsert import insert_ignore, upsert


class UserRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get_or_create(
        self, platform: str, platform_user_id: str, display_name: str, now: datetime
    ) -> UserRecord:
        """One row per platform identity; the display name follows the platform's latest."""
        await insert_ignore(
            self._c,
            users,
            {
                "platform": platform,
                "platform_user_id": platform_user_id,
                "display_name": display_name,
                "created_at": now,
            },
            ["platform", "platform_user_id"],
        )
        row = (
            await self._c.execute(
                select(users.c.id, users.c.display_name, users.c.timezone, users.c.level).where(
                    users.c.platform == platform, users.c.platform_user_id == platform_user_id
                )
            )
        ).one()
        if row.display_name != display_name:
            await self._c.execute(
                update(users).where(users.c.id == row.id).values(display_name=display_name)
            )
        return UserRecord(
            id=row.id,
            display_name=display_name,
            timezone=row.timezone,
            level=Level(row.level) if row.level else None,
        )

    async def set_timezone(self, user_id: int, timezone: str | None) -> None:
        await self._c.execute(update(users).where(users.c.id == user_id).values(timezone=timezone))

    async def reminder_candidates(self) -> list[ReminderCandidate]:
        """People who asked for reminders, with the zone of the channel they last graded in."""
        channel_zone = (
            select(subscriptions.c.timezone)
            .select_from(
                attempts.join(
                    subscriptions,
                    (subscriptions.c.channel_id == attempts.c.channel_id)
                    & (subscriptions.c.pack_id == attempts.c.pack_id),
                )
            )
            .where(attempts.c.user_id == users.c.id)
            .order_by(attempts.c.graded_at.desc())
            .limit(1)
            .scalar_subquery()
        )
        rows = await self._c.execute(
            select(
                users.c.id,
                users.c.platform,
                users.c.platform_user_id,
                users.c.timezone,
                users.c.reminded_on,
                channel_zone.label("channel_timezone"),
            ).where(users.c.remind.is_(True))
        )
        return [
            ReminderCandidate(
                r.id,
                r.platform,
                r.platform_user_id,
                r.timezone or r.channel_timezone or "UTC",
                r.reminded_on,
            )
            for r in rows
        ]

    async def claim_reminder(self, user_id: int, today: date) -> bool:
        """True for the one caller that sends today's reminder to this person."""
        result = await self._c.execute(
            update(users)
            .where(
                users.c.id == user_id,
                (users.c.reminded_on.is_(None)) | (users.c.reminded_on != today),
            )
            .values(reminded_on=today)
        )
        return bool(result.rowcount)

    async def release_reminder(self, user_id: int, previous: date | None) -> None:
        await self._c.execute(
            update(users).where(users.c.id == user_id).values(reminded_on=previous)
        )

    async def set_remind(self, user_id: int, on: bool) -> None:
        await self._c.execute(update(users).where(users.c.id == user_id).values(remind=on))

    async def set_level(self, user_id: int, level: Level | None) -> None:
        await self._c.execute(
            update(users).where(users.c.id == user_id).values(level=level.value if level else None)
        )


class ChannelRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get_or_create(
        self, platform: str, platform_channel_id: str, name: str, now: datetime
    ) -> int:
        await insert_ignore(
            self._c,
            channels,
            {
                "platform": platform,
                "platform_channel_id": platform_channel_id,
                "name": name,
                "created_at": now,
            },
            ["platform", "platform_channel_id"],
        )
        channel_id = await self.find(platform, platform_channel_id)
        assert channel_id is not None
        return channel_id

    async def find(self, platform: str, platform_channel_id: str) -> int | None:
        result = await self._c.execute(
            select(channels.c.id).where(
                channels.c.platform == platform,
                channels.c.platform_channel_id == platform_channel_id,
            )
        )
        return result.scalar_one_or_none()


class ExposureRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    def _key(self, user_id: int, ref: QuestionRef) -> dict[str, object]:
        return {"user_id": user_id, "pack_id": ref.pack_id, "question_id": ref.question_id}

    async def mark_asked(self, user_id: int, ref: QuestionRef, now: datetime) -> None:
        await upsert(
            self._c,
            exposures,
            {**self._key(user_id, ref), "asked_at": now},
            ["user_id", "pack_id", "question_id"],
            {"asked_at": now},
        )

    async def mark_revealed(self, user_id: int, ref: QuestionRef, now: datetime) -> None:
        await upsert(
            self._c,
            exposures,
            {**self._key(user_id, ref), "revealed_at": now},
            ["user_id", "pack_id", "question_id"],
            {"revealed_at": now, "graded_at": None},
        )

    async def get(self, user_id: int, ref: QuestionRef) -> Exposure | None:
        row = (
            await self._c.execute(
                select(exposures.c.asked_at, exposures.c.revealed_at, exposures.c.graded_at).where(
                    exposures.c.user_id == user_id,
                    exposures.c.pack_id == ref.pack_id,
                    exposures.c.question_id == ref.question_id,
                )
            )
        ).one_or_none()
        return Exposure(row.asked_at, row.revealed_at, row.graded_at) if row else None

    async def claim_grade(self, user_id: int, ref: QuestionRef, now: datetime) -> bool:
        """Mark the latest reveal as graded; False if there is none left to grade.

        A reveal clears `graded_at`; the condition sits in the UPDATE itself, so a double
        click grades once.
        """
        result = await self._c.execute(
            update(exposures)
            .where(
                exposures.c.user_id == user_id,
                exposures.c.pack_id == ref.pack_id,
                exposures.c.question_id == ref.question_id,
                exposures.c.revealed_at.is_not(None),
                exposures.c.graded_at.is_(None),
            )
            .values(graded_at=now)
        )
        return bool(result.rowcount)

    async def seen(self, user_id: int, pack_id: str) -> set[str]:
        result = await self._c.execute(
            select(exposures.c.question_id).where(
                exposures.c.user_id == user_id, exposures.c.pack_id == pack_id
            )
        )
        return set(result.scalars())

    async def last_asked(self, user_id: int, pack_id: str) -> str | None:
        result = await self._c.execute(
            select(exposures.c.question_id)
            .where(
                exposures.c.user_id == user_id,
                exposures.c.pack_id == pack_id,
                exposures.c.asked_at.is_not(None),
            )
            .order_by(exposures.c.asked_at.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()


class AttemptRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def add(
        self,
        user_id: int,
        ref: QuestionRef,
        grade: Grade,
        now: datetime,
        local_date: date,
        channel_id: int | None,
        post_id: int | None = None,
    ) -> None:
        await self._c.execute(
            attempts.insert().values(
                user_id=user_id,
                pack_id=ref.pack_id,
                question_id=ref.question_id,
                grade=grade.value,
                graded_at=now,
                local_date=local_date,
                channel_id=channel_id,
                post_id=post_id,
            )
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


class ReviewRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def card(self, user_id: int, ref: QuestionRef) -> str | None:
        result = await self._c.execute(
            select(review_states.c.card_json).where(
                review_states.c.user_id == user_id,
                review_states.c.pack_id == ref.pack_id,
                review_states.c.question_id == ref.question_id,
            )
        )
        return result.scalar_one_or_none()

    async def save(
        self, user_id: int, ref: QuestionRef, card_json: str, due: datetime, now: datetime
    ) -> None:
        await upsert(
            self._c,
            review_states,
            {
                "user_id": user_id,
                "pack_id": ref.pack_id,
                "question_id": ref.question_id,
                "card_json": card_json,
                "due": due,
                "updated_at": now,
            },
            ["user_id", "pack_id", "question_id"],
            {"card_json": card_json, "due": due, "updated_at": now},
        )

    async def due(self, user_id: int, pack_id: str, now: datetime) -> list[DueReview]:
        """Reviews due by `now`, most overdue first."""
        result = await self._c.execute(
            select(review_states.c.question_id, review_states.c.due)
            .where(
                review_states.c.user_id == user_id,
                review_states.c.pack_id == pack_id,
                review_states.c.due <= now,
            )
            .order_by(review_states.c.due, review_states.c.question_id)
        )
        return [DueReview(r.question_id, r.due) for r in result]

    async def next_due(self, user_id: int, pack_id: str) -> datetime | None:
        result = await self._c.execute(
            select(func.min(review_states.c.due)).where(
                review_states.c.user_id == user_id, review_states.c.pack_id == pack_id
            )
        )
        value: datetime | None = result.scalar_one_or_none()
        return value
