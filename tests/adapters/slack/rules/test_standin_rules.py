"""The Slack stand-in refuses what real Slack refuses, through the real slack_sdk clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.app import NEVER_CONNECTED, make_client
from adapters.slack.blocks import render
from bot.config import Settings
from bot.content.loader import load_catalog
from bot.content.locations import default_content_root
from bot.domain.replies import Reply
from bot.domain.selection import Pick
from bot.presenters.daily import daily_post_reply, public_answer_reply
from bot.presenters.practice import answer_reply, question_reply
from bot.usecases.answer import Revealed
from bot.usecases.ask import Asked
from tests.adapters.slack.mrkdwn_reading import literal_markers
from tests.adapters.slack.slack_rules import block_problems
from tests.adapters.slack.standin import MANIFEST_SCOPES, PRE_ISSUE_12_SCOPES, SlackStandIn


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(action_id: str) -> dict[str, Any]:
    label = {"type": "plain_text", "text": "Go"}
    return {"type": "button", "text": label, "action_id": action_id, "value": "v"}


async def refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        await call
    assert raised.value.response.status_code == 200  # Slack says no with HTTP 200
    return dict(raised.value.response.data)


async def test_a_method_whose_scope_was_not_granted_is_refused(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    standin.scopes = PRE_ISSUE_12_SCOPES
    answer = await refusal(client.conversations_open(users="U1"))
    assert answer["error"] == "missing_scope"
    assert answer["needed"] == "im:write"
    assert answer["provided"].split(",") == sorted(PRE_ISSUE_12_SCOPES)
    assert (await client.users_info(user="U1"))["ok"] is True  # users:read was granted


async def test_a_scope_missing_from_the_adapters_table_would_be_caught(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    """The stand-in knows Slack's requirements itself: were files:write dropped from
    adapters/slack/scopes.py, the manifest's install could not upload."""
    standin.scopes = MANIFEST_SCOPES - {"files:write"}
    channel = (await client.conversations_open(users="U1"))["channel"]["id"]
    answer = await refusal(client.files_upload_v2(channel=channel, content="x", filename="x"))
    assert (answer["error"], answer["needed"]) == ("missing_scope", "files:write")


async def test_an_unknown_method_is_refused(client: AsyncWebClient) -> None:
    answer = await refusal(client.api_call("quizbot.nothing"))
    assert (answer["error"], answer["req_method"]) == ("unknown_method", "quizbot.nothing")


@pytest.mark.parametrize(
    "blocks",
    [
        [section("x" * 3001)],
        [section("")],
        [section(f"part {n}") for n in range(51)],
        [{"type": "no-such-block"}],
        [{"type": "section"}],
        [{"type": "header", "text": {"type": "plain_text", "text": "T" * 151}}],
        [{"type": "actions", "elements": [button("a"), button("a")]}],
        "[not json",
    ],
    ids=[
        "section over 3000",
        "empty text",
        "51 blocks",
        "unknown type",
        "section without text",
        "header over 150",
        "duplicate action ids",
        "not JSON",
    ],
)
async def test_blocks_slack_sdk_rejects_are_refused(
    standin: SlackStandIn, client: AsyncWebClient, blocks: object
) -> None:
    standin.members_of.add("CTEAM")
    answer = await refusal(client.chat_postMessage(channel="CTEAM", text="t", blocks=blocks))  # type: ignore[arg-type]
    assert answer["error"] == "invalid_blocks"
    assert answer["errors"]
    assert standin.messages == {}


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
async def test_message_limits(standin: SlackStandIn, client: AsyncWebClient) -> None:
    standin.members_of.add("CTEAM")
    assert (await refusal(client.chat_postMessage(channel="CTEAM", text="")))["error"] == "no_text"
    too_long = client.chat_postMessage(channel="CTEAM", text="x" * 40_001)
    assert (await refusal(too_long))["error"] == "msg_too_long"
    assert (await client.chat_postMessage(channel="CTEAM", text="x" * 40_000))["ok"] is True


async def test_a_response_url_refuses_invalid_blocks_with_http_400(
    standin: SlackStandIn,
) -> None:
    webhook = AsyncWebhookClient(standin.response_url())
    refused = await webhook.send(text="t", blocks=[section("x" * 3001)])
    assert (refused.status_code, refused.body) == (400, "invalid_blocks")
    empty = await webhook.send(text="")
    assert (empty.status_code, empty.body) == (400, "no_text")
    fine = await webhook.send(text="t", blocks=[section("fine")])
    assert (fine.status_code, fine.body) == (200, "ok")
    assert len(standin.responses) == 1


async def test_posting_where_the_bot_may_not(standin: SlackStandIn, client: AsyncWebClient) -> None:
    """A bot posts in public channels it never joined only with chat:write.public; private
    channels it was not invited to do not exist for it; DMs must be opened first."""
    assert (await client.chat_postMessage(channel="CPUBLIC", text="hi"))["ok"] is True
    standin.scopes = MANIFEST_SCOPES - {"chat:write.public"}
    assert (await refusal(client.chat_postMessage(channel="CPUBLIC", text="hi")))[
        "error"
    ] == "not_in_channel"
    standin.private_channels.add("CSECRET")
    assert (await refusal(client.chat_postMessage(channel="CSECRET", text="hi")))[
        "error"
    ] == "channel_not_found"
    assert (await refusal(client.chat_postMessage(channel="DU1", text="hi")))[
        "error"
    ] == "channel_not_found"


async def test_history_needs_its_scope_and_membership_and_shows_metadata_on_request(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    metadata = {"event_type": "quizbot_daily_post", "event_payload": {"post_id": 7}}
    question = await client.chat_postMessage(channel="CTEAM", text="q", metadata=metadata)
    await client.chat_postMessage(channel="CTEAM", text="a", thread_ts=question["ts"])
    not_member = await refusal(client.conversations_history(channel="CTEAM"))
    assert not_member["error"] == "not_in_channel"  # chat:write.public does not read

    standin.members_of.add("CTEAM")
    plain = await client.conversations_history(channel="CTEAM")
    assert [(m["text"], "metadata" in m) for m in plain["messages"]] == [("q", False)]
    full = await client.conversations_history(channel="CTEAM", include_all_metadata=True)
    assert full["messages"][0]["metadata"] == metadata

    standin.scopes = MANIFEST_SCOPES - {"groups:history"}
    standin.private_channels.add("CSECRET")
    standin.members_of.add("CSECRET")
    answer = await refusal(client.conversations_history(channel="CSECRET"))
    assert (answer["error"], answer["needed"]) == ("missing_scope", "groups:history")


async def test_malformed_metadata_is_refused(standin: SlackStandIn, client: AsyncWebClient) -> None:
    standin.members_of.add("CTEAM")
    bad = client.chat_postMessage(channel="CTEAM", text="q", metadata={"event_payload": {}})
    assert (await refusal(bad))["error"] == "invalid_metadata_format"


def packaged_replies() -> Iterator[tuple[str, Reply]]:
    """Every packaged question as asked, revealed, posted daily and answered in its thread."""
    for pack in load_catalog(default_content_root()).packs:
        for question in pack.questions:
            yield question.id, question_reply(Asked(question, Pick.CHOSEN, None, None, 0))
            yield question.id, answer_reply(Revealed(question))
            yield question.id, daily_post_reply(question)
            yield question.id, public_answer_reply(question)


def test_every_packaged_question_and_answer_renders_to_blocks_slack_accepts() -> None:
    """What the stand-in would refuse, real Slack would too: the real content must pass."""
    checked = 0
    for question_id, reply in packaged_replies():
        for message in render(reply):
            assert block_problems(message.blocks) == [], (question_id, message.blocks)
            assert 0 < len(message.text) <= 40_000
            checked += 1
    assert checked >= 4 * 70


def test_every_packaged_reply_reads_as_formatted_text_on_slack() -> None:
    """No `**` or stray marker a reader would see in the blocks, and a fallback `text` in plain,
    escaped words (issue 13: eight answers showed `**Decorator `status_code`**`)."""
    checked = 0
    for question_id, reply in packaged_replies():
        for message in render(reply):
            for text in mrkdwn_texts(message.blocks):
                assert literal_markers(text) == [], (question_id, text)
                checked += 1
            assert "**" not in message.text, (question_id, message.text)
            assert re.fullmatch(r"([^&<>]|&amp;|&lt;|&gt;)*", message.text), question_id
    assert checked >= 4 * 70


def mrkdwn_texts(blocks: list[dict[str, Any]]) -> Iterator[str]:
    for block in blocks:
        if block["type"] == "section":
            yield block["text"]["text"]
        elif block["type"] == "context":
            yield from (e["text"] for e in block["elements"] if e["type"] == "mrkdwn")


async def test_a_token_slack_does_not_know_is_refused(standin: SlackStandIn) -> None:
    settings = Settings(
        _env_file=None, slack_bot_token=SecretStr("xoxb-other"), slack_api_url=standin.api_url
    )
    assert (await refusal(make_client(settings).auth_test()))["error"] == "invalid_auth"


async def test_socket_mode_wants_the_app_token(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    opened = await client.apps_connections_open(app_token=standin.app_token)
    assert opened["url"].startswith("ws://")
    wrong_kind = await refusal(client.apps_connections_open(app_token=standin.bot_token))
    assert wrong_kind["error"] == "not_allowed_token_type"
    unknown = await refusal(client.apps_connections_open(app_token="xapp-other"))
    assert unknown["error"] == "invalid_auth"


async def test_a_dropped_answer_still_keeps_the_post(standin: SlackStandIn) -> None:
    """Slack kept the message but its answer never arrived: a client that retries any
    connection error posts it twice; the posting client retries only connections never made."""
    settings = Settings(
        _env_file=None, slack_bot_token=SecretStr("xoxb-test"), slack_api_url=standin.api_url
    )
    standin.drop_after_post_next = 1
    await make_client(settings).chat_postMessage(channel="CTEAM", text="blind")
    assert [m["text"] for m in standin.messages["CTEAM"]] == ["blind", "blind"]
    standin.drop_after_post_next = 1
    posting = make_client(settings, retry_on=NEVER_CONNECTED)
    with pytest.raises(aiohttp.ClientConnectionError):
        await posting.chat_postMessage(channel="CGENERAL", text="careful")
    assert [m["text"] for m in standin.messages["CGENERAL"]] == ["careful"]
