"""The stand-in's views desk refuses what real Slack refuses, through the real slack_sdk client:
views that slack_sdk's models reject, trigger ids Slack never issued, used already or issued
more than 3 s ago; and an ephemeral post where the bot is not a member."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.adapters.slack.standin import SlackStandIn


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def option(value: str) -> dict[str, Any]:
    return {"text": plain(value), "value": value}


def text_input(block_id: str = "answer", **element: Any) -> dict[str, Any]:
    return an_input({"type": "plain_text_input"} | element, block_id)


def an_input(element: dict[str, Any], block_id: str = "answer") -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain("Answer"),
        "element": {"action_id": "a"} | element,
    }


def a_modal(*blocks: dict[str, Any], **view: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "c",
        "title": plain("Title"),
        "submit": plain("Save"),
        "blocks": list(blocks) or [text_input()],
    } | view


async def refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        await call
    return dict(raised.value.response.data)


async def test_a_valid_view_opens_once_with_a_fresh_trigger(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    trigger = standin.views.mint("U1")
    opened = await client.views_open(trigger_id=trigger, view=a_modal())
    assert opened["view"]["id"].startswith("V")
    (kept,) = standin.views.open_views()
    assert (kept.user_id, kept.view["title"]) == ("U1", plain("Title"))
    again = await refusal(client.views_open(trigger_id=trigger, view=a_modal()))
    assert again["error"] == "exchanged_trigger_id"


async def test_an_unknown_or_expired_trigger_is_refused(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    unknown = await refusal(client.views_open(trigger_id="1.2.abc", view=a_modal()))
    assert unknown["error"] == "invalid_trigger_id"
    stale = standin.views.mint("U1", age=3.1)
    expired = await refusal(client.views_open(trigger_id=stale, view=a_modal()))
    assert expired["error"] == "expired_trigger_id"
    just_in_time = standin.views.mint("U1", age=2.5)
    assert (await client.views_open(trigger_id=just_in_time, view=a_modal()))["ok"] is True


@pytest.mark.parametrize(
    "view",
    [
        a_modal(title=plain("T" * 25)),
        a_modal(submit=plain("S" * 25)),
        a_modal(submit=None),
        a_modal(private_metadata="m" * 3001),
        a_modal(type="dialog"),
        a_modal(text_input(max_length=3001)),
        a_modal(text_input("x"), text_input("x")),
        a_modal(an_input({"type": "nope"})),
        a_modal(an_input({"type": "checkboxes", "options": [option(str(n)) for n in range(11)]})),
        a_modal(
            an_input(
                {"type": "static_select", "options": [option("a")], "initial_option": option("b")}
            )
        ),
        a_modal(
            an_input({"type": "static_select", "options": [option("a") | {"value": "v" * 151}]})
        ),
        a_modal(
            an_input(
                {
                    "type": "number_input",
                    "is_decimal_allowed": False,
                    "min_value": "5",
                    "max_value": "1",
                }
            )
        ),
        a_modal(an_input({"type": "timepicker", "initial_time": "9 am"})),
        a_modal(*[{"type": "divider"}] * 101),
    ],
    ids=[
        "title over 24",
        "submit over 24",
        "inputs without submit",
        "metadata over 3000",
        "not a view type",
        "text input max_length over 3000",
        "block ids repeated",
        "unknown input element",
        "11 checkboxes",
        "initial option not offered",
        "option value over 150",
        "number bounds reversed",
        "time not HH:mm",
        "101 blocks",
    ],
)
async def test_views_slack_would_refuse_are_refused(
    standin: SlackStandIn, client: AsyncWebClient, view: dict[str, Any]
) -> None:
    trigger = standin.views.mint("U1")
    answer = await refusal(client.views_open(trigger_id=trigger, view=view))
    assert answer["error"] == "invalid_arguments"
    assert answer["response_metadata"]["messages"]
    assert standin.views.opened == []
    assert (await client.views_open(trigger_id=trigger, view=a_modal()))["ok"] is True


async def test_update_and_publish_validate_their_views_too(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    opened = await client.views_open(trigger_id=standin.views.mint("U1"), view=a_modal())
    view_id = opened["view"]["id"]
    bad = a_modal(title=plain("T" * 25))
    assert (await refusal(client.views_update(view_id=view_id, view=bad)))[
        "error"
    ] == "invalid_arguments"
    assert (await refusal(client.views_update(view_id="V9999", view=a_modal())))[
        "error"
    ] == "not_found"
    updated = await client.views_update(view_id=view_id, view=a_modal(title=plain("New")))
    assert updated["view"]["title"] == plain("New")
    home = {"type": "home", "blocks": [{"type": "section", "text": plain("x" * 3001)}]}
    assert (await refusal(client.views_publish(user_id="U1", view=home)))[
        "error"
    ] == "invalid_arguments"


async def test_an_ephemeral_post_needs_the_bot_in_the_channel(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    """Unlike chat.postMessage, chat:write.public does not cover it."""
    public = await refusal(client.chat_postEphemeral(channel="CPUBLIC", user="U1", text="hi"))
    assert public["error"] == "not_in_channel"
    standin.private_channels.add("CSECRET")
    hidden = await refusal(client.chat_postEphemeral(channel="CSECRET", user="U1", text="hi"))
    assert hidden["error"] == "channel_not_found"
    standin.members_of.add("CPUBLIC")
    assert (await client.chat_postEphemeral(channel="CPUBLIC", user="U1", text="hi"))["ok"]
    assert (await client.chat_postEphemeral(channel="DU1", user="U1", text="hi"))["ok"]
    assert [m["text"] for m in standin.ephemerals["CPUBLIC"]] == ["hi"]
