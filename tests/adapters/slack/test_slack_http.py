"""The whole bot in Slack over HTTP: signed requests in, Block Kit out through the stand-in."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from adapters.slack.app import make_client
from adapters.slack.clients import CachedTokens, SlackClients, WorkspaceClients
from adapters.slack.identity import SlackIdentity
from adapters.slack.posting import SlackPostingPort
from adapters.slack.workspaces import SingleToken
from bot.config import Settings
from bot.daily.pacing import Pacer
from bot.daily.ports import PostKey
from bot.domain.subscriptions import ChannelAddress, PersonAddress
from bot.presenters.progress import reminder_reply
from bot.storage.schema import attempts, subscriptions, users
from tests.adapters.slack.conftest import ADMIN, MEMBER, SECRET, SlackHarness, texts
from tests.adapters.slack.standin import command_body, sign


def single_token_clients(settings: Settings) -> WorkspaceClients:
    """SLACK_BOT_TOKEN's client for every workspace."""
    client = make_client(settings)
    assert client.token is not None
    return WorkspaceClients(CachedTokens(SingleToken(client.token)), SlackClients(lambda _: client))


async def count(slack: SlackHarness, table: object) -> int:
    async with slack.runtime.engine.connect() as connection:
        return int(
            (await connection.execute(select(func.count()).select_from(table))).scalar_one()  # type: ignore[arg-type]
        )


async def test_ask_reveal_grade_stats_and_leaderboard(slack: SlackHarness) -> None:
    question = await slack.command("3")
    assert question["response_type"] == "ephemeral"
    header, context, *_rest, actions = question["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "Question 3"}}
    assert context["type"] == "context"
    assert "What does an event loop do?" in texts(question)
    reveal, write = actions["elements"]
    assert reveal["action_id"] == "quizbot.reveal#0"
    assert reveal["style"] == "primary"
    assert (write["action_id"], write["text"]["text"]) == ("quizbot.write#1", "Write my answer")

    answer = await slack.click(question, "Reveal answer")
    assert answer["response_type"] == "ephemeral"
    shown = texts(answer)
    assert "one thread" in shown
    assert "*Key points*\n• First point about event loop." in shown
    assert "*Follow-up:*" in shown
    action_ids = [e["action_id"] for e in answer["blocks"][-1]["elements"]]
    assert action_ids == ["quizbot.grade#0", "quizbot.grade#1", "quizbot.grade#2"]

    graded = await slack.click(answer, "Knew it")
    assert "Recorded *knew it* for question 3" in texts(graded)
    assert graded["text"].startswith("Recorded knew it for question 3")  # notifications
    stats = await slack.command("stats")
    assert "*1* graded: 1 knew it" in texts(stats)
    top = await slack.command("top")
    assert top["response_type"] == "in_channel"
    assert "1. *Bob*: 1 graded, recall 100%" in texts(top)
    assert await count(slack, attempts) == 1


async def test_review_and_help_and_bad_input(slack: SlackHarness) -> None:
    assert "Nothing to review yet" in texts(await slack.command("review"))
    assert "/mini-quiz subscribe" in texts(await slack.command("help"))
    unknown = await slack.command("frobnicate")
    assert ":warning:" in texts(unknown)
    assert "I don't know `frobnicate`" in texts(unknown)
    assert "There is no question 99" in texts(await slack.command("99"))


async def test_admin_subscribes_and_member_is_refused(slack: SlackHarness) -> None:
    refused = await slack.command("subscribe 09:00 Europe/Berlin", user=MEMBER)
    assert "Only channel admins" in texts(refused)
    assert await count(slack, subscriptions) == 0
    done = await slack.command("subscribe 09:00 weekdays", user=ADMIN)
    assert done["response_type"] == "in_channel"
    assert "09:00 Europe/Berlin, Monday to Friday" in texts(done)  # the admin's Slack timezone
    assert "09:00 Europe/Berlin" in texts(await slack.command("schedule"))


async def test_quizbot_admins_setting_grants_channel_settings(slack: SlackHarness) -> None:
    slack.standin.users["UFRIEND"] = {"id": "UFRIEND", "name": "cy"}
    client = make_client(slack.runtime.settings)
    plain = await SlackIdentity(client, frozenset()).actor("UFRIEND", "cy")
    listed = await SlackIdentity(client, frozenset({"UFRIEND"})).actor("UFRIEND", "cy")
    assert (plain.is_admin, listed.is_admin) == (False, True)
    owner = {"id": "UOWNER", "name": "di", "is_owner": True, "profile": {"real_name": "Di"}}
    slack.standin.users["UOWNER"] = owner
    found = await SlackIdentity(client, frozenset()).actor("UOWNER", "di")
    assert (found.is_admin, found.display_name) == (True, "Di")


async def test_daily_post_reveal_privately_then_publicly(slack: SlackHarness) -> None:
    await slack.command("subscribe 09:00 UTC", user=ADMIN)
    nine = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    report = await slack.runtime.poster.post_due(nine + timedelta(minutes=1))
    assert report.posted == 1
    (post,) = slack.standin.of("chat.postMessage")
    assert post["channel"] == "CTEAM"
    assert "Question of the day: #" in texts(post)
    assert "thread_ts" not in post or post["thread_ts"] is None

    private = await slack.click(post, "Reveal answer", user=MEMBER)
    assert private["response_type"] == "ephemeral"
    assert private["replace_original"] is False
    assert "Key points" in texts(private)

    confirmation = await slack.command("reveal", user=ADMIN)
    assert "Posted the answer" in texts(confirmation)
    (daily,) = slack.standin.messages["CTEAM"][:1]
    _post, answer = slack.standin.of("chat.postMessage")
    assert answer["thread_ts"] == daily["ts"]
    assert "Key points" in texts(answer)


async def test_rate_limit_is_retried_by_the_sdk(slack: SlackHarness) -> None:
    await slack.command("subscribe 09:00 UTC", user=ADMIN)
    slack.standin.rate_limit_next = 1
    nine = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    report = await slack.runtime.poster.post_due(nine + timedelta(minutes=1))
    assert report.posted == 1
    assert len(slack.standin.of("chat.postMessage")) == 2  # one 429, one success


async def test_failed_post_is_logged_with_its_channel_and_kept_for_retry(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await slack.command("subscribe 09:00 UTC", user=ADMIN)
    slack.standin.fail_next = 1
    nine = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    assert (await slack.runtime.poster.post_due(nine + timedelta(minutes=1))).failed == 1
    assert "daily post to slack channel CTEAM" in caplog.text
    assert (await slack.runtime.poster.post_due(nine + timedelta(minutes=2))).posted == 1


@pytest.mark.parametrize("kind", ["forged", "stale", "missing"])
async def test_unsigned_requests_get_401_and_change_nothing(slack: SlackHarness, kind: str) -> None:
    body = command_body("/mini-quiz", "1", MEMBER, "CTEAM", slack.standin.response_url())
    six_minutes_ago = int(datetime.now(UTC).timestamp()) - 6 * 60
    headers = {
        "forged": sign("not-the-secret", body),
        "stale": sign(SECRET, body, timestamp=six_minutes_ago),
        "missing": {"Content-Type": "application/x-www-form-urlencoded"},
    }[kind]
    assert await slack.post(body, headers) == 401
    await asyncio.sleep(0.2)  # a listener would have run by now
    assert slack.standin.responses == []
    assert slack.standin.of("users.info") == []
    assert await count(slack, users) == 0


async def test_export_is_uploaded_to_the_persons_direct_messages(slack: SlackHarness) -> None:
    question = await slack.command("1")
    answer = await slack.click(question, "Reveal answer")
    await slack.click(answer, "Knew it")
    reply = await slack.command("export")
    assert "attached JSON file" in texts(reply)
    await slack.standin.wait_for(lambda: bool(slack.standin.of("files.completeUploadExternal")))
    (opened,) = slack.standin.of("conversations.open")
    assert opened["users"] == MEMBER
    (complete,) = slack.standin.of("files.completeUploadExternal")
    assert complete["channel_id"] == f"D{MEMBER}"
    (data,) = slack.standin.uploads.values()
    assert json.loads(data)["attempts"][0]["question_id"] == "what-is-http"


async def test_reminder_is_a_direct_message(slack: SlackHarness) -> None:
    port = SlackPostingPort(single_token_clients(slack.runtime.settings))
    await port.notify(PersonAddress("slack", MEMBER), reminder_reply(4, "mini-quiz"))
    (opened,) = slack.standin.of("conversations.open")
    assert opened["users"] == MEMBER
    (sent,) = slack.standin.of("chat.postMessage")
    assert sent["channel"] == f"D{MEMBER}"
    assert "Your streak of 4 days ends at midnight" in texts(sent)


async def test_posting_waits_for_the_pacer_before_every_call(slack: SlackHarness) -> None:
    class CountingPacer(Pacer):
        waits = 0

        async def wait(self) -> None:
            CountingPacer.waits += 1

    port = SlackPostingPort(
        single_token_clients(slack.runtime.settings), lambda: CountingPacer(1000)
    )
    key = PostKey(1, date(2026, 3, 2), datetime.now(UTC))
    await port.post(ChannelAddress("slack", "CTEAM", "team"), reminder_reply(2, "mini-quiz"), key)
    await port.notify(PersonAddress("slack", MEMBER), reminder_reply(4, "mini-quiz"))
    assert CountingPacer.waits == 3  # one post, then conversations.open and its message
    assert len(slack.standin.of("chat.postMessage")) == 2
