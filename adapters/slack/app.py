"""Build the Slack side: Web API client with retry handlers, the Bolt app, the posting port."""

from __future__ import annotations

from dataclasses import dataclass

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
from bot.quizbot import Quizbot

RATE_LIMIT_RETRIES = 3


@dataclass(frozen=True)
class SlackParts:
    client: AsyncWebClient
    port: SlackPostingPort


def make_client(settings: Settings) -> AsyncWebClient:
    """Every Web API call, `respond()` aside, goes to SLACK_API_URL with 429s retried."""
    assert settings.slack_bot_token is not None
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def make_parts(settings: Settings) -> SlackParts:
    client = make_client(settings)
    return SlackParts(client, SlackPostingPort(client))


def make_app(settings: Settings, quizbot: Quizbot, parts: SlackParts) -> AsyncApp:
    signing_secret = settings.slack_signing_secret
    app = AsyncApp(
        client=parts.client,
        signing_secret=signing_secret.get_secret_value() if signing_secret else None,
        request_verification_enabled=not settings.slack_socket_mode,
    )
    listeners.register(app, quizbot, SlackIdentity(parts.client, settings.admin_ids))
    return app
