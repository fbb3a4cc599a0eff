"""The App Home through the real Bolt app and the stand-in: opened over HTTP and Socket Mode,
settings changed on it, questions asked from it, refreshed after grades (bursts coalesced),
retried events handled once, and events the manifest does not subscribe never sent."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from adapters.slack.app import SlackApp, make_app, open_parts
from adapters.slack.home import SlackHome
from adapters.slack.manifest import manifest
from adapters.slack.runner import SlackRunner
from bot.composition import build_runtime
from bot.config import Settings
from bot.content.loader import load_catalog
from bot.storage.schema import users
from tests.adapters.slack.conftest import ADMIN, MEMBER, SECRET, SlackHarness, texts
from tests.adapters.slack.home_reading import (
    button,
    change,
    element,
    home_texts,
    initial,
    on_home,
    open_home,
    pictures,
    published,
)
from tests.adapters.slack.standin import (
    EventNotSubscribed,
    SlackStandIn,
    action_body,
    event_callback,
    home_suggestion,
    sign,
)
from tests.conftest import MINI_CONTENT

DM = f"D{MEMBER}"


def tab(slack: SlackHarness) -> SlackHome:
    assert slack.app is not None
    assert slack.app.home is not None
    return slack.app.home


async def grade(slack: SlackHarness, number: int, label: str, channel: str = "CTEAM") -> None:
    question = await slack.command(str(number), channel=channel)
    answer = await slack.click(question, "Reveal answer", channel=channel)
    graded = await slack.click(answer, label, channel=channel)
    assert "Recorded" in texts(graded), texts(graded)


async def stored(slack: SlackHarness) -> Any:
    async with slack.runtime.engine.connect() as connection:
        query = select(users).where(users.c.platform_user_id == MEMBER)
        return (await connection.execute(query)).one()


async def test_the_home_shows_the_streak_the_picture_and_the_settings(slack: SlackHarness) -> None:
    await grade(slack, 3, "Knew it")
    home = await open_home(slack, "Ev1")
    shown = home_texts(home)
    assert "Mini test pack practice" in shown
    assert "*1 day* now · best 1 day · 0 freezes held" in shown
    assert "*1* graded: 1 knew it, 0 partly, 0 missed" in shown
    assert "Mid: 1/2 practised, recall 100%" in shown
    assert home["private_metadata"] == "mini"

    (picture,) = [b for b in home["blocks"] if b["type"] == "image"]
    file_id = picture["slack_file"]["id"]
    assert file_id in slack.standin.files
    assert slack.standin.uploads[file_id].startswith(b"\x89PNG")
    (completed,) = slack.standin.of("files.completeUploadExternal")
    assert not completed.get("channel_id")
    assert not completed.get("channels")  # uploaded, shared in no conversation

    assert element(home, "quizbot.home.level")["type"] == "static_select"
    assert element(home, "quizbot.home.timezone")["type"] == "external_select"
    assert element(home, "quizbot.home.remind")["type"] == "radio_buttons"
    assert initial(home, "level") == "any"
    assert initial(home, "timezone") == "America/New_York"  # from Slack's profile
    assert initial(home, "remind") == "off"
    assert button(home, "Ask me a question")["action_id"].startswith("quizbot.home.press.")


async def test_the_picture_is_uploaded_once_while_unchanged(slack: SlackHarness) -> None:
    tab(slack).refresh_seconds = 0.2
    await grade(slack, 3, "Knew it")
    first = await open_home(slack, "Ev1")
    second = await open_home(slack, "Ev2")
    (one,) = pictures(first)
    (same,) = pictures(second)
    assert one == same
    assert len(slack.standin.of("files.getUploadURLExternal")) == 1

    await grade(slack, 1, "Missed")  # the picture changes, the home is refreshed
    await slack.standin.wait_for(lambda: published(slack.standin) == 3)
    (new,) = pictures(slack.standin.home_of(MEMBER))
    assert new != one
    await slack.standin.wait_for(lambda: bool(slack.standin.deleted_files))
    assert slack.standin.deleted_files == [one]  # no home shows it any more
    assert new in slack.standin.files


async def test_a_home_for_someone_new_has_no_picture_and_asks_nothing_of_files(
    slack: SlackHarness,
) -> None:
    home = await open_home(slack, "Ev1")
    assert pictures(home) == []
    assert "No grades yet today." in home_texts(home)
    assert slack.standin.of("files.getUploadURLExternal") == []


async def test_settings_change_on_the_home(slack: SlackHarness) -> None:
    await open_home(slack, "Ev1")

    home = await change(slack, "level", "senior")
    assert initial(home, "level") == "senior"
    assert "Your usual level is now *senior*" in home_texts(home)
    home = await change(slack, "timezone", "Asia/Tokyo")
    assert initial(home, "timezone") == "Asia/Tokyo"
    home = await change(slack, "remind", "on")
    assert initial(home, "remind") == "on"
    row = await stored(slack)
    assert (row.level, row.timezone, row.remind) == ("senior", "Asia/Tokyo", True)

    refused = await change(slack, "timezone", "Mars/Olympus_Mons")
    assert ":warning: " in home_texts(refused)
    assert "is not a timezone I know" in home_texts(refused)
    assert initial(refused, "timezone") == "Asia/Tokyo"
    assert (await stored(slack)).timezone == "Asia/Tokyo"
    assert slack.standin.refused("views.publish") == []

    before = element(refused, "quizbot.home.level")
    await slack.command("level junior")  # typed, in a channel
    typed = await open_home(slack, "Ev2")
    assert initial(typed, "level") == "junior"
    ids = {b.get("block_id") for b in refused["blocks"]} ^ {
        b.get("block_id") for b in typed["blocks"]
    }
    # A new block id for the setting that changed, so Slack shows the new value.
    assert ids == {"home.setting.level.senior", "home.setting.level.junior"}
    assert before["initial_option"]["value"] == "senior"


async def test_the_home_timezone_select_searches_the_zones(slack: SlackHarness) -> None:
    home = await open_home(slack, "Ev1")
    body = home_suggestion(MEMBER, home, "quizbot.home.timezone", "tokyo")
    async with slack.session.post(slack.url, data=body, headers=sign(SECRET, body)) as response:
        assert response.status == 200
        options = (await response.json())["options"]
    assert {"text": {"type": "plain_text", "text": "Asia/Tokyo"}, "value": "Asia/Tokyo"} in options
    home = await change(slack, "timezone", options[0]["value"])
    assert initial(home, "timezone") == options[0]["value"]


async def test_ask_me_a_question_posts_it_in_the_messages_tab(slack: SlackHarness) -> None:
    tab(slack).refresh_seconds = 0.2
    await open_home(slack, "Ev1")
    await on_home(slack, button(slack.standin.home_of(MEMBER), "Ask me a question"))
    await slack.standin.wait_for(lambda: bool(slack.standin.messages.get(DM)))
    (question,) = slack.standin.messages[DM]
    assert "Reveal answer" in [e["text"]["text"] for e in _buttons(question)]
    assert slack.standin.responses == []  # nothing anywhere else

    answer = await _click_in_dm(slack, question, "Reveal answer")
    await _click_in_dm(slack, answer, "Partly")
    await slack.standin.wait_for(lambda: "*1* graded" in home_texts(slack.standin.home_of(MEMBER)))


async def test_grades_refresh_the_home_and_a_burst_is_coalesced(slack: SlackHarness) -> None:
    interval = 1.0
    tab(slack).refresh_seconds = interval
    await open_home(slack, "Ev1")
    started = time.monotonic()
    for number in (1, 2, 3, 4, 5):
        await grade(slack, number, "Knew it")
    burst = time.monotonic() - started
    await slack.standin.wait_for(lambda: "*5* graded" in home_texts(slack.standin.home_of(MEMBER)))
    await asyncio.sleep(interval * 1.5)  # anything still pending has had its turn
    refreshes = published(slack.standin) - 1
    # One publish per interval at most: the first grade's, then at most one per interval of
    # the burst, and the one folding in the last grades.
    assert 1 <= refreshes <= int(burst / interval) + 2, (refreshes, burst)
    assert refreshes < 5 or burst > 3 * interval
    assert "*5* graded" in home_texts(slack.standin.home_of(MEMBER))  # the last state won


async def test_only_homes_this_process_published_are_refreshed(slack: SlackHarness) -> None:
    await grade(slack, 3, "Knew it")
    await asyncio.sleep(0.3)
    assert slack.standin.of("views.publish") == []


async def test_a_retried_event_is_handled_once(slack: SlackHarness) -> None:
    await open_home(slack, "Ev1")
    retry = slack.standin.home_opened(MEMBER)
    assert await slack.standin.deliver_http(slack.url, SECRET, retry, "Ev1", retry=1) == 200
    await open_home(slack, "Ev2", user=ADMIN)  # handled after the retry was
    assert published(slack.standin) == 1
    assert published(slack.standin, ADMIN) == 1


async def test_the_messages_tab_publishes_nothing(slack: SlackHarness) -> None:
    messages = slack.standin.home_opened(MEMBER, tab="messages")
    assert await slack.standin.deliver_http(slack.url, SECRET, messages, "Ev1") == 200
    await open_home(slack, "Ev2", user=ADMIN)
    assert published(slack.standin) == 0


async def test_slack_never_sends_an_event_the_manifest_does_not_subscribe(
    slack: SlackHarness,
) -> None:
    message = {"type": "message", "channel": DM, "user": MEMBER, "text": "hi", "ts": "1.0"}
    with pytest.raises(EventNotSubscribed):
        await slack.standin.deliver_http(slack.url, SECRET, message, "Ev1")
    with pytest.raises(EventNotSubscribed):
        await slack.standin.deliver_socket(message, "Ev2")
    slack.standin.bot_events = frozenset()  # an install from a manifest without the home
    with pytest.raises(EventNotSubscribed):
        await slack.standin.deliver_http(slack.url, SECRET, slack.standin.home_opened(MEMBER), "E3")


async def test_malformed_home_payloads_are_refused_before_bolt(slack: SlackHarness) -> None:
    await open_home(slack, "Ev1")
    no_user = {
        "type": "event_callback",
        "event_id": "Ev9",
        "event": {"type": "app_home_opened", "tab": "home"},
    }
    body = json.dumps(no_user)
    assert await slack.post(body, sign(SECRET, body, content_type="application/json")) == 400
    no_id = {"type": "event_callback", "event": slack.standin.home_opened(MEMBER)}
    body = json.dumps(no_id)
    assert await slack.post(body, sign(SECRET, body, content_type="application/json")) == 400
    click = {
        "type": "block_actions",
        "user": {"id": MEMBER},
        "actions": [{"type": "button", "action_id": "quizbot.home.press.quizbot.next#0"}],
    }  # no view: not from a home
    body = urlencode({"payload": json.dumps(click)})
    assert await slack.post(body, sign(SECRET, body)) == 400
    assert published(slack.standin) == 1


@pytest.fixture
async def socket_app(slack_settings: Settings, standin: SlackStandIn) -> AsyncIterator[SlackApp]:
    settings = slack_settings.model_copy(
        update={"slack_app_token": SecretStr("xapp-test"), "slack_signing_secret": None}
    )
    parts = await open_parts(settings)
    runtime = await build_runtime(settings, ports={"slack": parts.port})
    app = make_app(settings, runtime.quizbot, parts)
    runner = SlackRunner(app, app_token="xapp-test")
    await runner.start()
    yield app
    await runner.stop()
    await runtime.aclose()
    await parts.aclose()


def test_the_manifest_enables_the_home_and_subscribes_its_event() -> None:
    packs = load_catalog(MINI_CONTENT).packs
    socket = manifest(packs)
    assert socket["features"]["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,
    }
    assert socket["settings"]["event_subscriptions"] == {"bot_events": ["app_home_opened"]}
    url = "https://quiz.example.org/slack/events"
    http = manifest(packs, request_url=url)
    assert http["settings"]["event_subscriptions"] == {
        "bot_events": ["app_home_opened"],
        "request_url": url,
    }


async def test_socket_mode_opens_the_home_once_per_event(
    socket_app: SlackApp, standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    first = await standin.deliver_socket(standin.home_opened(MEMBER), "Ev1")
    await standin.wait_for(lambda: published(standin) == 1)
    retry = await standin.deliver_socket(standin.home_opened(MEMBER), "Ev1", retry=1)
    await standin.deliver_socket(standin.home_opened(ADMIN), "Ev2")
    await standin.wait_for(lambda: published(standin, ADMIN) == 1)
    acked = {a.get("envelope_id") for a in standin.socket_acks}
    await standin.wait_for(lambda: retry in {a.get("envelope_id") for a in standin.socket_acks})
    assert first in acked
    assert published(standin) == 1
    assert "Mini test pack practice" in home_texts(standin.home_of(MEMBER))

    # Socket Mode has no HTTP door in front of Bolt: the listener checks the event itself.
    malformed = event_callback({"type": "app_home_opened", "tab": "home"}, "Ev3")
    envelope = {"envelope_id": "env-3", "type": "events_api", "payload": malformed}
    await standin.send_envelope(envelope)
    await standin.wait_for(lambda: "malformed app_home_opened event" in caplog.text)
    assert sum(len(views) for views in standin.homes.values()) == 2


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def _click_in_dm(slack: SlackHarness, message: dict[str, Any], label: str) -> dict[str, Any]:
    (pressed,) = [b for b in _buttons(message) if b["text"]["text"] == label]
    seen = len(slack.standin.responses)
    body = action_body(
        pressed["action_id"], pressed["value"], MEMBER, DM, slack.standin.response_url()
    )
    assert await slack.post(body, sign(SECRET, body)) == 200
    await slack.standin.wait_for(lambda: len(slack.standin.responses) > seen)
    return slack.standin.responses[-1]
