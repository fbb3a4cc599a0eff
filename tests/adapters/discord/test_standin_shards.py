"""The Discord stand-in holds gateway sessions to Discord's sharding rules (sharding.py).

Bare websockets and plain HTTP, as any client would, so the rules are proven apart from the
bot that later runs against them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import WSMsgType

from tests.adapters.discord.sharding import Shard, guild_on_shard, shard_of
from tests.adapters.discord.standin import (
    CHANNEL_ID,
    GUILD_ID,
    DiscordStandIn,
    in_direct_message,
    in_guild,
    member,
    slash,
)

PERSON = member("700000000000000009", "cy")
SHARD0_GUILD = guild_on_shard(0, 2)
SHARD1_GUILD = guild_on_shard(1, 2)


@dataclass
class Session:
    """What one bare connection received after its IDENTIFY."""

    socket: aiohttp.ClientWebSocketResponse
    ready: dict[str, Any] | None = None
    guild_creates: list[dict[str, Any]] = field(default_factory=list)
    invalid_session: Any = None
    closed_with: int | None = None

    async def next_dispatch(self, seconds: float = 5) -> dict[str, Any]:
        while True:
            message = await self.socket.receive(timeout=seconds)
            assert message.type == WSMsgType.TEXT, message
            payload = message.json()
            if payload["op"] == 0:
                return dict(payload)


async def identify(
    http: aiohttp.ClientSession, standin: DiscordStandIn, shard: Any = None, guilds: int = 0
) -> Session:
    """Connect, IDENTIFY (with `shard` unless None) and read what Discord answers: READY and
    `guilds` GUILD_CREATEs, an Invalid Session, or a close."""
    socket = await http.ws_connect(standin.gateway_url)
    hello = await socket.receive_json()
    assert hello["op"] == 10
    body: dict[str, Any] = {"token": standin.bot_token, "intents": 1, "properties": {}}
    if shard is not None:
        body["shard"] = shard
    await socket.send_json({"op": 2, "d": body})
    session = Session(socket)
    message = await socket.receive(timeout=5)
    if message.type == WSMsgType.CLOSE:
        session.closed_with = message.data
        return session
    payload = message.json()
    if payload["op"] == 9:
        session.invalid_session = payload["d"]
        return session
    assert payload["t"] == "READY"
    session.ready = payload["d"]
    for _ in range(guilds):
        created = await session.next_dispatch()
        assert created["t"] == "GUILD_CREATE"
        session.guild_creates.append(created["d"])
    return session


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def two_shard_servers() -> AsyncIterator[DiscordStandIn]:
    """GUILD_ID and another guild on shard 0 of 2, two guilds on shard 1; identifies are
    not slowed down (their own rule is tested below)."""
    standin = DiscordStandIn(max_concurrency=16)
    standin.add_guild(SHARD0_GUILD, "310000000000000001")
    standin.add_guild(SHARD1_GUILD, "310000000000000002")
    standin.add_guild(guild_on_shard(1, 2, index=1), "310000000000000003")
    await standin.start()
    yield standin
    await standin.stop()


def test_the_default_limits_are_discords() -> None:
    standin = DiscordStandIn()
    assert (standin.max_concurrency, standin.identify_window) == (1, 5.0)
    assert standin.max_guilds_per_session == 2500
    assert shard_of(GUILD_ID, 1) == 0
    # The formula from Discord's sharding docs, on a guild id of theirs.
    assert shard_of("81384788765712384", 17) == 7


async def test_get_gateway_bot_needs_the_token_and_tells_shards_and_session_starts(
    http: aiohttp.ClientSession,
) -> None:
    standin = DiscordStandIn()
    for index in range(1500):
        standin.add_guild(guild_on_shard(index % 2, 2, index), f"{320000000000000000 + index}")
    await standin.start()
    try:
        url = f"{standin.api_url}/gateway/bot"
        async with http.get(url) as response:
            assert response.status == 401
        async with http.get(f"{standin.api_url}/gateway") as response:
            assert await response.json() == {"url": standin.gateway_url}  # no token needed
        headers = {"Authorization": f"Bot {standin.bot_token}"}
        async with http.get(url, headers=headers) as response:
            assert response.headers["Content-Type"] == "application/json"
            before = await response.json()
        assert before == {
            "url": standin.gateway_url,
            "shards": 2,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }
        session = await identify(http, standin, [0, 2])
        assert session.ready is not None
        async with http.get(url, headers=headers) as response:
            limit = (await response.json())["session_start_limit"]
        assert limit["remaining"] == 999
        assert 0 < limit["reset_after"] <= 24 * 60 * 60 * 1000
    finally:
        await standin.stop()


@pytest.mark.parametrize(
    "shard", [[2, 2], [3, 2], [-1, 2], [0, 0], [0], [0, 2, 1], "0,2", [True, 2], [0.0, 2]]
)
async def test_an_invalid_shard_is_closed_with_4010(
    http: aiohttp.ClientSession, two_shard_servers: DiscordStandIn, shard: Any
) -> None:
    session = await identify(http, two_shard_servers, shard)
    assert session.closed_with == 4010
    assert session.ready is None
    assert two_shard_servers.identifies == 0
    assert two_shard_servers.closes == [4010]


async def test_large_bot_sharding_needs_a_multiple_of_the_assigned_shard_number(
    http: aiohttp.ClientSession,
) -> None:
    standin = DiscordStandIn(assigned_shard_multiple=4, max_concurrency=16)
    await standin.start()
    try:
        assert (await identify(http, standin, [0, 2])).closed_with == 4010
        assert (await identify(http, standin, [1, 8], guilds=0)).ready is not None
    finally:
        await standin.stop()


async def test_a_session_that_would_hold_too_many_guilds_is_closed_with_4011(
    http: aiohttp.ClientSession,
) -> None:
    standin = DiscordStandIn(max_guilds_per_session=2, max_concurrency=16)
    standin.add_guild(SHARD0_GUILD)
    standin.add_guild(SHARD1_GUILD)  # three guilds, two of them on shard 0 of 2
    await standin.start()
    try:
        assert (await identify(http, standin)).closed_with == 4011
        assert (await identify(http, standin, [0, 1])).closed_with == 4011
        first = await identify(http, standin, [0, 2], guilds=2)
        second = await identify(http, standin, [1, 2], guilds=1)
        assert first.ready is not None
        assert second.ready is not None
        assert standin.closes == [4011, 4011]
    finally:
        await standin.stop()


async def test_ready_and_guild_create_carry_only_the_shards_guilds(
    http: aiohttp.ClientSession, two_shard_servers: DiscordStandIn
) -> None:
    guilds = two_shard_servers.guilds
    on_shard = {s: [g for g in guilds if shard_of(g, 2) == s] for s in (0, 1)}
    assert on_shard[0] == [GUILD_ID, SHARD0_GUILD]
    for shard_id in (0, 1):
        session = await identify(
            http, two_shard_servers, [shard_id, 2], guilds=len(on_shard[shard_id])
        )
        assert session.ready is not None
        assert session.ready["shard"] == [shard_id, 2]
        assert [g["id"] for g in session.ready["guilds"]] == on_shard[shard_id]
        assert all(g["unavailable"] for g in session.ready["guilds"])
        assert [g["id"] for g in session.guild_creates] == on_shard[shard_id]
    assert two_shard_servers.sessions() == [Shard(0, 2), Shard(1, 2)]


async def test_an_unsharded_session_gets_every_guild_and_no_shard_in_ready(
    http: aiohttp.ClientSession, two_shard_servers: DiscordStandIn
) -> None:
    session = await identify(http, two_shard_servers, guilds=4)
    assert session.ready is not None
    assert "shard" not in session.ready
    assert [g["id"] for g in session.guild_creates] == list(two_shard_servers.guilds)
    created = session.guild_creates[2]
    assert created["id"] == SHARD1_GUILD
    assert [(c["id"], c["guild_id"]) for c in created["channels"]] == [
        ("310000000000000002", SHARD1_GUILD)
    ]


async def test_interactions_arrive_on_the_session_of_their_guilds_shard(
    http: aiohttp.ClientSession, two_shard_servers: DiscordStandIn
) -> None:
    shard0 = await identify(http, two_shard_servers, [0, 2], guilds=2)
    shard1 = await identify(http, two_shard_servers, [1, 2], guilds=2)
    command = slash("mini-quiz", "help", PERSON, "t-1")
    on_shard1 = in_guild(command, SHARD1_GUILD, "310000000000000002")
    await two_shard_servers.send_interaction(on_shard1)
    received = await shard1.next_dispatch()
    assert (received["t"], received["d"]["guild_id"]) == ("INTERACTION_CREATE", SHARD1_GUILD)
    # A direct message has no guild: shard 0 only.
    direct = in_direct_message(slash("mini-quiz", "help", PERSON, "t-2"), "900000000000000001")
    await two_shard_servers.send_interaction(direct)
    received = await shard0.next_dispatch()
    assert received["d"]["channel_id"] == "900000000000000001"
    assert "guild_id" not in received["d"]
    assert two_shard_servers.delivered_on == {
        on_shard1["id"]: Shard(1, 2),
        direct["id"]: Shard(0, 2),
    }
    with pytest.raises(TimeoutError):
        await shard1.next_dispatch(seconds=0.3)  # shard 1 saw nothing of the DM
    with pytest.raises(TimeoutError):
        await shard0.next_dispatch(seconds=0.3)  # nor shard 0 of guild 1's command


async def test_a_guild_whose_shard_has_no_session_gets_no_interaction(
    http: aiohttp.ClientSession, two_shard_servers: DiscordStandIn
) -> None:
    await identify(http, two_shard_servers, [0, 2], guilds=2)
    two_shard_servers.session_wait = 0.3
    command = in_guild(slash("mini-quiz", "help", PERSON, "t-3"), SHARD1_GUILD, CHANNEL_ID)
    with pytest.raises(AssertionError, match="no gateway session"):
        await two_shard_servers.send_interaction(command)
    assert command["id"] not in two_shard_servers.interactions


async def test_identifying_again_within_5_s_in_one_bucket_gets_invalid_session(
    http: aiohttp.ClientSession,
) -> None:
    standin = DiscordStandIn(identify_window=0.5)
    await standin.start()
    try:
        assert (await identify(http, standin, [0, 2], guilds=1)).ready is not None
        refused = await identify(http, standin, [1, 2])  # max_concurrency 1: one bucket
        assert refused.invalid_session is False
        assert refused.ready is None
        assert (standin.identifies, standin.invalid_sessions) == (1, 1)
        await asyncio.sleep(0.55)
        assert (await identify(http, standin, [1, 2])).ready is not None
    finally:
        await standin.stop()


async def test_max_concurrency_buckets_start_together(http: aiohttp.ClientSession) -> None:
    standin = DiscordStandIn(max_concurrency=2, identify_window=0.5)
    await standin.start()
    try:
        assert (await identify(http, standin, [0, 4], guilds=1)).ready is not None
        assert (await identify(http, standin, [1, 4])).ready is not None  # bucket 1
        assert (await identify(http, standin, [2, 4])).invalid_session is False  # bucket 0
        assert standin.shards_started == [Shard(0, 4), Shard(1, 4)]
    finally:
        await standin.stop()
