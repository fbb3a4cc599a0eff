"""Before serving Slack: are our tokens good, and can we reach Slack at all?

A token Slack refuses ends `quizbot run` with one line naming the setting; Slack being out of
reach is waited out (one log line per attempt), and the caller can cancel the wait at any time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.web.async_client import AsyncWebClient

from adapters.credentials import CredentialRejected
from adapters.reaching import Unreachable, until_reachable
from bot.domain.context import WorkspaceRef

T = TypeVar("T")

# Slack's answers that mean the token itself is no good (auth.test, apps.connections.open).
TOKEN_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "no_permission",
        "team_access_not_granted",
    }
)


async def check_bot_token(
    client: AsyncWebClient, *, attempts: int | None = None
) -> WorkspaceRef | None:
    """`auth.test` with SLACK_BOT_TOKEN: the workspace the token speaks for. `attempts`: give
    up after that many (a cron job); None waits for Slack as long as it takes (a server,
    which can be stopped meanwhile)."""
    answer = await _until_reachable(lambda: client.auth_test(), "SLACK_BOT_TOKEN", attempts)
    team_id, enterprise_id = answer.get("team_id"), answer.get("enterprise_id")
    if not team_id and not enterprise_id:
        return None
    return WorkspaceRef(team_id or None, enterprise_id or None)


async def issue_socket_url(socket: SocketModeClient) -> None:
    """Ask for the Socket Mode URL with SLACK_APP_TOKEN before connecting: slack_sdk's own
    connect retries a refused token forever, with a traceback each time."""
    opened = await _until_reachable(
        lambda: socket.web_client.apps_connections_open(app_token=socket.app_token),
        "SLACK_APP_TOKEN",
        None,
    )
    socket.wss_uri = str(opened["url"])


async def _until_reachable(
    call: Callable[[], Awaitable[T]], setting: str, attempts: int | None
) -> T:
    async def attempt() -> T:
        try:
            return await call()
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            if error in TOKEN_ERRORS:
                raise CredentialRejected("Slack", setting, error) from None
            raise Unreachable(f"Slack answered {error or exc.response.status_code}") from None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise Unreachable(f"Slack is not reachable ({type(exc).__name__}: {exc})") from None

    return await until_reachable(attempt, attempts=attempts)
