"""Who is clicking, in the core's terms: display name, timezone, and whether they are an admin.

Admins are workspace admins and owners (from `users.info`) plus anyone in QUIZBOT_ADMINS.
Lookups are cached briefly so a busy channel does not spend its API budget on them. While
answering a request, the lookup goes out with that request's client: it carries the token of the
workspace the request came from (the one token, or that workspace's OAuth installation).
The person's workspace is handed on to the core with them.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.failures import SLACK_FAILURES, describe
from bot.domain.context import Actor, WorkspaceRef

PLATFORM = "slack"
CACHE_SECONDS = 300.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Profile:
    display_name: str
    timezone: str | None
    workspace_admin: bool


class SlackIdentity:
    def __init__(self, client: AsyncWebClient, admin_ids: frozenset[str]) -> None:
        self._client = client
        self._admin_ids = admin_ids
        self._cache: dict[str, tuple[float, _Profile]] = {}

    async def actor(
        self,
        user_id: str,
        fallback_name: str,
        *,
        client: AsyncWebClient | None = None,
        workspace: WorkspaceRef | None = None,
    ) -> Actor:
        """`client`: one with the token of the person's workspace (default: the app's)."""
        profile = await self._profile(user_id, fallback_name, client or self._client)
        return Actor(
            platform=PLATFORM,
            user_id=user_id,
            display_name=profile.display_name,
            is_admin=profile.workspace_admin or user_id in self._admin_ids,
            timezone=profile.timezone,
            workspace=workspace,
        )

    async def _profile(self, user_id: str, fallback_name: str, client: AsyncWebClient) -> _Profile:
        cached = self._cache.get(user_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            response = await client.users_info(user=user_id)
        except SLACK_FAILURES as exc:
            log.warning(
                "users.info failed for %s (%s); using the name Slack sent with the request",
                user_id,
                describe(exc),
            )
            return _Profile(fallback_name or user_id, None, False)
        user = response.get("user") or {}
        profile = user.get("profile") or {}
        found = _Profile(
            display_name=profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or fallback_name
            or user_id,
            timezone=user.get("tz"),
            workspace_admin=bool(user.get("is_admin") or user.get("is_owner")),
        )
        self._cache[user_id] = (time.monotonic() + CACHE_SECONDS, found)
        return found
