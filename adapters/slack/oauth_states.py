"""The OAuth `state` an install carries: issued once, spent once.

slack_sdk's SQLAlchemy state store reads a state and then deletes it; on PostgreSQL several
redirects carrying the same state at the same moment all read it before any delete lands, so
they all pass (5 of 8 on average when we tried). Here a state is spent by one
`DELETE … RETURNING`, which only one of them can win. Expired states are deleted whenever a
new one is issued, so installs that were never finished do not pile up.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore


class SingleUseStates(AsyncSQLAlchemyOAuthStateStore):
    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        c = self.oauth_states.c
        async with self.engine.begin() as connection:
            await connection.execute(self.oauth_states.delete().where(c.expire_at <= _now()))
        return str(await super().async_issue(*args, **kwargs))

    async def async_consume(self, state: str) -> bool:
        c = self.oauth_states.c
        spend = (
            self.oauth_states.delete().where(c.state == state, c.expire_at > _now()).returning(c.id)
        )
        async with self.engine.begin() as connection:
            return (await connection.execute(spend)).first() is not None


def _now() -> datetime | None:
    """What the store compares `expire_at` with: naive UTC, as it writes it."""
    return normalize_datetime_for_db(datetime.now(tz=UTC))
