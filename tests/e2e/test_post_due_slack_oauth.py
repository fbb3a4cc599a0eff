"""`quizbot post-due` for a distributed Slack app (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, no
bot token): each workspace's channels get their post with the token its installation saved; a
workspace whose token Slack refuses is paused with one line and not tried again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from bot.domain.context import WorkspaceRef
from tests.adapters.slack.installed import save_installations
from tests.adapters.slack.standin import SlackStandIn
from tests.conftest import MINI_CONTENT
from tests.e2e.process import clean_env, run_to_end
from tests.e2e.seed import subscribe_channels

NOW = datetime(2026, 3, 2, 9, 1, tzinfo=UTC)
TOKENS = {"T1": "xoxb-T1-1", "T2": "xoxb-T2-1"}
CHANNELS = {"T1": "CONE", "T2": "CTWO"}
PAUSED = "slack workspace T2 has no working installation (token_revoked)"


async def installed(database_url: str, slack: SlackStandIn) -> None:
    """Both workspaces installed the app: their rows, as the OAuth flow saves them."""
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        content_dir=MINI_CONTENT,
        slack_client_id=slack.client_id,
        slack_client_secret=SecretStr(slack.client_secret),
    )
    slack.token_teams.update({token: team for team, token in TOKENS.items()})
    await save_installations(settings, TOKENS)


async def test_post_due_posts_to_each_workspace_with_its_own_token(
    tmp_path: Path, database_url: str, slack: SlackStandIn
) -> None:
    for team, channel in CHANNELS.items():
        slack.channel_teams[channel] = team
        await subscribe_channels(
            database_url, "slack", [channel], NOW, workspace=WorkspaceRef(team)
        )
    await installed(database_url, slack)
    env = clean_env(
        DATABASE_URL=database_url,
        SLACK_CLIENT_ID=slack.client_id,
        SLACK_CLIENT_SECRET=slack.client_secret,
        SLACK_SIGNING_SECRET="signing-secret",
        SLACK_API_URL=slack.api_url,
    )

    async def post_due(now: datetime) -> tuple[str, str]:
        code, out, err = await run_to_end(["post-due", "--now", now.isoformat()], env, tmp_path)
        assert code == 0, err
        return out, err

    out, _err = await post_due(NOW)
    assert "post-due slack: posted 2, skipped 0, failed 0" in out
    sent = [(c.args["channel"], c.token) for c in slack.calls if c.method == "chat.postMessage"]
    assert sorted(sent) == [("CONE", TOKENS["T1"]), ("CTWO", TOKENS["T2"])]

    slack.revoke(TOKENS["T2"])
    out, err = await post_due(NOW + timedelta(days=1))
    assert "post-due slack: posted 1, skipped 1, failed 0" in out
    assert [line for line in err.splitlines() if PAUSED in line] != []
    assert len([line for line in err.splitlines() if "has no working installation" in line]) == 1
    tried = len(slack.tokens_used("chat.postMessage"))
    out, err = await post_due(NOW + timedelta(days=2))
    assert "post-due slack: posted 1, skipped 0, failed 0" in out
    assert slack.tokens_used("chat.postMessage")[tried:] == [TOKENS["T1"]]  # T2 stays paused
    assert "has no working installation" not in err
