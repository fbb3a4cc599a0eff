"""Mock interviews: one row each, its questions and their outcomes as a JSON list."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.content import Level
from bot.domain.grades import Grade
from bot.domain.mock import MockInterview, MockItem, MockState
from bot.storage.schema import mock_interviews


class MockRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def create(
        self,
        user_id: int,
        pack_id: str,
        level: Level | None,
        items: tuple[MockItem, ...],
        now: datetime,
    ) -> MockInterview:
        result = await self._c.execute(
            mock_interviews.insert().values(
                user_id=user_id,
                pack_id=pack_id,
                level=level.value if level else None,
                state=MockState.ACTIVE.value,
                items=_dump(items),
                started_at=now,
                last_activity_at=now,
            )
        )
        (mock_id,) = result.inserted_primary_key or (None,)
        assert mock_id is not None
        return MockInterview(mock_id, user_id, pack_id, level, items, now, now)

    async def get(self, mock_id: int, *, for_update: bool = False) -> MockInterview | None:
        query = select(mock_interviews).where(mock_interviews.c.id == mock_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._c.execute(query)).one_or_none()
        return _mock(row) if row else None

    async def active(
        self, user_id: int, pack_id: str, *, for_update: bool = False
    ) -> MockInterview | None:
        """The person's latest mock still in progress in this pack, if any."""
        query = (
            select(mock_interviews)
            .where(
                mock_interviews.c.user_id == user_id,
                mock_interviews.c.pack_id == pack_id,
                mock_interviews.c.state == MockState.ACTIVE.value,
            )
            .order_by(mock_interviews.c.id.desc())
            .limit(1)
        )
        if for_update:
            query = query.with_for_update()
        row = (await self._c.execute(query)).one_or_none()
        return _mock(row) if row else None

    async def save(self, mock: MockInterview) -> None:
        await self._c.execute(
            update(mock_interviews)
            .where(mock_interviews.c.id == mock.id)
            .values(
                state=mock.state.value,
                items=_dump(mock.items),
                last_activity_at=mock.last_activity_at,
            )
        )

    async def end_active(self, user_id: int, pack_id: str, now: datetime) -> int:
        """End whatever mock is in progress (a new one replaces it); how many were ended."""
        result = await self._c.execute(
            update(mock_interviews)
            .where(
                mock_interviews.c.user_id == user_id,
                mock_interviews.c.pack_id == pack_id,
                mock_interviews.c.state == MockState.ACTIVE.value,
            )
            .values(state=MockState.ENDED.value, last_activity_at=now)
        )
        return result.rowcount


def _dump(items: tuple[MockItem, ...]) -> str:
    return json.dumps([_item_json(item) for item in items], separators=(",", ":"))


def _item_json(item: MockItem) -> dict[str, Any]:
    return {
        "question": item.question_id,
        "shown_at": item.shown_at.isoformat() if item.shown_at else None,
        "answered_at": item.answered_at.isoformat() if item.answered_at else None,
        "coverage": item.coverage,
        "grade": item.grade.value if item.grade else None,
        "skipped": item.skipped,
    }


def _item(data: dict[str, Any]) -> MockItem:
    return MockItem(
        question_id=data["question"],
        shown_at=_when(data.get("shown_at")),
        answered_at=_when(data.get("answered_at")),
        coverage=data.get("coverage"),
        grade=Grade(data["grade"]) if data.get("grade") else None,
        skipped=bool(data.get("skipped")),
    )


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _mock(row: Row[Any]) -> MockInterview:
    return MockInterview(
        id=row.id,
        user_id=row.user_id,
        pack_id=row.pack_id,
        level=Level(row.level) if row.level else None,
        items=tuple(_item(data) for data in json.loads(row._mapping["items"])),
        started_at=row.started_at,
        last_activity_at=row.last_activity_at,
        state=MockState(row.state),
    )
