"""Slack's two ways to run: one workspace (SLACK_BOT_TOKEN) or Add to Slack (the OAuth client id
and secret). A half-set pair or a mix of both is refused in one line naming the settings, before
anything starts, and the secret's value never appears in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings
from tests.bot.test_bad_input_executable import quizbot

SECRET = "s3cr3t-client-value"


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_one_workspace_with_a_bot_token() -> None:
    chosen = settings(slack_bot_token="xoxb-1", slack_signing_secret="sign")
    assert (chosen.has_slack, chosen.slack_oauth) == (True, False)


def test_many_workspaces_with_the_client_id_and_secret() -> None:
    chosen = settings(slack_client_id="1.2", slack_client_secret=SECRET)
    assert (chosen.has_slack, chosen.slack_oauth) == (True, True)
    assert SECRET not in repr(chosen)


def test_no_slack_settings_no_slack() -> None:
    assert (settings().has_slack, settings().slack_oauth) == (False, False)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"slack_client_id": "1.2"},
            "SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: set both",
        ),
        (
            {"slack_client_secret": SECRET},
            "SLACK_CLIENT_SECRET is set but SLACK_CLIENT_ID is not: set both",
        ),
        (
            {"slack_client_id": "1.2", "slack_client_secret": SECRET, "slack_bot_token": "xoxb"},
            "SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are both set",
        ),
        (
            {"slack_client_id": "1.2", "slack_client_secret": SECRET, "slack_app_token": "xapp"},
            "SLACK_APP_TOKEN (Socket Mode) cannot be used with SLACK_CLIENT_ID",
        ),
    ],
)
def test_a_mixed_or_half_configuration_is_refused(values: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        settings(**values)
    assert message in str(refused.value)
    assert SECRET not in str(refused.value)


@pytest.mark.parametrize(
    ("env", "line"),
    [
        (
            {"SLACK_CLIENT_ID": "1.2"},
            "SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: set both (your Slack app's "
            "Basic Information > App Credentials) to let workspaces install Quizbot, or neither.",
        ),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": SECRET, "SLACK_BOT_TOKEN": "xoxb"},
            "SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are both set: keep "
            "SLACK_BOT_TOKEN to serve one workspace, or the client id and secret to let "
            "workspaces install Quizbot (Add to Slack), not both.",
        ),
    ],
)
def test_the_executable_names_the_problem_in_one_line(
    tmp_path: Path, env: dict[str, str], line: str
) -> None:
    result = quizbot(["run"], tmp_path, **env)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [line]
    assert SECRET not in result.stderr
    assert not (tmp_path / "data").exists()
