"""Build the Slack side: Web API clients with retry handlers, the Bolt app, the posting port.

Requests Slack sends in are answered with Bolt's client for the request's installation; what
Quizbot sends on its own goes out with the token of the workspace it is for, from `BotTokens`
(`SingleToken` when SLACK_BOT_TOKEN serves one workspace), one client per token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack import home_listeners, listeners, submissions, timeouts
from adapters.slack.clients import CachedTokens, SlackClients, WorkspaceClients
from adapters.slack.home import SlackHome
from adapters.slack.identity import SlackIdentity
from adapters.slack.installation_tokens import InstallationTokens
from adapters.slack.installs import SlackOAuth, installation_store
from adapters.slack.posting import SlackPostingPort
from adapters.slack.workspaces import BotTokens, SingleToken
from bot.config import Settings
from bot.daily.pacing import Pacer
from bot.quizbot import Quizbot
from bot.storage.engine import create_engine

RATE_LIMIT_RETRIES = 3

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackParts:
    client: AsyncWebClient  # the app's own (SLACK_BOT_TOKEN's, if set), which Bolt is given
    port: SlackPostingPort
    clients: WorkspaceClients  # per workspace, for outbound work besides posting
    engine: AsyncEngine | None = None  # where the OAuth installations are read, if anywhere

    async def aclose(self) -> None:
        if self.client.session is not None:
            await self.client.session.close()
        if self.engine is not None:
            await self.engine.dispose()


# Connection errors worth retrying blindly. A post is not one: a connection that broke after the
# request was written may have left the message in Slack, so posting retries only connections
# that were never made, and the poster looks up the rest (bot.daily.poster).
ANY_CONNECTION_ERROR: tuple[type[Exception], ...] = (
    aiohttp.ServerConnectionError,
    aiohttp.ServerDisconnectedError,
    aiohttp.ClientOSError,
)
NEVER_CONNECTED: tuple[type[Exception], ...] = (aiohttp.ClientConnectorError,)


def make_client(
    settings: Settings,
    session: aiohttp.ClientSession | None = None,
    *,
    retry_on: tuple[type[Exception], ...] = ANY_CONNECTION_ERROR,
    token: str | None = None,
) -> AsyncWebClient:
    """Every Web API call, `respond()` aside, goes to SLACK_API_URL with 429s retried, with
    `token` (by default SLACK_BOT_TOKEN, if set).

    Without a `session`, slack_sdk opens a new HTTP session, and connection, for every call;
    `open_parts` passes one that keeps connections alive, which doubled the posting rate.
    slack_sdk applies its `timeout` only to sessions it opens itself, so a shared session
    carries the same bound (`open_parts`).

    When workspaces install the app through OAuth there is no one token: the client has none,
    and Bolt gives each request's copy of it the token of the workspace the request came from.
    """
    if token is None and settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
    return AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        session=session,
        timeout=timeouts.SLACK_TIMEOUT_SECONDS,
        logger=_web_logger(),
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2, error_types=list(retry_on)),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def _web_logger() -> logging.Logger:
    """slack_sdk builds a debug line of every request body whenever its logger's own level is
    unset, printed or not; that cost a third of the CPU of posting. Pin the level in effect."""
    logger = logging.getLogger("slack_sdk.web.async_client")
    if logger.level == logging.NOTSET:
        logger.setLevel(logger.getEffectiveLevel())
    return logger


async def open_parts(settings: Settings, tokens: BotTokens | None = None) -> SlackParts:
    """The Web API clients and posting port, sharing one HTTP session; close with `aclose`.

    `tokens`: each workspace's bot token. By default SLACK_BOT_TOKEN for every workspace, or,
    with the OAuth settings, each workspace's installation, read on DATABASE_URL through an
    engine of these parts' own (they open before the runtime's; they only read). SLACK_RATE_LIMIT
    paces posting per installation (Slack counts its limits per workspace)."""
    engine = None
    if tokens is None and settings.slack_oauth:
        engine = create_engine(settings.database_url)
        tokens = InstallationTokens(installation_store(settings, engine))
    elif tokens is None:
        assert settings.slack_bot_token is not None
        tokens = SingleToken(settings.slack_bot_token.get_secret_value())
    session = aiohttp.ClientSession(timeout=timeouts.session_timeout())
    client = make_client(settings, session)
    cached = CachedTokens(tokens)

    def general(token: str) -> AsyncWebClient:
        return make_client(settings, session, token=token)

    def posting(token: str) -> AsyncWebClient:
        return make_client(settings, session, token=token, retry_on=NEVER_CONNECTED)

    limit = settings.slack_rate_limit
    port = SlackPostingPort(
        WorkspaceClients(cached, SlackClients(posting)),
        (lambda: Pacer(limit)) if limit else None,
    )
    return SlackParts(client, port, WorkspaceClients(cached, SlackClients(general)), engine)


class SlackApp(AsyncApp):
    """Bolt's app, plus the signing secret for the HTTP endpoint: Bolt parses a body before it
    checks the signature, so the endpoint checks first (see `adapters.slack.endpoint`)."""

    def __init__(self, *, signing_secret: str | None, **kwargs: Any) -> None:
        super().__init__(signing_secret=signing_secret, **kwargs)
        self.signing_secret = signing_secret
        self.home: SlackHome | None = None

    async def aclose(self) -> None:
        """Work the app started on its own (home refreshes) stops with it."""
        if self.home is not None:
            await self.home.aclose()


class _TokenAlsoInEnvironment(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and, since we hand it a client
    made with that same token, warns at every start that the token will be unused."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_BOLT_LOGGER = logging.getLogger("slack_bolt.AsyncApp")
_BOLT_LOGGER.addFilter(_TokenAlsoInEnvironment())


def make_app(
    settings: Settings,
    quizbot: Quizbot,
    parts: SlackParts,
    *,
    oauth: SlackOAuth | None = None,
    **bolt: Any,
) -> SlackApp:
    """One workspace with SLACK_BOT_TOKEN; with `oauth`, every workspace that installed it.
    `bolt`: more of Bolt's app options (tests authorise requests with an `authorize` hook)."""
    signing_secret = settings.slack_signing_secret
    app = SlackApp(
        client=parts.client,
        signing_secret=signing_secret.get_secret_value() if signing_secret else None,
        request_verification_enabled=not settings.slack_socket_mode,
        raise_error_for_unhandled_request=True,
        **(oauth.app_arguments() if oauth is not None else {}),
        **bolt,
    )
    app.error(_on_error)
    if oauth is not None:
        oauth.register(app)
    identity = SlackIdentity(parts.client, settings.admin_ids)
    listeners.register(app, quizbot, identity)
    submissions.register(app, quizbot, identity)
    app.home = SlackHome(parts.clients, quizbot, identity)
    quizbot.on_graded(app.home.graded)
    home_listeners.register(app, app.home)
    return app


async def _on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
    """Slack sends things Quizbot has no use for (another app's button, an event type we never
    asked for): acknowledge them quietly, as Slack expects, instead of Bolt's 404 and warning.
    Anything else is a bug, logged with its traceback; Bolt answers it with 500."""
    if isinstance(error, BoltUnhandledRequestError):
        log.debug("Nothing to do for a %s request; acknowledged", _kind(body))
        return BoltResponse(status=200, body="")
    log.error("Slack request failed", exc_info=error)
    return None


def _kind(body: dict[str, Any]) -> str:
    kind = body.get("type") or ("slash command" if "command" in body else "Slack")
    return str(kind)
