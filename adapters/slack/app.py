"""Build the Slack side: Web API client with retry handlers, the Bolt app, the posting port."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import listeners
from adapters.slack.identity import SlackIdentity
from adapters.slack.posting import SlackPostingPort
from bot.config import Settings
from bot.daily.pacing import Pacer
from bot.quizbot import Quizbot

RATE_LIMIT_RETRIES = 3


@dataclass(frozen=True)
class SlackParts:
    client: AsyncWebClient
    port: SlackPostingPort

    async def aclose(self) -> None:
        if self.client.session is not None:
            await self.client.session.close()


def make_client(settings: Settings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """Every Web API call, `respond()` aside, goes to SLACK_API_URL with 429s retried.

    Without a `session`, slack_sdk opens a new HTTP session, and connection, for every call;
    `open_parts` passes one that keeps connections alive, which doubled the posting rate.
    """
    assert settings.slack_bot_token is not None
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        session=session,
        logger=_web_logger(),
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
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


async def open_parts(settings: Settings) -> SlackParts:
    """The Web API client and posting port, sharing one HTTP session; close with `aclose`."""
    client = make_client(settings, aiohttp.ClientSession())
    limit = settings.slack_rate_limit
    return SlackParts(client, SlackPostingPort(client, Pacer(limit) if limit else None))


def make_app(settings: Settings, quizbot: Quizbot, parts: SlackParts) -> AsyncApp:
    signing_secret = settings.slack_signing_secret
    app = AsyncApp(
        client=parts.client,
        signing_secret=signing_secret.get_secret_value() if signing_secret else None,
        request_verification_enabled=not settings.slack_socket_mode,
    )
    listeners.register(app, quizbot, SlackIdentity(parts.client, settings.admin_ids))
    return app
