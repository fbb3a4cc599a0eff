"""/slack/events answers every request with 401, 400 or a plain 200, never 500: through the real
Bolt app over loopback, no listener runs and nothing is stored for what it refuses."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from adapters.slack.modals import CALLBACK_ID
from bot.storage.schema import channels, users
from tests.adapters.slack.conftest import MEMBER, SECRET, SlackHarness, texts
from tests.adapters.slack.standin import action_body, command_body, sign

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
RESPONSE_URL = "http://127.0.0.1:9/respond/never-used"  # a listener would post here
QUIZ = "quizbot.reveal#0"


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes
    status: int
    headers: dict[str, str] | None = None  # None: signed by Slack
    content_type: str = FORM
    answer: str | None = None


def form(**fields: str) -> bytes:
    return urlencode(fields).encode()


def payload(value: object) -> bytes:
    return form(payload=json.dumps(value))


def command(**overrides: str | None) -> bytes:
    fields = dict(
        command="/mini-quiz",
        text="1",
        user_id=MEMBER,
        user_name="bob",
        channel_id="CTEAM",
        channel_name="team",
        response_url=RESPONSE_URL,
        team_id="T1",
        trigger_id="t",
    )
    fields.update(overrides)  # type: ignore[arg-type]
    return form(**{k: v for k, v in fields.items() if v is not None})


def events_api(name: str, body: object, status: int, answer: str | None = None) -> Case:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Case(name, raw, status, content_type=JSON, answer=answer)


def view_submission(callback_id: str) -> dict[str, Any]:
    """A submitted modal with one text input and no private_metadata."""
    element = {"type": "plain_text_input", "action_id": "a"}
    block = {"type": "input", "block_id": "b", "label": {"type": "plain_text", "text": "B"}}
    view = {
        "id": "V1",
        "type": "modal",
        "callback_id": callback_id,
        "blocks": [block | {"element": element}],
        "state": {"values": {"b": {"a": {"type": "plain_text_input", "value": "x"}}}},
    }
    return {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": MEMBER}, "view": view}


def click(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": MEMBER, "name": "bob"},
        "channel": {"id": "CTEAM", "name": "team"},
        "container": {"type": "message", "channel_id": "CTEAM"},
        "response_url": RESPONSE_URL,
        "trigger_id": "t",
        "actions": [{"type": "button", "action_id": "quizbot.reveal#0", "value": "mini:http"}],
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


NOW = int(time.time())
CASES = [
    # Not from Slack: 401, whatever the body.
    Case("timestamp not a number", command(), 401, {"X-Slack-Request-Timestamp": "soon"}),
    Case("timestamp with a sign", command(), 401, {"X-Slack-Request-Timestamp": "+1"}),
    Case("timestamp missing", command(), 401, {"X-Slack-Request-Timestamp": ""}),
    Case("signature forged", command(), 401, {"X-Slack-Signature": "v0=" + "0" * 64}),
    Case("signature not ascii", command(), 401, {"X-Slack-Signature": "v0=é"}),
    Case("unsigned garbage", b"payload=%7Bnot json", 401, {"X-Slack-Signature": "v0=1"}),
    # Signed, but malformed: 400.
    Case("empty body", b"", 400),
    Case("not UTF-8", b"command=%2Fmini-quiz&text=\xff\xfe", 400),
    Case("huge body", b"text=" + b"x" * (1024 * 1024 + 1), 400),
    Case("unexpected content type", command(), 400, content_type="text/plain"),
    Case("form that is neither command nor payload", form(hello="world"), 400),
    Case("form that starts like JSON", b"{&command=/mini-quiz", 400),
    Case("payload not JSON", form(payload="{not json"), 400),
    Case("payload a JSON list", payload([1, 2]), 400),
    Case("payload a JSON string", payload("block_actions"), 400),
    Case("payload of unknown type", payload({"type": "surprise"}), 400),
    Case("payload without a type", payload({"user": {"id": MEMBER}}), 400),
    Case("click without user", payload(click(user=None)), 400),
    Case("click with empty user id", payload(click(user={"id": ""})), 400),
    Case("click with blank user id", payload(click(user={"id": "  "})), 400),
    Case("click with numeric user id", payload(click(user={"id": 5})), 400),
    Case("click with user as text", payload(click(user=MEMBER)), 400),
    Case("click without actions", payload(click(actions=None)), 400),
    Case("click with empty actions", payload(click(actions=[])), 400),
    Case("click with actions as object", payload(click(actions={"a": 1})), 400),
    Case("click with numeric action id", payload(click(actions=[{"action_id": 5}])), 400),
    Case("numeric value", payload(click(actions=[{"action_id": QUIZ, "value": 1}])), 400),
    Case("click without response_url", payload(click(response_url=None)), 400),
    Case("click without channel", payload(click(channel=None, container=None)), 400),
    Case("click with channel as list", payload(click(channel=["CTEAM"])), 400),
    Case("view with user as number", payload({"type": "view_submission", "user": 5}), 400),
    # Bolt routes view payloads by view.callback_id: without a view it would fail with a 500.
    Case("modal without a view", payload({"type": "view_submission", "user": {"id": MEMBER}}), 400),
    Case("Quizbot modal without metadata", payload(view_submission(CALLBACK_ID)), 400),
    Case("command without user", command(user_id=None), 400),
    Case("command with empty user id", command(user_id=""), 400),
    Case("command without channel", command(channel_id=None), 400),
    Case("command without response_url", command(response_url=None), 400),
    Case("command with bad response_url", command(response_url="javascript:1"), 400),
    Case("command without slash", command(command="mini-quiz"), 400),
    events_api("JSON that is not an object", [1, 2, 3], 400),
    events_api("JSON that is a number", 17, 400),
    events_api("JSON not JSON", b"{oops", 400),
    events_api("JSON of unknown type", {"type": "surprise"}, 400),
    events_api("event without event", {"type": "event_callback"}, 400),
    events_api("event that is a number", {"type": "event_callback", "event": 5}, 400),
    events_api("url_verification without challenge", {"type": "url_verification"}, 400),
    # Signed, well formed, nothing for Quizbot to do: Slack expects a plain acknowledgement.
    Case("another app's button", payload(click(actions=[{"action_id": "x.y"}])), 200, answer=""),
    Case("another app's modal", payload(view_submission("other.app")), 200, answer=""),
    events_api("an event not asked for", {"type": "event_callback", "event": {"type": "x"}}, 200),
    events_api("Slack's rate-limit notice", {"type": "app_rate_limited"}, 200, answer=""),
    Case("ssl check", form(ssl_check="1", token="legacy"), 200, answer=""),
    events_api("url verification", {"type": "url_verification", "challenge": "c-1"}, 200, "c-1"),
]  # fmt: skip


async def count(slack: SlackHarness, table: object) -> int:
    async with slack.runtime.engine.connect() as connection:
        query = select(func.count()).select_from(table)  # type: ignore[arg-type]
        return int((await connection.execute(query)).scalar_one())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_malformed_or_unsigned_requests_are_answered_and_store_nothing(
    slack: SlackHarness, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    headers = sign(SECRET, case.body, content_type=case.content_type) | (case.headers or {})
    async with slack.session.post(slack.url, data=case.body, headers=headers) as response:
        assert response.status == case.status, await response.text()
        answer = await response.text()
    if case.answer is not None:
        assert case.answer in answer
    await asyncio.sleep(0.2)  # a listener would have started by now
    assert slack.standin.of("users.info") == []  # no listener ran
    assert slack.standin.responses == []
    assert (await count(slack, users), await count(slack, channels)) == (0, 0)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


async def test_the_word_payload_in_a_command_still_reaches_the_listener(
    slack: SlackHarness,
) -> None:
    """Bolt takes any form body containing "payload" for an interactive payload."""
    shown = await slack.command("payload")
    assert "I don't know `payload`" in texts(shown)
    body = command_body("/mini-quiz", "1", MEMBER, "payload-team", slack.standin.response_url())
    assert await slack.post(body, sign(SECRET, body)) == 200
    await slack.standin.wait_for(lambda: len(slack.standin.responses) == 2)
    assert "Question 1" in texts(slack.standin.responses[-1])


async def test_a_well_formed_click_still_works_after_the_checks(slack: SlackHarness) -> None:
    question = await slack.command("1")
    body = action_body("quizbot.reveal#0", "mini:what-is-http", MEMBER, "CTEAM", "x")
    assert await slack.post(body, sign(SECRET, body)) == 400  # response_url is not a URL
    answer = await slack.click(question, "Reveal answer")
    assert "Key points" in texts(answer)
