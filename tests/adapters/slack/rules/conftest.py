"""Tests of the stand-in's own rules run against a stand-in with no users, and call it with a
plain Web API client (this `standin` overrides the one of tests/adapters/slack/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import make_client
from bot.config import Settings
from tests.adapters.slack.standin import SlackStandIn


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    server = SlackStandIn()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def client(standin: SlackStandIn) -> AsyncWebClient:
    settings = Settings(
        _env_file=None, slack_bot_token=SecretStr("xoxb-test"), slack_api_url=standin.api_url
    )
    return make_client(settings)
