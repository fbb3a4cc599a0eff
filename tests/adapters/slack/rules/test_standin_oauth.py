"""The stand-in's Add to Slack: its consent page and `oauth.v2.access` refuse what Slack refuses
(by Slack's error names), each workspace's install gets its own token, and every call records
the token it carried."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.adapters.slack.installing import query_of
from tests.adapters.slack.standin import DISTRIBUTED_EVENTS, EventNotSubscribed, SlackStandIn

REDIRECT = "https://quiz.example/slack/oauth_redirect"


@pytest.fixture
def app(standin: SlackStandIn) -> AsyncWebClient:
    """What the app holds before any install: no token, only Slack's address."""
    standin.redirect_urls = [REDIRECT]
    return AsyncWebClient(base_url=standin.api_url)


def consent(standin: SlackStandIn, **extra: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in extra.items())
    return (
        f"http://127.0.0.1:{standin.port}/oauth/v2/authorize?client_id={standin.client_id}"
        f"&scope=commands,users:read&user_scope=&state=st{'&' + query if query else ''}"
    )


async def exchange(
    app: AsyncWebClient, standin: SlackStandIn, code: str, **changes: str
) -> dict[str, Any]:
    arguments = {"client_id": standin.client_id, "client_secret": standin.client_secret}
    try:
        return (await app.oauth_v2_access(code=code, **(arguments | changes))).data  # type: ignore[return-value]
    except SlackApiError as exc:
        return exc.response.data  # type: ignore[no-any-return]


async def test_each_workspace_gets_its_own_token_for_its_team(
    app: AsyncWebClient, standin: SlackStandIn
) -> None:
    back = standin.approve(consent(standin), "T1", "UADA")
    assert back.startswith(REDIRECT + "?")
    assert query_of(back)["state"] == "st"
    one = await exchange(app, standin, query_of(back)["code"])
    two = await exchange(app, standin, query_of(standin.approve(consent(standin), "T2"))["code"])
    assert (one["team"]["id"], one["authed_user"]["id"], one["token_type"]) == ("T1", "UADA", "bot")
    assert one["scope"] == "commands,users:read"
    assert two["team"]["id"] == "T2"
    assert one["access_token"] != two["access_token"]
    assert standin.token_teams == {one["access_token"]: "T1", two["access_token"]: "T2"}
    tested = await app.auth_test(token=two["access_token"])
    assert (tested["team_id"], tested["bot_id"]) == ("T2", "BT2")
    assert standin.calls[-1].method == "auth.test"
    assert standin.calls[-1].token == two["access_token"]
    assert standin.calls_by("T2") == [standin.calls[-1]]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"client_id": "9999.8888"}, "invalid_client_id"),
        ({"client_secret": "not-it"}, "bad_client_secret"),
        ({"code": "code-nobody-was-given"}, "invalid_code"),
    ],
)
async def test_wrong_credentials_or_an_unknown_code_are_refused(
    app: AsyncWebClient, standin: SlackStandIn, changes: dict[str, str], error: str
) -> None:
    arguments = dict(changes)
    code = arguments.pop("code", query_of(standin.approve(consent(standin), "T1"))["code"])
    assert (await exchange(app, standin, code, **arguments))["error"] == error
    assert standin.token_teams == {}
    assert [r.error for r in standin.refused("oauth.v2.access")] == [error]


async def test_a_code_is_good_once(app: AsyncWebClient, standin: SlackStandIn) -> None:
    code = query_of(standin.approve(consent(standin), "T1"))["code"]
    assert (await exchange(app, standin, code))["ok"] is True
    assert (await exchange(app, standin, code))["error"] == "invalid_code"
    assert len(standin.token_teams) == 1


async def test_the_redirect_uri_must_match_the_one_asked_for(
    app: AsyncWebClient, standin: SlackStandIn
) -> None:
    back = standin.approve(consent(standin, redirect_uri=REDIRECT), "T1")
    code = query_of(back)["code"]
    other = "https://elsewhere.example/cb"
    assert (await exchange(app, standin, code, redirect_uri=other))["error"] == "bad_redirect_uri"
    code = query_of(standin.approve(consent(standin, redirect_uri=REDIRECT), "T1"))["code"]
    assert (await exchange(app, standin, code, redirect_uri=REDIRECT))["ok"] is True
    with pytest.raises(AssertionError, match="bad redirect_uri"):
        standin.approve(consent(standin, redirect_uri=other), "T1")


async def test_the_credentials_may_come_as_form_fields(standin: SlackStandIn) -> None:
    standin.redirect_urls = [REDIRECT]
    code = query_of(standin.approve(consent(standin), "T1"))["code"]
    form = {"client_id": standin.client_id, "client_secret": standin.client_secret, "code": code}
    async with (
        aiohttp.ClientSession() as session,
        session.post(standin.api_url + "oauth.v2.access", data=form) as response,
    ):
        granted = await response.json()
    assert (granted["ok"], granted["team"]["id"]) == (True, "T1")


async def test_a_token_has_only_the_scopes_its_install_granted_and_ends_with_it(
    app: AsyncWebClient, standin: SlackStandIn
) -> None:
    only_commands = consent(standin).replace("commands,users:read", "commands")
    granted = await exchange(app, standin, query_of(standin.approve(only_commands, "T1"))["code"])
    client = AsyncWebClient(token=granted["access_token"], base_url=standin.api_url)
    with pytest.raises(SlackApiError) as missing:
        await client.users_info(user="UADA")
    assert (missing.value.response["error"], missing.value.response["needed"]) == (
        "missing_scope",
        "users:read",
    )
    assert [event["type"] for event in standin.uninstall("T1")] == [
        "app_uninstalled",
        "tokens_revoked",
    ]
    with pytest.raises(SlackApiError) as revoked:
        await client.auth_test()
    assert revoked.value.response["error"] == "token_revoked"


async def test_cancelling_sends_the_person_back_with_access_denied(standin: SlackStandIn) -> None:
    standin.redirect_urls = [REDIRECT]
    back = standin.cancel(consent(standin))
    assert query_of(back) == {"error": "access_denied", "state": "st"}


async def test_only_a_distributed_app_is_sent_the_uninstall_events(standin: SlackStandIn) -> None:
    """The manifest without --distribute does not subscribe them, so Slack would not send them."""
    for event in standin.uninstall("T1"):
        with pytest.raises(EventNotSubscribed):
            await standin.deliver_workspace_http("http://127.0.0.1:9/", "s", event, "Ev1", "T1")
    assert {"app_uninstalled", "tokens_revoked"} <= DISTRIBUTED_EVENTS
