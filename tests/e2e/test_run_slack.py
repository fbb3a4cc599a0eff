"""`quizbot run` against the Slack stand-in: refused tokens in one line; SIGTERM while serving,
while Socket Mode cannot connect and mid fan-out; `kill -9` of every worker mid fan-out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.adapters.slack.standin import SlackStandIn
from tests.e2e.process import Quizbot, closed_port, run_to_end
from tests.e2e.seed import due_near_noon, subscribe_channels
from tests.e2e.seen import slack_daily_posts, slack_env
from tests.e2e.states import post_states

STOP_DEADLINE = 10.0
CHANNELS = 200


def sqlite(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"


async def test_a_rejected_bot_token_ends_run_in_one_line(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    env = slack_env(sqlite(tmp_path), slack) | {"SLACK_BOT_TOKEN": "xoxb-wrong"}
    code, _out, err = await run_to_end(["run"], env, tmp_path)
    assert code == 2
    assert err.splitlines() == [
        "Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token "
        "(xoxb-...) from your Slack app's OAuth & Permissions page."
    ]


@pytest.mark.parametrize(
    ("app_token", "reason"),
    [("xapp-wrong", "invalid_auth"), ("xoxb-test", "not_allowed_token_type")],
)
async def test_a_rejected_app_token_ends_run_in_one_line(
    tmp_path: Path, slack: SlackStandIn, app_token: str, reason: str
) -> None:
    env = slack_env(sqlite(tmp_path), slack, SLACK_APP_TOKEN=app_token)
    code, _out, err = await run_to_end(["run"], env, tmp_path)
    assert code == 2
    assert err.splitlines() == [
        f"Slack rejected SLACK_APP_TOKEN ({reason}): create an app-level token with the "
        "connections:write scope (xapp-...) under Basic Information > App-Level Tokens."
    ]


async def test_sigterm_while_serving_http(tmp_path: Path, slack: SlackStandIn) -> None:
    bot = Quizbot(["run"], slack_env(sqlite(tmp_path), slack), tmp_path).start()
    await bot.wait_for_output("Stop with Ctrl-C.")
    code, seconds = await bot.stop()
    assert code == 0
    assert seconds < STOP_DEADLINE
    assert "Traceback" not in bot.stderr
    print(f"SIGTERM while serving Slack over HTTP: stopped in {seconds:.2f} s")


async def test_sigterm_while_socket_mode_cannot_connect(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    """Slack hands out a websocket URL that refuses connections: slack_sdk retries for ever."""
    slack.socket_url = f"ws://127.0.0.1:{closed_port()}/socket"
    env = slack_env(sqlite(tmp_path), slack, SLACK_APP_TOKEN=slack.app_token)
    bot = Quizbot(["run"], env | {"QUIZBOT_LOG_LEVEL": "ERROR"}, tmp_path).start()
    await bot.wait_for_output("Failed to connect")
    await asyncio.sleep(1)
    code, seconds = await bot.stop()
    assert code == 0
    assert seconds < STOP_DEADLINE
    assert "Traceback" not in bot.stderr
    print(f"SIGTERM while Socket Mode reconnects: stopped in {seconds:.2f} s")


async def test_sigterm_mid_fan_out_hands_claims_over(
    tmp_path: Path, database_url: str, slack: SlackStandIn
) -> None:
    """Stopped with 200 posts under way: what was sent is recorded, what was not is released,
    and the next run posts the rest, each channel exactly once."""
    now = datetime.now(UTC)
    channels = [f"C{n:03d}" for n in range(CHANNELS)]
    await subscribe_channels(database_url, "slack", channels, now, *due_near_noon(now))
    slack.post_delay = 0.5
    env = slack_env(database_url, slack) | {"QUIZBOT_LOG_LEVEL": "INFO"}
    worker = Quizbot(["run", "--worker"], env, tmp_path).start()
    await slack.wait_for(lambda: sum(slack_daily_posts(slack).values()) >= 40, seconds=60)
    code, seconds = await worker.stop()
    assert code == 0
    assert seconds < STOP_DEADLINE
    assert "Traceback" not in worker.stderr
    assert "stopped mid fan-out" in worker.stderr
    states = await post_states(database_url)
    sent_before = sum(slack_daily_posts(slack).values())
    print(f"SIGTERM mid fan-out: stopped in {seconds:.2f} s; {sent_before} sent; states {states}")
    assert states["released"] > 0
    slack.post_delay = 0
    code, _out, err = await run_to_end(["post-due"], env, tmp_path)
    assert code == 0, err
    assert slack_daily_posts(slack) == dict.fromkeys(channels, 1)
    assert await post_states(database_url) == {"posted": CHANNELS}


async def test_kill_9_of_every_worker_mid_fan_out_then_a_restart_posts_each_channel_once(
    tmp_path: Path, database_url: str, slack: SlackStandIn
) -> None:
    now = datetime.now(UTC)
    channels = [f"C{n:03d}" for n in range(CHANNELS)]
    await subscribe_channels(database_url, "slack", channels, now, *due_near_noon(now))
    slack.post_delay = 0.3  # Slack keeps each post, then answers late: answers die with us
    env = slack_env(database_url, slack)
    workers = [Quizbot(["run", "--worker"], env, tmp_path).start() for _ in range(2)]
    await slack.wait_for(lambda: sum(slack_daily_posts(slack).values()) >= 60, seconds=60)
    for worker in workers:
        worker.kill()
    kept = sum(slack_daily_posts(slack).values())
    states = await post_states(database_url)
    slack.post_delay = 0
    # The restart: a run after the 5-minute leases of the dead workers have run out.
    later = (now + timedelta(minutes=6)).isoformat()
    code, out, err = await run_to_end(["post-due", "--now", later], env, tmp_path)
    assert code == 0, err
    per_channel = slack_daily_posts(slack)
    print(
        f"kill -9 mid fan-out ({database_url.split(':')[0]}): {kept} kept by Slack at the kill, "
        f"states then {dict(states)}; after the restart {len(per_channel)} channels, "
        f"{sum(per_channel.values())} posts, at most {max(per_channel.values())} per channel; "
        f"{len(slack.of('conversations.history'))} history calls; "
        f"{next(line for line in out.splitlines() if line.startswith('post-due slack'))}"
    )
    assert per_channel == dict.fromkeys(channels, 1)
    assert await post_states(database_url) == {"posted": CHANNELS}
