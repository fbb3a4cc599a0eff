"""Forms as Slack modals: every form the core opens renders to a view slack_sdk's `View` model
accepts, what Slack sends back reads into the core's values, and malformed submissions stop at
the door."""

from __future__ import annotations

import json
from datetime import time
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk.models.views import View

from adapters.slack import payloads
from adapters.slack.modals import (
    CALLBACK_ID,
    FormOrigin,
    form_values,
    inline_errors,
    modal,
    timezone_options,
)
from bot.content.loader import load_catalog
from bot.content.locations import default_content_root
from bot.domain.content import Level
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import ChannelAddress, Subscription
from bot.presenters import forms
from tests.adapters.slack.conftest import ADMIN, SECRET, SlackHarness
from tests.adapters.slack.slack_rules import view_problems
from tests.adapters.slack.standin import sign
from tests.adapters.slack.standin_views import NotSubmittable, ViewsDesk
from tests.conftest import MINI_CONTENT

ORIGIN = FormOrigin("subscribe", "mini", "CTEAM", "team", "https://hooks.example/r1")
PACK = load_catalog(MINI_CONTENT).packs[0]
CURRENT = Subscription(
    id=1,
    channel_row_id=1,
    channel=ChannelAddress("slack", "CTEAM", "team"),
    pack_id="mini",
    schedule=DailySchedule(time(7, 15), "Asia/Tokyo", frozenset({0, 2})),
    level=Level.SENIOR,
    reveal_time=time(18, 0),
    active=True,
    team_threshold=3,
)


def accepted(view: dict[str, Any]) -> None:
    """As Slack's views.open would judge it: slack_sdk's model, then the views reference."""
    View(**view).validate_json()
    assert view_problems(view) == []


def test_every_form_the_core_opens_is_a_view_slack_accepts() -> None:
    checked = 0
    for pack in load_catalog(default_content_root()).packs:
        for question in pack.questions:
            accepted(modal(forms.answer_form(question), ORIGIN))
            checked += 1
        accepted(
            modal(forms.subscribe_form(pack, None, "America/Argentina/ComodRivadavia"), ORIGIN)
        )
        accepted(modal(forms.subscribe_form(pack, CURRENT, "Asia/Tokyo"), ORIGIN))
    assert checked >= 70


def test_the_metadata_carries_the_form_and_where_it_was_opened() -> None:
    view = modal(forms.subscribe_form(PACK, None, "UTC"), ORIGIN)
    assert view["callback_id"] == CALLBACK_ID
    assert FormOrigin.decode(view["private_metadata"]) == ORIGIN
    for junk in ("", "not json", "[]", '{"kind": "subscribe"}', json.dumps({"kind": 1})):
        with pytest.raises(ValueError):  # noqa: PT011 - each is refused its own way
            FormOrigin.decode(junk)


def test_what_slack_sends_back_reads_as_the_core_expects() -> None:
    """Through the stand-in's desk: the state Slack builds for each element type."""
    desk = ViewsDesk()
    view = modal(forms.subscribe_form(PACK, CURRENT, "Asia/Tokyo"), ORIGIN)
    opened = desk.answer("views.open", {"trigger_id": desk.mint(ADMIN), "view": view})
    view_id = opened["view"]["id"]
    untouched = payloads.form_submission(desk.submission(view_id))
    assert untouched.values == {
        forms.POST_TIME: "07:15",
        forms.TIMEZONE: "Asia/Tokyo",
        forms.DAYS: ("mon", "wed"),
        forms.LEVEL: "senior",
        forms.REVEAL_TIME: "18:00",
        forms.TEAM: "3",
    }
    assert untouched.origin == ORIGIN
    assert untouched.user_id == ADMIN
    assert untouched.block_ids == tuple(
        field.id for field in forms.subscribe_form(PACK, None, "UTC").fields
    )
    cleared = payloads.form_submission(desk.submission(view_id, {forms.REVEAL_TIME: None}))
    assert cleared.values[forms.REVEAL_TIME] == ""
    with pytest.raises(NotSubmittable):  # Slack's modal keeps a required input filled
        desk.submission(view_id, {forms.POST_TIME: None})
    with pytest.raises(NotSubmittable):  # and a number within its bounds
        desk.submission(view_id, {forms.TEAM: "101"})


def test_values_of_a_shape_slack_never_sends_are_malformed() -> None:
    for state in (
        {"post_time": {}},
        {"post_time": {"a": {"type": "timepicker", "selected_time": 9}}},
        {"post_time": {"a": {"type": "datepicker", "selected_date": "2026-01-01"}}},
        {"days": {"a": {"type": "checkboxes", "selected_options": [{"text": "x"}]}}},
    ):
        with pytest.raises(ValueError):  # noqa: PT011
            form_values(state)


def test_errors_show_under_their_fields_as_plain_text() -> None:
    ids = ("post_time", "reveal_time")
    assert inline_errors({"reveal_time": "`reveal 07:00` is **early**"}, ids) == {
        "reveal_time": "reveal 07:00 is early"
    }
    assert inline_errors({"elsewhere": "No.", "post_time": "Bad."}, ids) == {
        "post_time": "Bad. No."
    }


def test_the_timezone_search_stays_within_slacks_limits() -> None:
    assert len(timezone_options("a")) == 100
    assert timezone_options("berlin")[0] == {
        "text": {"type": "plain_text", "text": "Europe/Berlin"},
        "value": "Europe/Berlin",
    }
    assert timezone_options("no such zone") == []


@pytest.mark.parametrize(
    "metadata", ["not json", json.dumps({"kind": "answer"}), ORIGIN.encode().replace("CTEAM", "")]
)
async def test_a_signed_submission_with_broken_metadata_is_refused_at_the_door(
    slack: SlackHarness, metadata: str
) -> None:
    view = modal(forms.subscribe_form(PACK, None, "UTC"), ORIGIN) | {"private_metadata": metadata}
    payload = {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": ADMIN, "name": "ada"},
        "api_app_id": "A1",
        "view": view | {"id": "V1", "state": {"values": {}}},
    }
    body = urlencode({"payload": json.dumps(payload)})
    assert await slack.post(body, sign(SECRET, body)) == 400
    assert slack.standin.of("users.info") == []
