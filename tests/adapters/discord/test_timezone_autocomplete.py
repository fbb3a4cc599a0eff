"""The timezone options of `timezone` and `subscribe` suggest real zones as someone types."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.schedule import parse_timezone
from tests.adapters.discord.conftest import ADMIN, MEMBER, DiscordHarness
from tests.adapters.discord.standin import autocomplete

AUTOCOMPLETE = 8  # the interaction callback type that carries choices


async def suggested(
    discord_bot: DiscordHarness, sub: str, typed: str, who: dict[str, Any]
) -> list[str]:
    """The choices the bot answers for `typed` in the `timezone` option of `/mini-quiz sub`."""
    standin = discord_bot.standin
    before = len(standin.callbacks)
    payload = autocomplete("mini-quiz", sub, "timezone", typed, who, discord_bot.token())
    await standin.send_interaction(payload)
    await standin.wait_for(lambda: len(standin.callbacks) > before)
    callback = standin.callbacks[before]
    assert callback["type"] == AUTOCOMPLETE
    choices = callback["data"]["choices"]
    assert len(choices) <= 25
    assert all(choice["name"] == choice["value"] for choice in choices)
    names = [choice["value"] for choice in choices]
    assert all(parse_timezone(name) == name for name in names)  # each one is accepted as is
    return names


@pytest.mark.parametrize(("sub", "who"), [("timezone", MEMBER), ("subscribe", ADMIN)])
async def test_timezone_choices_start_with_what_was_typed(
    discord_bot: DiscordHarness, sub: str, who: dict[str, Any]
) -> None:
    america = await suggested(discord_bot, sub, "AMERICA/", who)
    assert len(america) == 25
    assert all(name.startswith("America/") for name in america)
    am = await suggested(discord_bot, sub, "am", who)
    assert len(am) == 25
    assert all(name.lower().startswith("am") for name in am)
    berlin = await suggested(discord_bot, sub, "europe/BER", who)
    assert berlin == ["Europe/Berlin"]
    assert len(await suggested(discord_bot, sub, "", who)) == 25


async def test_a_city_alone_finds_its_zone(discord_bot: DiscordHarness) -> None:
    assert (await suggested(discord_bot, "timezone", "berlin", MEMBER))[0] == "Europe/Berlin"
    assert "America/New_York" in await suggested(discord_bot, "timezone", "york", MEMBER)
    assert await suggested(discord_bot, "timezone", "utc", MEMBER) == ["UTC"]
    assert await suggested(discord_bot, "timezone", "Mars/Olympus", MEMBER) == []
