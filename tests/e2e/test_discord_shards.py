"""Two `quizbot run` processes, each holding one of two Discord shards, against the gateway
stand-in and one database: each answers the servers of its shard, only one registers the
commands, both race for the same daily posts, and every channel gets its post once."""

from __future__ import annotations

import re
import signal
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.adapters.discord.conftest import DiscordMembers, shown
from tests.adapters.discord.sharding import Shard, guild_on_shard
from tests.adapters.discord.standin import DiscordStandIn
from tests.e2e.process import Quizbot, run_to_end, stopped_cleanly
from tests.e2e.seed import due_near_noon, subscribe_channels
from tests.e2e.seen import discord_daily_posts, discord_env
from tests.e2e.states import post_states

SHARDS = (0, 1)
CHANNELS_PER_GUILD = 100
STOP_DEADLINE = 10.0
POSTED = re.compile(r"daily posts at \S+: (\d+) posted")


@pytest.fixture
async def discord() -> AsyncIterator[DiscordStandIn]:
    """A bot whose max_concurrency lets shards 0 and 1 identify at once (keys 0 and 1), so
    the two processes are ready, and sweep, at the same moment. (With 1, the second would be
    told to identify again 5 s later: test_discord_shards.py covers that.)"""
    server = DiscordStandIn(max_concurrency=2)
    await server.start()
    yield server
    await server.stop()


def reported_posts(bot: Quizbot) -> int:
    """What the process's own sweeps say they posted."""
    return sum(int(n) for n in POSTED.findall(bot.stderr))


async def test_two_shard_processes_share_the_servers_and_post_each_channel_once(
    tmp_path: Path, database_url: str, discord: DiscordStandIn
) -> None:
    guilds = {shard: guild_on_shard(shard, 2) for shard in SHARDS}
    channels = {
        shard: [str(330000000000000000 + 1000 * shard + i) for i in range(CHANNELS_PER_GUILD)]
        for shard in SHARDS
    }
    for shard in SHARDS:
        discord.add_guild(guilds[shard], *channels[shard])
    every_channel = channels[0] + channels[1]
    now = datetime.now(UTC)
    await subscribe_channels(database_url, "discord", every_channel, now, *due_near_noon(now))
    discord.post_delay = 0.2  # the fan-out lasts long enough for both to be sending
    env = discord_env(database_url, discord, DISCORD_SHARD_COUNT="2", QUIZBOT_LOG_LEVEL="INFO")
    bots = {
        shard: Quizbot(["run"], env | {"DISCORD_SHARD_IDS": str(shard)}, tmp_path).start()
        for shard in SHARDS
    }
    try:
        for shard, bot in bots.items():
            await bot.wait_for_output(f"Quizbot is serving Discord (gateway, shard {shard} of 2).")
        assert sorted(discord.sessions(), key=lambda s: s.id) == [Shard(0, 2), Shard(1, 2)]

        members = DiscordMembers(discord)
        for shard in SHARDS:
            answered = await members.command("help", where=(guilds[shard], channels[shard][0]))
            assert "/mini-quiz subscribe" in shown(answered)
            assert discord.delivered_on[answered.id] == Shard(shard, 2)

        everything = len(every_channel)
        await discord.wait_for(
            lambda: sum(reported_posts(bot) for bot in bots.values()) >= everything, seconds=60
        )
        for bot in bots.values():
            _code, seconds = await bot.stop()
            assert seconds < STOP_DEADLINE
            stopped_cleanly(bot)
    finally:
        for bot in bots.values():
            if bot.process is not None and bot.process.poll() is None:
                bot.kill()

    split = {shard: reported_posts(bot) for shard, bot in bots.items()}
    print(
        f"Two Discord shard processes ({database_url.split(':')[0]}): posted {split[0]} and "
        f"{split[1]} of {everything}"
    )
    assert sum(split.values()) == everything  # no post claimed by both
    assert discord_daily_posts(discord) == dict.fromkeys(every_channel, 1)
    threads = Counter(thread["id"] for thread in discord.threads)
    assert len(threads) == everything
    assert set(threads.values()) == {1}
    assert await post_states(database_url) == {"posted": everything}
    assert len(discord.synced) == 1  # by the process holding shard 0
    assert discord.invalid_sessions == 0


@pytest.mark.parametrize(
    ("rules", "settings", "line"),
    [
        (
            {"max_guilds_per_session": 1},  # two servers, one session
            {},
            "Discord requires sharding (4011 Sharding required): the bot is in more servers "
            "than one gateway session may hold (2,500). Set DISCORD_SHARD_COUNT; see Large "
            "Discord bots in the README.",
        ),
        (
            {"assigned_shard_multiple": 4},  # large bot sharding
            {"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1"},
            "Discord refused the shard settings (4010 Invalid shard): DISCORD_SHARD_IDS must be "
            "below DISCORD_SHARD_COUNT, and a bot Discord moved to large bot sharding must run a "
            "multiple of the shard number Discord gave it.",
        ),
    ],
)
async def test_a_session_discord_refuses_ends_run_in_one_line(
    tmp_path: Path, database_url: str, rules: dict[str, int], settings: dict[str, str], line: str
) -> None:
    discord = DiscordStandIn(**rules)
    discord.add_guild(guild_on_shard(1, 2), "330000000000000001")
    await discord.start()
    try:
        env = discord_env(database_url, discord, **settings)
        code, _out, err = await run_to_end(["run"], env, tmp_path)
    finally:
        await discord.stop()
    assert code == 2
    assert err.splitlines() == [line]


@pytest.mark.parametrize("state", ["between its shards", "while the gateway is down"])
async def test_sigterm_stops_a_sharded_process_that_is_still_connecting(
    tmp_path: Path, database_url: str, state: str
) -> None:
    """Shard 0 is connected and shard 1 waits its 5 s turn; or no shard can connect and
    discord.py retries each every 5 s. Either way SIGTERM ends the process at once."""
    standin = DiscordStandIn()
    await standin.start()
    try:
        env = discord_env(database_url, standin, DISCORD_SHARD_COUNT="2")
        if state == "while the gateway is down":
            await standin.drop_gateway()
        bot = Quizbot(["run"], env, tmp_path).start()
        if state == "between its shards":
            await standin.wait_for(lambda: standin.sessions() == [Shard(0, 2)], seconds=30)
        else:
            await bot.wait_for_output("Failed to connect for shard_id: 0. Retrying...")
        code, seconds = await bot.stop(signal.SIGTERM)
    finally:
        await standin.stop()
    assert code == 0
    assert seconds < STOP_DEADLINE
    assert "Stopped before Quizbot was up." in bot.stdout
    assert "Traceback" not in bot.stderr
    print(f"SIGTERM {state}: stopped in {seconds:.2f} s")
