"""Spaced-repetition cards per person and question, and which ones are due."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.content import QuestionRef
from bot.domain.progress import DueReview, SavedCard
from bot.storage.repositories.upsert import chunked, upsert_many
from bot.storage.schema import review_states


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
