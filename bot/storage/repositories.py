"""Repositories: the only place that knows table and column names."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import and_, bindparam, case, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.content import Level, QuestionRef
from bot.domain.grades import Grade
from bot.domain.progress import (
    DueReview,
    Exposure,
    GradeCount,
    LeaderRow,
    NewAttempt,
    ReminderCandidate,
    SavedCard,
    UserRecord,
)
from bot.storage.schema import attempts, channels, exposures, review_states, subscriptions, users
from bot.storage.upsert import chunked, insert_ignore_many, upsert_many


class UserRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def get_or_create(
        self, platform: str, platform_user_id: str, display_name: str, now: datetime
    ) -> UserRecord:
        """One row per platform identity; the display name follows the platform's latest."""
        found = await self.get_or_create_many([(platform, platform_user_id, display_name)], now)
        return found[(platform, platform_user_id)]

    async def get_or_create_many(
        self, people: Sequence[tuple[str, str, str]], now: datetime
    ) -> dict[tuple[str, str], UserRecord]:
        """(platform, user id, display name) triples in a few statements, whatever their number."""
        names = {(platform, user_id): name for platform, user_id, name in people}
        found = await self.find_many(list(names))
        missing = [key for key in names if key not in found]
        if missing:
            await insert_ignore_many(
                self._c,
                users,
                [
                    {
                        "platform": platform,
                        "platform_user_id": user_id,
                        "display_name": names[(platform, user_id)],
                        "created_at": now,
                    }
                    for platform, user_id in missing
                ],
                ["platform", "platform_user_id"],
            )
            found.update(await self.find_many(missing))
        renamed = [
            {"row_id": found[key].id, "new_name": name}
            for key, name in names.items()
            if found[key].display_name != name
        ]
        if renamed:
            await self._c.execute(
                update(users)
                .where(users.c.id == bindparam("row_id"))
                .values(display_name=bindparam("new_name")),
                renamed,
            )
        return {key: replace(found[key], display_name=name) for key, name in names.items()}

    async def find_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], UserRecord]:
        """The stored people among (platform, user id) pairs; nobody is created."""
        found: dict[tuple[str, str], UserRecord] = {}
        for part in chunked(keys):
            rows = await self._c.execute(
                select(
                    users.c.id,
                    users.c.platform,
                    users.c.platform_user_id,
                    users.c.display_name,
                    users.c.timezone,
                    users.c.level,
                ).where(tuple_(users.c.platform, users.c.platform_user_id).in_(part))
            )
            for row in rows:
                found[(row.platform, row.platform_user_id)] = UserRecord(
                    id=row.id,
                    display_name=row.display_name,
                    timezone=row.timezone,
                    level=Level(row.level) if row.level else None,
                )
        return found

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

    async def reminds(self, user_id: int) -> bool:
        result = await self._c.execute(select(users.c.remind).where(users.c.id == user_id))
        return bool(result.scalar_one_or_none())

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
        found = await self.get_or_create_many([(platform, platform_channel_id, name)], now)
        return found[(platform, platform_channel_id)]

    async def get_or_create_many(
        self, places: Sequence[tuple[str, str, str]], now: datetime
    ) -> dict[tuple[str, str], int]:
        """Row ids of (platform, channel id, name) triples, creating the ones not seen before."""
        names = {(platform, channel_id): name for platform, channel_id, name in places}
        found = await self._find_many(list(names))
        missing = [key for key in names if key not in found]
        if missing:
            await insert_ignore_many(
                self._c,
                channels,
                [
                    {
                        "platform": platform,
                        "platform_channel_id": channel_id,
                        "name": names[(platform, channel_id)],
                        "created_at": now,
                    }
                    for platform, channel_id in missing
                ],
                ["platform", "platform_channel_id"],
            )
            found.update(await self._find_many(missing))
        return found

    async def _find_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for part in chunked(keys):
            rows = await self._c.execute(
                select(channels.c.id, channels.c.platform, channels.c.platform_channel_id).where(
                    tuple_(channels.c.platform, channels.c.platform_channel_id).in_(part)
                )
            )
            found.update({(r.platform, r.platform_channel_id): r.id for r in rows})
        return found

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

    async def mark_shown(
        self, shown: Sequence[tuple[int, QuestionRef, datetime]], *, revealed: bool
    ) -> None:
        """(user row id, question, when) for each; a reveal also reopens grading."""
        column = "revealed_at" if revealed else "asked_at"
        await upsert_many(
            self._c,
            exposures,
            [
                {
                    "user_id": user_id,
                    "pack_id": ref.pack_id,
                    "question_id": ref.question_id,
                    column: at,
                    "graded_at": None,
                }
                for user_id, ref, at in shown
            ],
            ["user_id", "pack_id", "question_id"],
            [column, "graded_at"] if revealed else [column],
        )

    async def get_many(
        self, keys: Collection[tuple[int, QuestionRef]], *, for_update: bool = False
    ) -> dict[tuple[int, QuestionRef], Exposure]:
        """Exposures by (user row id, question); `for_update` locks them on PostgreSQL (a
        SQLite writer already holds the whole database)."""
        ordered = sorted(set(keys), key=lambda k: (k[0], k[1].pack_id, k[1].question_id))
        found: dict[tuple[int, QuestionRef], Exposure] = {}
        for part in chunked(ordered):
            query = (
                select(
                    exposures.c.user_id,
                    exposures.c.pack_id,
                    exposures.c.question_id,
                    exposures.c.asked_at,
                    exposures.c.revealed_at,
                    exposures.c.graded_at,
                )
                .where(
                    tuple_(exposures.c.user_id, exposures.c.pack_id, exposures.c.question_id).in_(
                        [(user_id, ref.pack_id, ref.question_id) for user_id, ref in part]
                    )
                )
                .order_by(exposures.c.user_id, exposures.c.pack_id, exposures.c.question_id)
            )
            if for_update:
                query = query.with_for_update()
            for r in await self._c.execute(query):
                key = (r.user_id, QuestionRef(r.pack_id, r.question_id))
                found[key] = Exposure(r.asked_at, r.revealed_at, r.graded_at)
        return found

    async def mark_graded(self, graded: Sequence[tuple[int, QuestionRef, datetime]]) -> None:
        """Close the latest reveal of each (user row id, question) at the time given.

        The caller read them under lock and found them open; the condition stays in the UPDATE
        as well, so a reveal is never graded twice.
        """
        if not graded:
            return
        await self._c.execute(
            update(exposures)
            .where(
                exposures.c.user_id == bindparam("key_user"),
                exposures.c.pack_id == bindparam("key_pack"),
                exposures.c.question_id == bindparam("key_question"),
                exposures.c.revealed_at.is_not(None),
                exposures.c.graded_at.is_(None),
            )
            .values(graded_at=bindparam("at")),
            [
                {
                    "key_user": user_id,
                    "key_pack": ref.pack_id,
                    "key_question": ref.question_id,
                    "at": at,
                }
                for user_id, ref, at in graded
            ],
        )

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

    async def cards(
        self, keys: Collection[tuple[int, QuestionRef]]
    ) -> dict[tuple[int, QuestionRef], str]:
        """Stored fsrs cards as JSON, by (user row id, question); new questions are absent."""
        found: dict[tuple[int, QuestionRef], str] = {}
        for part in chunked(list(set(keys))):
            rows = await self._c.execute(
                select(
                    review_states.c.user_id,
                    review_states.c.pack_id,
                    review_states.c.question_id,
                    review_states.c.card_json,
                ).where(
                    tuple_(
                        review_states.c.user_id,
                        review_states.c.pack_id,
                        review_states.c.question_id,
                    ).in_([(user_id, ref.pack_id, ref.question_id) for user_id, ref in part])
                )
            )
            for r in rows:
                found[(r.user_id, QuestionRef(r.pack_id, r.question_id))] = r.card_json
        return found

    async def save(self, saved: Sequence[SavedCard]) -> None:
        await upsert_many(
            self._c,
            review_states,
            [
                {
                    "user_id": c.user_id,
                    "pack_id": c.ref.pack_id,
                    "question_id": c.ref.question_id,
                    "card_json": c.card_json,
                    "due": c.due,
                    "updated_at": c.reviewed_at,
                }
                for c in saved
            ],
            ["user_id", "pack_id", "question_id"],
            ["card_json", "due", "updated_at"],
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
