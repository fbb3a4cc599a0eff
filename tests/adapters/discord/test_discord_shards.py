"""Sharding through discord.py's real AutoShardedClient against the stand-in's gateway, which
sends each guild's events only to the session of its shard (sharding.py)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import discord
import pytest

from adapters.discord.client import QuizbotClient, ShardedQuizbotClient, make_client, point_at
from adapters.discord.posting import DiscordPostingPort
from adapters.discord.runner import DiscordRunner
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.domain.errors import QuizError
from tests.adapters.discord.conftest import ADMIN, DiscordMembers, shown
from tests.adapters.discord.sharding import Shard, guild_on_shard
from tests.adapters.discord.standin import CHANNEL_ID, GUILD_ID, DiscordStandIn

SHARD1_GUILD = guild_on_shard(1, 2)
SHARD1_CHANNEL = "310000000000000011"


@pytest.fixture
async def standin() -> AsyncIterator[DiscordStandIn]:
    """GUILD_ID (with CHANNEL_ID) is on shard 0 of 2, SHARD1_GUILD on shard 1."""
    server = DiscordStandIn()
    server.add_guild(SHARD1_GUILD, SHARD1_CHANNEL)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def shard_settings(discord_settings: Settings) -> Settings:
    """Two shards, commands registered globally (a bot in many servers has no test guild)."""
    return discord_settings.model_copy(update={"discord_shard_count": 2, "discord_guild_id": None})


async def start(
    settings: Settings, runtime: Runtime, port: DiscordPostingPort, shard_ids: list[int] | None
) -> DiscordRunner:
    """The client `quizbot run` would build with DISCORD_SHARD_IDS=`shard_ids`."""
    point_at(settings.discord_api_url, settings.discord_gateway_url)
    client = make_client(
        runtime.quizbot,
        admin_ids=settings.admin_ids,
        guild_id=settings.discord_guild_id,
        shard_count=settings.discord_shard_count,
        shard_ids=shard_ids,
    )
    port.attach(client)
    runner = DiscordRunner(client, "discord-test-token")
    await runner.start()
    return runner


def test_without_a_shard_count_the_client_is_the_plain_one(runtime: Runtime) -> None:
    client = make_client(runtime.quizbot, admin_ids=frozenset(), guild_id=None)
    assert type(client) is QuizbotClient
    assert not isinstance(client, discord.AutoShardedClient)
    sharded = make_client(
        runtime.quizbot, admin_ids=frozenset(), guild_id=None, shard_count=8, shard_ids=[0, 1, 2, 7]
    )
    assert isinstance(sharded, ShardedQuizbotClient)
    assert isinstance(sharded, discord.AutoShardedClient)
    assert (sharded.shard_count, sharded.shard_ids) == (8, [0, 1, 2, 7])
    assert sharded.shards_held == "shards 0-2,7 of 8"


async def test_one_process_holding_both_shards_answers_in_a_guild_on_each(
    shard_settings: Settings, standin: DiscordStandIn
) -> None:
    port = DiscordPostingPort()
    runtime = await build_runtime(shard_settings, rng=random.Random(5), ports={"discord": port})
    runner = await start(shard_settings, runtime, port, shard_ids=None)
    try:
        assert runner.mode == "gateway, shards 0-1 of 2"
        # discord.py waits 5 s between its own identifies: max_concurrency 1 is kept.
        assert standin.shards_started == [Shard(0, 2), Shard(1, 2)]
        assert standin.invalid_sessions == 0
        client = runner.client
        assert {(g.id, g.shard_id) for g in client.guilds} == {
            (int(GUILD_ID), 0),
            (int(SHARD1_GUILD), 1),
        }
        assert [guild for guild, _ in standin.synced] == [""]  # global commands, once
        members = DiscordMembers(standin)
        first = await members.command("help", where=(GUILD_ID, CHANNEL_ID))
        second = await members.command("help", where=(SHARD1_GUILD, SHARD1_CHANNEL))
        assert "/mini-quiz subscribe" in shown(first)
        assert "/mini-quiz subscribe" in shown(second)
        assert standin.delivered_on == {first.id: Shard(0, 2), second.id: Shard(1, 2)}
    finally:
        await runner.stop()
        await runtime.aclose()


async def test_two_shard_processes_split_the_guilds_and_either_posts_anywhere(
    shard_settings: Settings, standin: DiscordStandIn
) -> None:
    """What two `quizbot run` processes with DISCORD_SHARD_IDS=1 and =0 do, on one database."""
    ports = {1: DiscordPostingPort(), 0: DiscordPostingPort()}
    runtimes = {
        shard: await build_runtime(shard_settings, rng=random.Random(5), ports={"discord": port})
        for shard, port in ports.items()
    }
    runners: dict[int, DiscordRunner] = {}
    try:
        for shard in (1, 0):
            runners[shard] = await start(shard_settings, runtimes[shard], ports[shard], [shard])
        assert runners[1].mode == "gateway, shard 1 of 2"
        assert runners[0].mode == "gateway, shard 0 of 2"
        # Started within 5 s of the first, the second process was told to identify again later.
        assert standin.shards_started == [Shard(1, 2), Shard(0, 2)]
        assert standin.invalid_sessions == 1
        # Only the process holding shard 0 registers the commands.
        assert [guild for guild, _ in standin.synced] == [""]
        assert [g.id for g in runners[1].client.guilds] == [int(SHARD1_GUILD)]
        assert [g.id for g in runners[0].client.guilds] == [int(GUILD_ID)]

        members = DiscordMembers(standin)
        for where in ((SHARD1_GUILD, SHARD1_CHANNEL), (GUILD_ID, CHANNEL_ID)):
            done = await members.command(
                "subscribe", ADMIN, where=where, time="09:00", timezone="UTC"
            )
            assert "09:00 UTC, every day" in shown(done)
        assert list(standin.delivered_on.values()) == [Shard(1, 2), Shard(0, 2)]

        # The process holding shard 0 has not seen shard 1's channel, and posts there over REST.
        assert runners[0].client.get_channel(int(SHARD1_CHANNEL)) is None
        nine = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
        report = await runtimes[0].poster.post_due(nine + timedelta(minutes=1))
        assert report.posted == 2
        assert (await runtimes[1].poster.post_due(nine + timedelta(minutes=2))).posted == 0
        posts = {m["channel_id"]: m for m in standin.channel_messages}
        assert set(posts) == {CHANNEL_ID, SHARD1_CHANNEL}
        assert posts[SHARD1_CHANNEL]["guild_id"] == SHARD1_GUILD
        assert {t["id"] for t in standin.threads} == {m["id"] for m in posts.values()}

        # A member of the shard-1 server presses the post's button: the shard-1 process answers.
        revealed = await members.press(
            posts[SHARD1_CHANNEL], "Reveal answer", where=(SHARD1_GUILD, SHARD1_CHANNEL)
        )
        assert "Key points" in shown(revealed)
        assert standin.delivered_on[revealed.id] == Shard(1, 2)
    finally:
        for runner in runners.values():
            await runner.stop()
        for runtime in runtimes.values():
            await runtime.aclose()


async def test_discord_requiring_sharding_ends_start_up_in_one_line(
    discord_settings: Settings, runtime: Runtime
) -> None:
    standin = DiscordStandIn(max_guilds_per_session=1, max_concurrency=16)
    standin.add_guild(SHARD1_GUILD, SHARD1_CHANNEL)  # two guilds: one session may hold one
    await standin.start()
    try:
        settings = discord_settings.model_copy(
            update={"discord_api_url": standin.api_url, "discord_gateway_url": standin.gateway_url}
        )
        with pytest.raises(QuizError) as refused:
            await start(settings, runtime, DiscordPostingPort(), shard_ids=None)
        assert refused.value.message.startswith(
            "Discord requires sharding (4011 Sharding required)"
        )
        assert "Set DISCORD_SHARD_COUNT" in refused.value.message
        sharded = settings.model_copy(update={"discord_shard_count": 2})
        runner = await start(sharded, runtime, DiscordPostingPort(), shard_ids=[1])
        await runner.stop()
        assert standin.closes == [4011]
    finally:
        await standin.stop()


async def test_a_shard_count_discord_refuses_ends_start_up_in_one_line(
    discord_settings: Settings, runtime: Runtime
) -> None:
    standin = DiscordStandIn(assigned_shard_multiple=4)  # Discord moved it to large bot sharding
    await standin.start()
    try:
        settings = discord_settings.model_copy(
            update={
                "discord_api_url": standin.api_url,
                "discord_gateway_url": standin.gateway_url,
                "discord_shard_count": 2,
            }
        )
        with pytest.raises(QuizError) as refused:
            await start(settings, runtime, DiscordPostingPort(), shard_ids=[0])
        assert refused.value.message.startswith("Discord refused the shard settings (4010")
        assert standin.closes == [4010]
    finally:
        await standin.stop()
