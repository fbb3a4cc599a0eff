"""The stand-in serves several workspaces as Slack does: each bot token sees only its own."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import make_client
from bot.config import Settings
from tests.adapters.slack.rules.test_standin_rules import refusal
from tests.adapters.slack.standin import SlackStandIn

OTHER = "xoxb-second-workspace"


@pytest.fixture
def second(standin: SlackStandIn) -> AsyncWebClient:
    """A client with the bot token of a second workspace, T2, which has channel C2 and U2."""
    standin.token_teams[OTHER] = "T2"
    standin.channel_teams["C2"] = "T2"
    standin.user_teams["U2"] = "T2"
    settings = Settings(
        _env_file=None, slack_bot_token=SecretStr(OTHER), slack_api_url=standin.api_url
    )
    return make_client(settings)


async def test_each_token_names_its_own_team_and_is_recorded_on_the_call(
    standin: SlackStandIn, client: AsyncWebClient, second: AsyncWebClient
) -> None:
    assert (await client.auth_test())["team_id"] == "T1"
    assert (await second.auth_test())["team_id"] == "T2"
    assert standin.tokens_used("auth.test") == ["xoxb-test", OTHER]


async def test_a_token_cannot_reach_another_workspaces_channel_or_person(
    standin: SlackStandIn, client: AsyncWebClient, second: AsyncWebClient
) -> None:
    assert (await refusal(client.chat_postMessage(channel="C2", text="hi")))[
        "error"
    ] == "channel_not_found"
    assert (await refusal(second.chat_postMessage(channel="CTEAM", text="hi")))[
        "error"
    ] == "channel_not_found"
    assert (await refusal(second.conversations_history(channel="CTEAM")))[
        "error"
    ] == "channel_not_found"
    assert (await refusal(client.conversations_open(users="U2")))["error"] == "user_not_found"
    assert (await refusal(second.users_info(user="UMEMBER")))["error"] == "user_not_found"
    await second.chat_postMessage(channel="C2", text="at home")
    opened = await second.conversations_open(users="U2")
    await second.chat_postMessage(channel=opened["channel"]["id"], text="a direct message")
    assert [m["text"] for m in standin.messages["C2"]] == ["at home"]
    assert [m["text"] for m in standin.messages["DU2"]] == ["a direct message"]


async def test_a_file_belongs_to_the_workspace_that_uploaded_it(
    standin: SlackStandIn, client: AsyncWebClient, second: AsyncWebClient
) -> None:
    uploaded = await second.files_upload_v2(file=b"png", filename="p.png", title="p")
    file_id = uploaded["files"][0]["id"]
    assert (await refusal(client.files_delete(file=file_id)))["error"] == "file_not_found"
    await second.files_delete(file=file_id)


async def test_a_revoked_token_and_an_unknown_one_are_refused(
    standin: SlackStandIn, client: AsyncWebClient, second: AsyncWebClient
) -> None:
    standin.revoke(OTHER)
    assert (await refusal(second.auth_test()))["error"] == "token_revoked"
    assert (await refusal(second.chat_postMessage(channel="C2", text="hi")))[
        "error"
    ] == "token_revoked"
    assert (await client.auth_test())["ok"] is True  # the other workspace is unaffected
    stranger = make_client(
        Settings(
            _env_file=None,
            slack_bot_token=SecretStr("xoxb-never-issued"),
            slack_api_url=standin.api_url,
        )
    )
    assert (await refusal(stranger.auth_test()))["error"] == "invalid_auth"
