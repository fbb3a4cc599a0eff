"""Daily posts: exactly-once claims with leases, reveals, and the team days they add up to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.content import QuestionRef
from bot.domain.streaks import TeamDay
from bot.domain.subscriptions import CLAIMED, POSTED, RELEASED, Post, PostClaim, SentPost
from bot.storage.repositories.upsert import chunked, insert_for
from bot.storage.schema import attempts, posts


def _post(row: Any, *, fate_unknown: bool = False) -> Post:
    return Post(
        id=row.id,
        channel_row_id=row.channel_id,
        pack_id=row.pack_id,
        local_date=row.local_date,
        question_id=row.question_id,
        state=row.state,
        message_id=row.platform_message_id,
        thread_id=row.platform_thread_id,
        revealed_at=row.revealed_at,
        claimed_at=row.claimed_at,
        fate_unknown=fate_unknown,
    )


class PostRepository:
    """Claims make posting exactly-once: a unique (channel, pack, local date) row per post."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def claim_many(
        self, wishes: Sequence[PostClaim], lease: timedelta
    ) -> dict[tuple[int, str, date], Post]:
        """The posts this caller now owns, by (channel, pack, date): fresh claims, or ones whose
        lease ran out. The first wish for a key wins. Fresh claims are one multi-row INSERT;
        taking over a lapsed lease is rarer and goes one conditional UPDATE at a time."""
        unique: dict[tuple[int, str, date], PostClaim] = {}
        for wish in wishes:
            unique.setdefault(wish.key, wish)
        if not unique:
            return {}
        inserted = await self._c.execute(
            insert_for(self._c, posts)
            .on_conflict_do_nothing(index_elements=["channel_id", "pack_id", "local_date"])
            .returning(posts.c.id, posts.c.channel_id, posts.c.pack_id, posts.c.local_date),
            [
                {
                    "channel_id": w.channel_row_id,
                    "pack_id": w.pack_id,
                    "local_date": w.local_date,
                    "question_id": w.question_id,
                    "state": CLAIMED,
                    "lease_until": w.now + lease,
                    "tries": 1,
                    "claimed_at": w.now,
                }
                for w in unique.values()
            ],
        )
        owned: dict[tuple[int, str, date], Post] = {}
        for r in inserted:
            key = (r.channel_id, r.pack_id, r.local_date)
            owned[key] = Post(
                r.id, *key, unique[key].question_id, CLAIMED, None, None, None, unique[key].now
            )
        for key, wish in unique.items():
            if key not in owned and (taken := await self._take_over(wish, lease)) is not None:
                owned[key] = taken
        return owned

    async def _take_over(self, wish: PostClaim, lease: timedelta) -> Post | None:
        """A released claim is known not to have been sent. A lapsed one is not known either
        way: its holder may have died after the platform accepted the message."""
        for state in (RELEASED, CLAIMED):
            taken = await self._c.execute(
                update(posts)
                .where(
                    posts.c.channel_id == wish.channel_row_id,
                    posts.c.pack_id == wish.pack_id,
                    posts.c.local_date == wish.local_date,
                    posts.c.state == state,
                    posts.c.lease_until <= wish.now,
                )
                .values(state=CLAIMED, lease_until=wish.now + lease, tries=posts.c.tries + 1)
                .returning(*posts.c)
            )
            row = taken.one_or_none()
            if row is not None:
                return _post(row, fate_unknown=state == CLAIMED)
        return None

    async def settled(self, local_dates: set[date], now: datetime) -> set[tuple[int, str, date]]:
        """(channel, pack, date) of posts sent, or held under a live lease: nothing to claim."""
        if not local_dates:
            return set()
        rows = await self._c.execute(
            select(posts.c.channel_id, posts.c.pack_id, posts.c.local_date).where(
                posts.c.local_date.in_(sorted(local_dates)),
                (posts.c.state == POSTED) | (posts.c.lease_until > now),
            )
        )
        return {(r.channel_id, r.pack_id, r.local_date) for r in rows}

    async def mark_posted(self, sent: Sequence[SentPost]) -> None:
        if not sent:
            return
        await self._c.execute(
            update(posts)
            .where(posts.c.id == bindparam("post_row_id"))
            .values(
                state=POSTED,
                lease_until=None,
                platform_message_id=bindparam("message_id"),
                platform_thread_id=bindparam("thread_id"),
                posted_at=bindparam("at"),
            ),
            [
                {
                    "post_row_id": s.post_id,
                    "message_id": s.message_id,
                    "thread_id": s.thread_id,
                    "at": s.posted_at,
                }
                for s in sent
            ],
        )

    async def release(self, post_ids: Collection[int], retry_at: datetime) -> None:
        """These claims were not sent (the platform refused, or we stopped before sending):
        the first run after `retry_at` sends them without looking for them first."""
        await self._set_lease(post_ids, retry_at, RELEASED)

    async def release_uncertain(self, post_ids: Collection[int], retry_at: datetime) -> None:
        """These may have been sent: the run that takes them over looks for them first."""
        await self._set_lease(post_ids, retry_at, CLAIMED)

    async def _set_lease(self, post_ids: Collection[int], until: datetime, state: str) -> None:
        for part in chunked(sorted(post_ids)):
            await self._c.execute(
                update(posts)
                .where(posts.c.id.in_(part), posts.c.state == CLAIMED)
                .values(state=state, lease_until=until)
            )

    async def question_counts(
        self, channels_and_packs: Collection[tuple[int, str]]
    ) -> dict[tuple[int, str], Counter[str]]:
        """How often each question was posted, per (channel row id, pack id); every pair asked
        for is in the answer, with an empty Counter when nothing was posted yet."""
        counts: dict[tuple[int, str], Counter[str]] = {
            pair: Counter() for pair in channels_and_packs
        }
        for part in chunked(list(counts)):
            rows = await self._c.execute(
                select(posts.c.channel_id, posts.c.pack_id, posts.c.question_id, func.count())
                .where(tuple_(posts.c.channel_id, posts.c.pack_id).in_(part))
                .group_by(posts.c.channel_id, posts.c.pack_id, posts.c.question_id)
            )
            for channel_id, pack_id, question_id, n in rows:
                counts[(channel_id, pack_id)][question_id] = n
        return counts

    async def latest_posted(self, channel_row_id: int, pack_id: str) -> Post | None:
        row = (
            await self._c.execute(
                select(posts)
                .where(
                    posts.c.channel_id == channel_row_id,
                    posts.c.pack_id == pack_id,
                    posts.c.state == POSTED,
                )
                .order_by(posts.c.local_date.desc())
                .limit(1)
            )
        ).one_or_none()
        return _post(row) if row else None

    async def unrevealed_since(self, since: date) -> list[Post]:
        rows = await self._c.execute(
            select(posts).where(
                posts.c.state == POSTED,
                posts.c.revealed_at.is_(None),
                posts.c.local_date >= since,
            )
        )
        return [_post(r) for r in rows]

    async def claim_reveal(self, post_id: int, now: datetime) -> bool:
        """True for the one caller that gets to reveal this post publicly."""
        result = await self._c.execute(
            update(posts)
            .where(posts.c.id == post_id, posts.c.revealed_at.is_(None))
            .values(revealed_at=now)
        )
        return bool(result.rowcount)

    async def recent_with_questions(
        self, keys: Collection[tuple[int, QuestionRef]], since: date
    ) -> dict[tuple[int, QuestionRef], list[tuple[date, int]]]:
        """Daily posts of these questions in these channels since `since`, newest first, as
        (local date, post id): what lets a grade count for the post it answers."""
        found: dict[tuple[int, QuestionRef], list[tuple[date, int]]] = {}
        for part in chunked(list(set(keys))):
            rows = await self._c.execute(
                select(
                    posts.c.id,
                    posts.c.channel_id,
                    posts.c.pack_id,
                    posts.c.question_id,
                    posts.c.local_date,
                )
                .where(
                    tuple_(posts.c.channel_id, posts.c.pack_id, posts.c.question_id).in_(
                        [(channel_id, ref.pack_id, ref.question_id) for channel_id, ref in part]
                    ),
                    posts.c.state == POSTED,
                    posts.c.local_date >= since,
                )
                .order_by(posts.c.local_date.desc())
            )
            for r in rows:
                key = (r.channel_id, QuestionRef(r.pack_id, r.question_id))
                found.setdefault(key, []).append((r.local_date, r.id))
        return found

    async def team_days(self, channel_row_id: int, pack_id: str) -> list[TeamDay]:
        """Each daily post with the number of people who graded its question."""
        graders = func.count(func.distinct(attempts.c.user_id))
        rows = await self._c.execute(
            select(posts.c.local_date, graders)
            .select_from(posts.outerjoin(attempts, attempts.c.post_id == posts.c.id))
            .where(
                posts.c.channel_id == channel_row_id,
                posts.c.pack_id == pack_id,
                posts.c.state == POSTED,
            )
            .group_by(posts.c.id, posts.c.local_date)
        )
        return [TeamDay(day, n) for day, n in rows]

    async def unclaim_reveal(self, post_id: int) -> None:
        await self._c.execute(update(posts).where(posts.c.id == post_id).values(revealed_at=None))
