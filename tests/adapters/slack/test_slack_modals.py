"""Slack modals through the real Bolt app and the stand-in: the channel-settings form and
"Write my answer", opened with the interaction's trigger_id, submitted back, answered inline
when a field is wrong, and the reply shown where the person opened the form."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from adapters.slack import identity as slack_identity
from adapters.slack.app import make_app, open_parts
from adapters.slack.modals import CALLBACK_ID, TIMEZONE_ACTION
from adapters.slack.runner import SlackRunner
from bot.composition import build_runtime
from bot.config import Settings
from bot.storage.schema import attempts, subscriptions
from tests.adapters.slack.conftest import ADMIN, MEMBER, SECRET, SlackHarness, texts
from tests.adapters.slack.standin import (
    SlackStandIn,
    action_body,
    search_options,
    sign,
    submit_view,
)
from tests.adapters.slack.standin_views import OpenedView
from tests.e2e.process import closed_port

FIELDS = ["post_time", "timezone", "days", "level", "reveal_time", "team"]
GOOD = {
    "post_time": "08:30",
    "timezone": "America/New_York",
    "days": ["mon", "wed", "fri"],
    "level": "senior",
    "reveal_time": "17:00",
    "team": "4",
}


async def count(slack: SlackHarness, table: Any) -> int:
    async with slack.runtime.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(table))).scalar())


async def next_view(slack: SlackHarness, seen: int) -> OpenedView:
    await slack.standin.wait_for(lambda: len(slack.standin.views.opened) > seen)
    return slack.standin.views.opened[-1]


async def open_subscribe_form(slack: SlackHarness, user: str = ADMIN) -> OpenedView:
    seen = len(slack.standin.views.opened)
    await slack.post_command("subscribe", user=user)
    return await next_view(slack, seen)


def inputs(view: OpenedView) -> dict[str, dict[str, Any]]:
    """Input blocks by block id."""
    return {b["block_id"]: b for b in view.view["blocks"] if b["type"] == "input"}


def initial(view: OpenedView) -> dict[str, object]:
    """What each input shows when the modal opens."""
    shown: dict[str, object] = {}
    for block_id, block in inputs(view).items():
        element = block["element"]
        if "initial_time" in element:
            shown[block_id] = element["initial_time"]
        elif "initial_option" in element:
            shown[block_id] = element["initial_option"]["value"]
        elif "initial_options" in element:
            shown[block_id] = [option["value"] for option in element["initial_options"]]
        else:
            shown[block_id] = element.get("initial_value")
    return shown


async def test_subscribe_opens_the_form_and_a_valid_submission_saves_it(
    slack: SlackHarness,
) -> None:
    view = await open_subscribe_form(slack)
    assert view.user_id == ADMIN
    assert view.view["callback_id"] == CALLBACK_ID
    assert view.view["title"]["text"] == "Daily question"
    assert list(inputs(view)) == FIELDS
    kinds = {block_id: block["element"]["type"] for block_id, block in inputs(view).items()}
    assert kinds == {
        "post_time": "timepicker",
        "timezone": "external_select",
        "days": "checkboxes",
        "level": "static_select",
        "reveal_time": "timepicker",
        "team": "number_input",
    }
    assert inputs(view)["reveal_time"]["optional"] is True
    assert inputs(view)["timezone"]["element"]["min_query_length"] == 1
    assert initial(view) == {
        "post_time": "09:00",
        "timezone": "Europe/Berlin",  # the admin's Slack timezone
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "level": "any",
        "reveal_time": None,
        "team": "2",
    }
    assert slack.standin.responses == []  # the form opened instead of a message

    ack = await submit_view(slack.standin, view.id, GOOD, http=slack.http)
    assert ack == ""  # a plain ack: Slack closes the modal
    await slack.standin.wait_for(lambda: bool(slack.standin.responses))
    (done,) = slack.standin.responses
    assert done["response_type"] == "in_channel"  # announced, as the typed command is
    assert "Daily question subscribed" in texts(done)
    assert "*When:* 08:30 America/New_York, Mon, Wed, Fri" in texts(done)
    assert await count(slack, subscriptions) == 1
    shown = texts(await slack.command("schedule"))
    assert "senior" in shown.lower()
    assert "17:00" in shown
    assert slack.standin.refusals == []


async def test_a_bad_field_gets_its_error_inline_and_nothing_is_saved(
    slack: SlackHarness,
) -> None:
    view = await open_subscribe_form(slack)
    ack = await submit_view(
        slack.standin, view.id, GOOD | {"reveal_time": "07:00"}, http=slack.http
    )
    assert ack["response_action"] == "errors"
    assert list(ack["errors"]) == ["reveal_time"]
    assert "reveal 07:00 is before the 08:30 question" in ack["errors"]["reveal_time"]
    assert "`" not in ack["errors"]["reveal_time"]  # errors show as plain text
    assert await count(slack, subscriptions) == 0
    assert slack.standin.responses == []
    assert slack.standin.views.open_views() == [view]  # still open, as the person left it

    assert await submit_view(slack.standin, view.id, GOOD, http=slack.http) == ""
    assert await count(slack, subscriptions) == 1


async def test_a_member_gets_no_form_and_a_demoted_admins_submission_is_refused(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = await slack.command("subscribe", user=MEMBER)
    assert "Only channel admins" in texts(refused)
    assert slack.standin.views.opened == []

    # An admin opens the form; Slack demotes them before they submit it.
    monkeypatch.setattr(slack_identity, "CACHE_SECONDS", 0.0)
    slack.standin.users["UCAROL"] = {"id": "UCAROL", "name": "carol", "is_admin": True}
    view = await open_subscribe_form(slack, user="UCAROL")
    slack.standin.users["UCAROL"]["is_admin"] = False
    ack = await submit_view(slack.standin, view.id, GOOD, http=slack.http)
    assert ack["response_action"] == "errors"
    assert ack["errors"]["post_time"].startswith("Only channel admins can change")
    assert await count(slack, subscriptions) == 0


async def test_the_schedule_buttons_open_the_form_prefilled(slack: SlackHarness) -> None:
    nothing = await slack.command("schedule", user=ADMIN)
    seen = len(slack.standin.views.opened)
    await slack.press(nothing, "Set up daily question", user=ADMIN)
    fresh = await next_view(slack, seen)
    assert initial(fresh)["post_time"] == "09:00"
    assert initial(fresh)["timezone"] == "Europe/Berlin"

    await slack.command("subscribe 07:15 Asia/Tokyo mon,wed senior reveal 18:00 team 3", user=ADMIN)
    schedule = await slack.command("schedule", user=ADMIN)
    await slack.press(schedule, "Change the schedule", user=ADMIN)
    current = await next_view(slack, seen + 1)
    assert initial(current) == {
        "post_time": "07:15",
        "timezone": "Asia/Tokyo",
        "days": ["mon", "wed"],
        "level": "senior",
        "reveal_time": "18:00",
        "team": "3",
    }


async def test_write_my_answer_opens_a_form_and_the_reply_comes_privately(
    slack: SlackHarness,
) -> None:
    question = await slack.command("3")
    seen = len(slack.standin.responses)
    await slack.press(question, "Write my answer")
    view = await next_view(slack, 0)
    assert view.view["title"]["text"] == "Write my answer"
    assert view.view["submit"]["text"] == "Check my answer"
    intro = view.view["blocks"][0]
    assert intro["type"] == "section"
    assert "What does an event loop do?" in intro["text"]["text"]
    (field,) = inputs(view).values()
    assert field["block_id"] == "answer"
    assert field["element"]["type"] == "plain_text_input"
    assert field["element"]["multiline"] is True
    assert field["element"]["max_length"] == 3000
    assert len(slack.standin.responses) == seen  # no message, only the modal

    answer = "The event loop runs many tasks on one thread."
    assert await submit_view(slack.standin, view.id, {"answer": answer}, http=slack.http) == ""
    await slack.standin.wait_for(lambda: len(slack.standin.responses) > seen)
    reply = slack.standin.responses[-1]
    assert reply["response_type"] == "ephemeral"
    shown = texts(reply)
    assert "*Key points you covered:" in shown
    suggested = [line for line in shown.splitlines() if line.startswith("Suggested grade: ")]
    assert len(suggested) == 1
    graded = await slack.click(reply, "Partly")
    assert "Recorded *partly* for question 3" in texts(graded)
    async with slack.runtime.engine.connect() as connection:
        row = (await connection.execute(select(attempts))).one()
    assert row.written_answer == answer
    assert slack.standin.refusals == []


async def test_an_expired_trigger_gets_the_person_a_private_note(slack: SlackHarness) -> None:
    note = await slack.command("subscribe", user=ADMIN, trigger_age=3.5)
    assert note["response_type"] == "ephemeral"
    shown = texts(note)
    assert "I couldn't open the form." in shown
    assert "/mini-quiz subscribe 09:00 Europe/Berlin" in shown  # the typed way
    (refusal,) = slack.standin.refused("views.open")
    assert refusal.error == "expired_trigger_id"
    assert slack.standin.views.opened == []


@pytest.mark.parametrize("member", [True, False], ids=["bot in channel", "bot not in channel"])
async def test_a_reply_whose_response_url_is_gone_is_posted_privately_or_in_direct_messages(
    slack: SlackHarness, member: bool
) -> None:
    """A click's response_url lasts 30 minutes; an answer written for longer is shown privately
    in the channel where Slack lets the bot post that way, else in the direct messages."""
    if member:
        slack.standin.members_of.add("CTEAM")
    question = await slack.command("3")
    (button,) = [b for b in buttons(question) if b["text"]["text"] == "Write my answer"]
    gone = f"http://127.0.0.1:{closed_port()}/respond/old"  # answers nothing any more
    trigger = slack.standin.views.mint(MEMBER)
    click = action_body(button["action_id"], button["value"], MEMBER, "CTEAM", gone, trigger)
    assert await slack.post(click, sign(SECRET, click)) == 200
    view = await next_view(slack, 0)
    answer = {"answer": "One thread, many tasks."}
    assert await submit_view(slack.standin, view.id, answer, http=slack.http) == ""
    if member:
        await slack.standin.wait_for(lambda: bool(slack.standin.ephemerals.get("CTEAM")))
        (posted,) = slack.standin.ephemerals["CTEAM"]
        assert posted["user"] == MEMBER
        assert "Suggested grade: " in texts(posted)
    else:
        dm = f"D{MEMBER}"
        await slack.standin.wait_for(lambda: bool(slack.standin.messages.get(dm)))
        assert "Suggested grade: " in texts(slack.standin.messages[dm][-1])
        (refusal,) = slack.standin.refused("chat.postEphemeral")
        assert refusal.error == "not_in_channel"


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def test_the_timezone_search_offers_matching_zones(slack: SlackHarness) -> None:
    view = await open_subscribe_form(slack)
    options = await search_options(slack.standin, view.id, "timezone", "york", http=slack.http)
    assert [o["value"] for o in options] == ["America/New_York"]
    assert options[0]["text"] == {"type": "plain_text", "text": "America/New_York"}
    many = await search_options(slack.standin, view.id, "timezone", "a", http=slack.http)
    assert len(many) == 100  # Slack's most for one answer
    assert all("a" in o["value"].lower() for o in many)
    assert inputs(view)["timezone"]["element"]["action_id"] == TIMEZONE_ACTION


async def test_the_form_round_trip_over_socket_mode(
    slack_settings: Settings, standin: SlackStandIn
) -> None:
    settings = slack_settings.model_copy(
        update={"slack_app_token": SecretStr("xapp-test"), "slack_signing_secret": None}
    )
    parts = await open_parts(settings)
    runtime = await build_runtime(settings, ports={"slack": parts.port})
    runner = SlackRunner(make_app(settings, runtime.quizbot, parts), app_token="xapp-test")
    await runner.start()
    try:
        payload = {
            "command": "/mini-quiz",
            "text": "subscribe",
            "user_id": ADMIN,
            "user_name": "ada",
            "channel_id": "CTEAM",
            "channel_name": "team",
            "team_id": "T1",
            "response_url": standin.response_url(),
            "trigger_id": standin.views.mint(ADMIN),
        }
        await standin.send_envelope(
            {"envelope_id": "env-open", "type": "slash_commands", "payload": payload}
        )
        await standin.wait_for(lambda: bool(standin.views.opened))
        (view,) = standin.views.opened
        options = await search_options(standin, view.id, "timezone", "new_y")
        assert [o["value"] for o in options] == ["America/New_York"]
        refused = await submit_view(standin, view.id, GOOD | {"post_time": "18:00"})
        assert list(refused["errors"]) == ["reveal_time"]
        assert await submit_view(standin, view.id, GOOD) == ""
        await standin.wait_for(lambda: bool(standin.responses))
        async with runtime.engine.connect() as connection:
            saved = (await connection.execute(select(subscriptions.c.team_threshold))).all()
    finally:
        await runner.stop()
        await runtime.aclose()
        await parts.aclose()
    assert saved == [(4,)]
    assert "Daily question subscribed" in texts(standin.responses[-1])
