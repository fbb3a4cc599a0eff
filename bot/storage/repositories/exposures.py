"""Which questions each person was shown or had revealed, and whether grading is open."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.content import QuestionRef
from bot.domain.progress import Exposure
from bot.storage.repositories.upsert import chunked, upsert_many
from bot.storage.schema import exposures


class ExposureRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def mark_shown(
        self, shown: Sequence[tuple[int, QuestionRef, datetime]], *, revealed: bool
    ) -> None:
        """(user row id, question, when) for each; a reveal also reopens grading, and a plain
        reveal forgets any answer written before an earlier one."""
        if not revealed:
            await self._upsert(
                [(user, ref, {"asked_at": at}) for user, ref, at in shown], ["asked_at"]
            )
            return
        await self._upsert(
            [(user, ref, _opened(at, None, None)) for user, ref, at in shown], _OPENED
        )

    async def mark_written(
        self, written: Sequence[tuple[int, QuestionRef, datetime, str, str]]
    ) -> None:
        """(user row id, question, when, answer, coverage): writing an answer reveals the model
        answer, so it opens grading like a reveal, and keeps what was written for the grade."""
        await self._upsert(
            [(user, ref, _opened(at, text, coverage)) for user, ref, at, text, coverage in written],
            _OPENED,
        )

    async def _upsert(
        self, rows: Sequence[tuple[int, QuestionRef, dict[str, Any]]], updated: Sequence[str]
    ) -> None:
        await upsert_many(
            self._c,
            exposures,
            [
                {"user_id": user, "pack_id": ref.pack_id, "question_id": ref.question_id, **values}
                for user, ref, values in rows
            ],
            ["user_id", "pack_id", "question_id"],
            updated,
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
                    exposures.c.written_answer,
                    exposures.c.coverage,
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
                found[key] = Exposure(
                    r.asked_at, r.revealed_at, r.graded_at, r.written_answer, r.coverage
                )
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


# What opening a reveal sets: when, grading open again, and what was written for it (if any).
_OPENED = ("revealed_at", "graded_at", "written_answer", "coverage")


def _opened(at: datetime, text: str | None, coverage: str | None) -> dict[str, Any]:
    return {"revealed_at": at, "graded_at": None, "written_answer": text, "coverage": coverage}
