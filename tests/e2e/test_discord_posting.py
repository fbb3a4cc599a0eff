"""Daily posts to Discord through the real executable against the Discord stand-in: REST only
for `post-due`, once per channel with its thread, whatever breaks: refused tokens, answers that
never arrive, SIGTERM or `kill -9` of every worker mid fan-out."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.adapters.discord.standin import DiscordStandIn
from tests.e2e.process import Quizbot, run_to_end
from tests.e2e.seed import due_near_noon, subscribe_channels
from tests.e2e.seen import discord_daily_posts, discord_env
from tests.e2e.states import post_states

NOW = datetime(2026, 3, 2, 9, 1, tzinfo=UTC)  # a minute after the channels' 09:00 UTC
STOP_DEADLINE = 10.0
CHANNELS = 200


def channel_ids(n: int) -> list[str]:
    return [str(310000000000000000 + i) for i in range(n)]


def threads_per_message(discord: DiscordStandIn) -> Counter[str]:
    return Counter(thread["id"] for thread in discord.threads)


async def test_post_due_posts_to_discord_over_rest_once_per_channel(
    tmp_path: Path, database_url: str, discord: DiscordStandIn
) -> None:
    channels = channel_ids(3)
    discord.text_channels |= set(channels)
    await subscribe_channels(database_url, "discord", channels, NOW)
    env = discord_env(database_url, discord)
    code, out, err = await run_to_end(["post-due", "--now", NOW.isoformat()], env, tmp_path)
    assert code == 0, err
    assert "post-due discord: posted 3, skipped 0, failed 0" in out
    assert discord_daily_posts(discord) == dict.fromkeys(channels, 1)
    assert len(threads_per_message(discord)) == 3
    assert discord.identifies == 0  # no gateway session
    code, out, err = await run_to_end(["post-due", "--now", NOW.isoformat()], env, tmp_path)
    assert "post-due discord: posted 0, skipped 3, failed 0" in out
    assert discord_daily_posts(discord) == dict.fromkeys(channels, 1)


async def test_a_rejected_discord_token_is_named_in_one_line(
    tmp_path: Path, database_url: str, discord: DiscordStandIn
) -> None:
    env = discord_env(database_url, discord) | {"DISCORD_TOKEN": "not-the-token"}
    for command in (["post-due"], ["run", "--worker"]):
        code, out, err = await run_to_end(command, env, tmp_path)
        assert code == 2
        assert err.splitlines() == [
            "Discord rejected DISCORD_TOKEN (401 Unauthorized): reset the token under Bot in "
            "the Discord developer portal and copy it again."
        ]
        assert "not-the-token" not in out + err


async def test_answers_that_never_arrive_are_looked_up_not_repeated(
    tmp_path: Path, database_url: str, discord: DiscordStandIn
) -> None:
    channels = channel_ids(50)
    discord.text_channels |= set(channels)
    await subscribe_channels(database_url, "discord", channels, NOW)
    discord.drop_after_post_next = 5
    code, out, err = await run_to_end(
        ["post-due", "--now", NOW.isoformat()], discord_env(database_url, discord), tmp_path
    )
    assert code == 0, err
    assert "post-due discord: posted 50, skipped 0, failed 0" in out
    assert discord_daily_posts(discord) == dict.fromkeys(channels, 1)
    assert set(threads_per_message(discord).values()) == {1}
    assert len(threads_per_message(discord)) == 50


async def test_sigterm_mid_fan_out_then_the_next_run_completes_it_once(
    tmp_path: Path, database_url: str, discord: DiscordStandIn
) -> None:
    now = datetime.now(UTC)
    channels = channel_ids(CHANNELS)
    discord.text_channels |= set(channels)
    await subscribe_channels(database_url, "discord", channels, now, *due_near_noon(now))
    discord.post_delay = 0.5
    env = discord_env(database_url, discord)
    worker = Quizbot(["run", "--worker"], env | {"QUIZBOT_LOG_LEVEL": "INFO"}, tmp_path).start()
    await discord.wait_for(lambda: sum(discord_daily_posts(discord).values()) >= 40, seconds=60)
    code, seconds = await worker.stop()
    assert code == 0
    assert seconds < STOP_DEADLINE
    assert "Traceback" not in worker.stderr
    states = await post_states(database_url)
    print(f"Discord, SIGTERM mid fan-out: stopped in {seconds:.2f} s; states {dict(states)}")
    discord.post_delay = 0
    code, _out, err = await run_to_end(["post-due"], env, tmp_path)
    assert code == 0, err
    assert discord_daily_posts(discord) == dict.fromkeys(channels, 1)
    assert set(threads_per_message(discord).values()) == {1}
    assert await post_states(database_url) == {"posted": CHANNELS}


async def test_kill_9_of_every_worker_mid_fan_out_then_a_restart_posts_each_channel_once(
    tmp_path: Path, database_url: str, discord: DiscordStandIn
) -> None:
    now = datetime.now(UTC)
    channels = channel_ids(CHANNELS)
    discord.text_channels |= set(channels)
    await subscribe_channels(database_url, "discord", channels, now, *due_near_noon(now))
    discord.post_delay = 0.3
    env = discord_env(database_url, discord)
    workers = [Quizbot(["run", "--worker"], env, tmp_path).start() for _ in range(2)]
    await discord.wait_for(lambda: sum(discord_daily_posts(discord).values()) >= 60, seconds=60)
    for worker in workers:
        worker.kill()
    kept = sum(discord_daily_posts(discord).values())
    states = await post_states(database_url)
    discord.post_delay = 0
    later = (now + timedelta(minutes=6)).isoformat()  # the dead workers' leases have run out
    code, _out, err = await run_to_end(["post-due", "--now", later], env, tmp_path)
    assert code == 0, err
    per_channel = discord_daily_posts(discord)
    print(
        f"Discord kill -9 mid fan-out ({database_url.split(':')[0]}): {kept} kept at the kill, "
        f"states then {dict(states)}; after the restart {len(per_channel)} channels, "
        f"{sum(per_channel.values())} posts, at most {max(per_channel.values())} per channel, "
        f"{len(threads_per_message(discord))} threads"
    )
    assert per_channel == dict.fromkeys(channels, 1)
    assert set(threads_per_message(discord).values()) == {1}
    assert await post_states(database_url) == {"posted": CHANNELS}


async def test_sigterm_while_discord_reconnects(
    tmp_path: Path, database_url: str, discord: DiscordStandIn
) -> None:
    """Connected, then the gateway goes away and refuses new sessions: discord.py keeps
    reconnecting with back-off, and SIGTERM still ends the process at once."""
    worker = Quizbot(["run", "--worker"], discord_env(database_url, discord), tmp_path).start()
    await worker.wait_for_output("Quizbot is serving Discord (gateway).")
    await discord.drop_gateway()
    await asyncio.sleep(3)  # a reconnect attempt or two
    code, seconds = await worker.stop()
    assert code == 0
    assert seconds < STOP_DEADLINE
    assert "Traceback" not in worker.stderr
    print(f"SIGTERM while Discord reconnects: stopped in {seconds:.2f} s")
