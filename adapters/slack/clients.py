"""The Web API client that speaks for a workspace: its bot token (from `BotTokens`), and one
client per token, all over the process's one HTTP session.

What Quizbot sends on its own initiative (daily posts, reveals, reminders, Home refreshes)
goes through here with the token of the channel's or the person's workspace. A workspace
with no token, or whose token Slack refuses (`LOST_TOKEN_ERRORS`), is reported to the core
as `WorkspaceUnavailable`, which pauses it rather than trying again.

Tokens found are remembered for a minute. A refused token is forgotten at once and the work
tried once more if the workspace has another token by then: it may have installed the app
again (a new token) since this process last asked.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.workspaces import BotTokens, Workspace
from bot.daily.ports import WorkspaceUnavailable
from bot.domain.context import WorkspaceRef

T = TypeVar("T")

# Slack's answers that mean this workspace's installation is gone, not that one call failed:
# the app was uninstalled or its token revoked, or the workspace itself was deleted.
LOST_TOKEN_ERRORS = frozenset({"invalid_auth", "token_revoked", "account_inactive", "not_authed"})
NO_TOKEN = "no bot token installed"
# A token found is trusted this long before `BotTokens` is asked again (a reinstall issues a
# new one; a refused one is forgotten at once).
TOKEN_SECONDS = 60.0


def workspace_of(ref: WorkspaceRef | None) -> Workspace:
    """The core's opaque workspace as Slack's team and Enterprise Grid org ids."""
    if ref is None:
        return Workspace(None, None)
    return Workspace(ref.workspace_id, ref.enterprise_id)


def ref_of(workspace: Workspace) -> WorkspaceRef | None:
    """Slack's team and org ids as the core stores them (None when Slack named neither)."""
    if workspace.team_id is None and workspace.enterprise_id is None:
        return None
    return WorkspaceRef(workspace.team_id, workspace.enterprise_id)


def refused_token(exc: BaseException) -> str | None:
    """Slack's error when it refused the token itself (the installation is gone), else None."""
    if isinstance(exc, SlackApiError):
        error = str(exc.response.get("error", ""))
        if error in LOST_TOKEN_ERRORS:
            return error
    return None


class SlackClients:
    """One client per bot token, made on first use by `make` (which shares the session)."""

    def __init__(self, make: Callable[[str], AsyncWebClient]) -> None:
        self._make = make
        self._clients: dict[str, AsyncWebClient] = {}

    def for_token(self, token: str) -> AsyncWebClient:
        client = self._clients.get(token)
        if client is None:
            client = self._clients[token] = self._make(token)
        return client


class CachedTokens:
    """`BotTokens` asked at most once a minute per workspace for a token it found.

    An Enterprise Grid organisation may have installed the app once for all its teams
    (an org-wide install): a team with no installation of its own falls back to its org's.
    """

    def __init__(
        self,
        tokens: BotTokens,
        *,
        seconds: float = TOKEN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._tokens = tokens
        self._seconds = seconds
        self._clock = clock
        self._found: dict[Workspace, tuple[float, str]] = {}

    async def token_for(self, workspace: Workspace) -> str | None:
        cached = self._found.get(workspace)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        token = await self._tokens.token_for(workspace)
        if token is None and workspace.team_id and workspace.enterprise_id:
            token = await self._tokens.token_for(Workspace(None, workspace.enterprise_id))
        if token is None:
            self._found.pop(workspace, None)
            return None
        self._found[workspace] = (self._clock() + self._seconds, token)
        return token

    def forget(self, workspace: Workspace) -> None:
        self._found.pop(workspace, None)


class WorkspaceClients:
    """The client for a workspace's token; `WorkspaceUnavailable` when it has none."""

    def __init__(self, tokens: CachedTokens, clients: SlackClients) -> None:
        self._tokens = tokens
        self._clients = clients

    async def client_for(self, ref: WorkspaceRef | None) -> AsyncWebClient:
        token = await self._tokens.token_for(workspace_of(ref))
        if token is None:
            raise WorkspaceUnavailable(ref, NO_TOKEN)
        return self._clients.for_token(token)

    async def call(
        self, ref: WorkspaceRef | None, work: Callable[[AsyncWebClient], Awaitable[T]]
    ) -> T:
        """`work` with the workspace's client. If Slack refuses its token, once more with the
        workspace's token of now if that is another one; WorkspaceUnavailable when there is
        none that works. `work` must be safe to repeat after Slack refused a call of it (a
        refused call did nothing)."""
        client = await self.client_for(ref)
        try:
            return await work(client)
        except SlackApiError as exc:
            error = refused_token(exc)
            if error is None:
                raise
            replacement = await self._replacement(ref, client)
            if replacement is None:
                raise WorkspaceUnavailable(ref, error) from exc
        try:
            return await work(replacement)
        except SlackApiError as exc:
            error = refused_token(exc)
            if error is None:
                raise
            self._tokens.forget(workspace_of(ref))
            raise WorkspaceUnavailable(ref, error) from exc

    async def _replacement(
        self, ref: WorkspaceRef | None, refused: AsyncWebClient
    ) -> AsyncWebClient | None:
        workspace = workspace_of(ref)
        self._tokens.forget(workspace)
        token = await self._tokens.token_for(workspace)
        if token is None or token == refused.token:
            return None
        return self._clients.for_token(token)
