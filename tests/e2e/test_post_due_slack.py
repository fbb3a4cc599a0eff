"""`quizbot post-due` against the Slack stand-in: posts through the Web API, once per channel,
reports per platform, and never posts twice when a connection drops after Slack kept the post."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from bot.composition import build_runtime
from bot.config import Settings
from bot.storage.engine import create_engine
from bot.storage.schema import channels
from bot.usecases.workspaces import pause_workspace
from tests.adapters.slack.standin import SlackStandIn
from tests.conftest import MINI_CONTENT
from tests.e2e.process import run_to_end
from tests.e2e.seed import subscribe_channels
from tests.e2e.seen import slack_daily_posts, slack_env

NOW = datetime(2026, 3, 2, 9, 1, tzinfo=UTC)  # a minute after the channels' 09:00 UTC


async def test_post_due_posts_to_slack_once_per_channel(
    tmp_path: Path, database_url: str, slack: SlackStandIn
) -> None:
    channels = [f"C{n:03d}" for n in range(3)]
    await subscribe_channels(database_url, "slack", channels, NOW)
    env = slack_env(database_url, slack)
    code, out, err = await run_to_end(["post-due", "--now", NOW.isoformat()], env, tmp_path)
    assert code == 0, err
    assert "post-due slack: posted 3, skipped 0, failed 0" in out
    assert slack_daily_posts(slack) == dict.fromkeys(channels, 1)
    code, out, err = await run_to_end(["post-due", "--now", NOW.isoformat()], env, tmp_path)
    assert code == 0, err
    assert "post-due slack: posted 0, skipped 3, failed 0" in out
    assert slack_daily_posts(slack) == dict.fromkeys(channels, 1)


async def test_due_posts_without_credentials_fail_the_run(
    tmp_path: Path, database_url: str, slack: SlackStandIn
) -> None:
    await subscribe_channels(database_url, "slack", ["C001"], NOW)
    await subscribe_channels(database_url, "discord", ["300000000000000001"], NOW)
    code, out, err = await run_to_end(
        ["post-due", "--now", NOW.isoformat()], slack_env(database_url, slack), tmp_path
    )
    assert code == 1
    assert "post-due slack: posted 1, skipped 0, failed 0" in out
    assert "post-due discord: 1 daily post(s) due, but DISCORD_TOKEN is not set" in err
    assert "Traceback" not in err


async def test_a_rejected_bot_token_is_named_in_one_line(
    tmp_path: Path, database_url: str, slack: SlackStandIn
) -> None:
    await subscribe_channels(database_url, "slack", ["C001"], NOW)
    env = slack_env(database_url, slack) | {"SLACK_BOT_TOKEN": "xoxb-revoked"}
    code, out, err = await run_to_end(["post-due", "--now", NOW.isoformat()], env, tmp_path)
    assert code == 2
    assert err.splitlines() == [
        "Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token "
        "(xoxb-...) from your Slack app's OAuth & Permissions page."
    ]
    assert "xoxb-revoked" not in out + err
    assert slack_daily_posts(slack) == {}


async def test_a_connection_dropped_after_slack_kept_the_post_is_not_posted_again(
    tmp_path: Path, database_url: str, slack: SlackStandIn
) -> None:
    """5 of 50 posts are kept by Slack, whose answer never arrives: they are looked up in the
    channel's history (joining it first) instead of being sent again."""
    channels = [f"C{n:03d}" for n in range(50)]
    await subscribe_channels(database_url, "slack", channels, NOW)
    slack.drop_after_post_next = 5
    env = slack_env(database_url, slack)
    code, out, err = await run_to_end(["post-due", "--now", NOW.isoformat()], env, tmp_path)
    assert code == 0, err
    assert "post-due slack: posted 50, skipped 0, failed 0" in out
    assert slack_daily_posts(slack) == dict.fromkeys(channels, 1)
    assert slack.drop_after_post_next == 0
    # Each lookup: history (refused: not_in_channel), join, history again.
    assert [r.error for r in slack.refused("conversations.history")] == ["not_in_channel"] * 5
    assert len(slack.of("conversations.history")) == 10
    assert len(slack.of("conversations.join")) == 5


async def test_post_due_gives_old_rows_the_tokens_workspace_and_resumes_a_paused_one(
    tmp_path: Path, database_url: str, slack: SlackStandIn
) -> None:
    """Channels from before workspaces were recorded adopt the one that `auth.test` names, at
    the first start after the upgrade, with one log line; a workspace paused when its token was
    refused posts again once a start finds the token working."""
    await subscribe_channels(database_url, "slack", ["C001", "C002"], NOW)
    runtime = await build_runtime(
        Settings(_env_file=None, database_url=database_url, content_dir=MINI_CONTENT)
    )
    try:
        await pause_workspace(runtime.quizbot.deps, "slack", None, "token_revoked")
    finally:
        await runtime.aclose()
    env = slack_env(database_url, slack)
    code, out, err = await run_to_end(["post-due", "--now", NOW.isoformat()], env, tmp_path)
    assert code == 0, err
    assert "post-due slack: posted 2, skipped 0, failed 0" in out
    assert [line for line in err.splitlines() if "bot.usecases.workspaces" in line] == [
        "WARNING bot.usecases.workspaces: slack workspace T1: recorded it on 2 channel(s) and "
        "0 person(s) from before workspaces were recorded",
        "WARNING bot.usecases.workspaces: slack installation works again: resumed 2 paused "
        "subscription(s) and 0 person(s)' reminders",
    ]
    assert slack.tokens_used("chat.postMessage") == [slack.bot_token] * 2
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(channels.c.workspace_id))).scalars().all()
    finally:
        await engine.dispose()
    assert rows == ["T1", "T1"]
    code, out, err = await run_to_end(["post-due", "--now", NOW.isoformat()], env, tmp_path)
    assert code == 0, err
    assert "bot.usecases.workspaces" not in err  # nothing left to adopt or resume
