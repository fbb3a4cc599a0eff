"""Everything stored about one person: read out for export, removed for forget-me."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.schema import (
    attempts,
    channels,
    exposures,
    mock_interviews,
    review_states,
    users,
)


class PersonalDataRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._c = connection

    async def find_user(self, platform: str, platform_user_id: str) -> int | None:
        result = await self._c.execute(
            select(users.c.id).where(
                users.c.platform == platform, users.c.platform_user_id == platform_user_id
            )
        )
        return result.scalar_one_or_none()

    async def export(self, user_id: int) -> dict[str, Any]:
        profile = (await self._c.execute(select(users).where(users.c.id == user_id))).one()
        graded = await self._c.execute(
            select(
                attempts.c.pack_id,
                attempts.c.question_id,
                attempts.c.grade,
                attempts.c.graded_at,
                attempts.c.local_date,
                channels.c.platform_channel_id.label("channel"),
                attempts.c.written_answer,
                attempts.c.coverage.label("key_points_covered"),
            )
            .select_from(attempts.outerjoin(channels, channels.c.id == attempts.c.channel_id))
            .where(attempts.c.user_id == user_id)
            .order_by(attempts.c.graded_at, attempts.c.id)
        )
        reviews = await self._c.execute(
            select(
                review_states.c.pack_id,
                review_states.c.question_id,
                review_states.c.due,
                review_states.c.card_json,
            ).where(review_states.c.user_id == user_id)
        )
        seen = await self._c.execute(
            select(
                exposures.c.pack_id,
                exposures.c.question_id,
                exposures.c.asked_at,
                exposures.c.revealed_at,
                exposures.c.graded_at,
                exposures.c.written_answer,
                exposures.c.coverage.label("key_points_covered"),
            ).where(exposures.c.user_id == user_id)
        )
        mocks = await self._c.execute(
            select(
                mock_interviews.c.pack_id,
                mock_interviews.c.level,
                mock_interviews.c.state,
                mock_interviews.c.started_at,
                mock_interviews.c.last_activity_at,
                mock_interviews.c["items"],
            )
            .where(mock_interviews.c.user_id == user_id)
            .order_by(mock_interviews.c.id)
        )
        return {
            "profile": {
                "platform": profile.platform,
                "user_id": profile.platform_user_id,
                "display_name": profile.display_name,
                "timezone": profile.timezone,
                "level": profile.level,
                "remind": profile.remind,
                "created_at": profile.created_at,
                "workspace_id": profile.workspace_id,
                "enterprise_id": profile.enterprise_id,
            },
            "attempts": [dict(row._mapping) for row in graded],
            "reviews": [dict(row._mapping) for row in reviews],
            "questions_seen": [dict(row._mapping) for row in seen],
            "mock_interviews": [
                {**row._mapping, "items": json.loads(row._mapping["items"])} for row in mocks
            ],
        }

    async def delete(self, user_id: int) -> None:
        """Attempts, reviews and exposures go with the user (ON DELETE CASCADE)."""
        for table in (attempts, review_states, exposures, mock_interviews):
            await self._c.execute(delete(table).where(table.c.user_id == user_id))
        await self._c.execute(delete(users).where(users.c.id == user_id))
