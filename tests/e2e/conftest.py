"""Stand-ins for Slack and Discord that the `quizbot` processes under test talk to over loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.adapters.discord.standin import DiscordStandIn
from tests.adapters.slack.standin import SlackStandIn


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    server = SlackStandIn()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def discord() -> AsyncIterator[DiscordStandIn]:
    server = DiscordStandIn()
    await server.start()
    yield server
    await server.stop()
