"""Every Slack request gets an answer: failures after the ack are told to the person and logged
once, files that cannot be sent are owned up to, and Slack that never answers times out."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.slack import delivery, timeouts
from adapters.slack.app import open_parts
from adapters.slack.blocks import SlackMessage, render
from adapters.slack.listeners import NOT_SHOWN, NOTHING_SAVED
from bot.domain.replies import Reply, Tone
from bot.storage.schema import attempts, users
from tests.adapters.slack.conftest import MEMBER, SlackHarness, texts
from tests.adapters.slack.standin import MANIFEST_SCOPES, PRE_ISSUE_12_SCOPES, RESPOND

NO_PERMISSION = (
    "I couldn't send the file to your direct messages: the app lacks the {scope} permission. "
    "Ask an admin to reinstall Quizbot from its manifest."
)


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> int:
    """Ask for it before `slack`, so the shared session is opened with it."""
    monkeypatch.setattr(timeouts, "SLACK_TIMEOUT_SECONDS", 1)
    return 1


def problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


async def grade_one(slack: SlackHarness) -> None:
    """Stats come with a picture once something is graded."""
    question = await slack.command("1")
    answer = await slack.click(question, "Reveal answer")
    await slack.click(answer, "Knew it")


async def replies_after(slack: SlackHarness, seen: int, count: int) -> list[dict[str, Any]]:
    await slack.standin.wait_for(lambda: len(slack.standin.responses) >= seen + count)
    await asyncio.sleep(0.2)  # nothing more arrives
    return slack.standin.responses[seen:]


async def test_a_command_the_core_fails_on_gets_an_apology_and_one_traceback(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object) -> Reply:
        raise RuntimeError("the core broke")

    monkeypatch.setattr(slack.runtime.quizbot, "handle_text", broken)
    shown = await slack.command("stats")
    assert shown["response_type"] == "ephemeral"
    assert NOTHING_SAVED in texts(shown)
    (logged,) = problems(caplog)
    assert logged.levelno == logging.ERROR
    assert logged.exc_info is not None
    assert "the core broke" in str(logged.exc_info[1])
    assert await count(slack, users) == 0


async def test_a_click_the_core_fails_on_gets_an_apology(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    question = await slack.command("1")

    async def broken(*args: object) -> Reply:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(slack.runtime.quizbot, "handle_action", broken)
    shown = await slack.click(question, "Reveal answer")
    assert NOTHING_SAVED in texts(shown)
    assert len(problems(caplog)) == 1


async def test_a_reply_slack_refuses_is_owned_up_to(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Were the renderer to break Slack's limits, the person would hear so, not silence."""

    def over_the_limit(reply: Reply) -> list[SlackMessage]:
        if reply.tone is Tone.ERROR:
            return render(reply)
        section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
        return [SlackMessage("too long", [section])]

    monkeypatch.setattr(delivery, "render", over_the_limit)
    shown = await slack.command("help")
    assert NOT_SHOWN in texts(shown)
    (refused,) = slack.standin.refused_responses
    assert refused[:2] == (400, "invalid_blocks")
    (logged,) = problems(caplog)
    assert "invalid_blocks" in logged.getMessage()
    assert logged.exc_info is None


async def test_stats_picture_without_files_write_is_explained(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    slack.standin.scopes = MANIFEST_SCOPES - {"files:write"}
    await grade_one(slack)
    seen = len(slack.standin.responses)
    await slack.command("stats")
    stats, note = await replies_after(slack, seen, 2)
    assert "Stats for Bob" in texts(stats)
    assert NO_PERMISSION.format(scope="files:write") in texts(note)
    assert note["response_type"] == "ephemeral"
    assert slack.standin.uploads == {}
    (logged,) = problems(caplog)
    assert logged.levelno == logging.WARNING
    assert "missing_scope (needs files:write)" in logged.getMessage()


async def test_export_on_an_install_from_the_old_manifest_is_explained(
    slack: SlackHarness,
) -> None:
    slack.standin.scopes = PRE_ISSUE_12_SCOPES
    await grade_one(slack)
    seen = len(slack.standin.responses)
    await slack.command("export")
    export, note = await replies_after(slack, seen, 2)
    assert "Your data" in texts(export)
    assert NO_PERMISSION.format(scope="im:write") in texts(note)
    assert [r.error for r in slack.standin.refusals] == ["missing_scope"]


async def test_with_the_manifests_scopes_files_arrive_and_nothing_is_owned_up_to(
    slack: SlackHarness,
) -> None:
    await grade_one(slack)
    seen = len(slack.standin.responses)
    await slack.command("stats")
    await slack.standin.wait_for(lambda: bool(slack.standin.of("files.completeUploadExternal")))
    (stats,) = await replies_after(slack, seen, 1)
    assert "Stats for Bob" in texts(stats)
    (picture,) = slack.standin.uploads.values()
    assert picture.startswith(b"\x89PNG")
    assert slack.standin.refusals == []


async def test_a_refused_click_after_forget_me_stores_nothing(slack: SlackHarness) -> None:
    question = await slack.command("3")
    answer = await slack.click(question, "Reveal answer")
    prompt = await slack.command("forget-me")
    assert "Deleted everything" in texts(await slack.click(prompt, "Delete all my data"))
    assert await count(slack, users) == 0
    refused = await slack.click(answer, "Knew it")
    assert "Reveal the answer to question 3" in texts(refused)
    assert (await count(slack, users), await count(slack, attempts)) == (0, 0)


async def test_users_info_that_never_answers_times_out_and_the_command_is_answered(
    short_timeout: int, slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    slack.standin.hang.add("users.info")
    shown = await slack.command("help")
    assert "/mini-quiz subscribe" in texts(shown)
    (logged,) = problems(caplog)
    assert logged.getMessage() == (
        f"users.info failed for {MEMBER} (Slack did not answer within 1 s); "
        "using the name Slack sent with the request"
    )


async def test_an_upload_that_never_answers_times_out_and_is_explained(
    short_timeout: int, slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await grade_one(slack)
    slack.standin.hang.add("files.getUploadURLExternal")
    seen = len(slack.standin.responses)
    await slack.command("stats")
    _stats, note = await replies_after(slack, seen, 2)
    assert "Slack did not answer in time. Please try again." in texts(note)
    assert len(problems(caplog)) == 1


async def test_a_response_url_that_never_answers_is_logged_in_one_line(
    short_timeout: int, slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    slack.standin.hang.add(RESPOND)
    await slack.post_command("help")
    await slack.standin.wait_for(lambda: bool(problems(caplog)))
    await asyncio.sleep(1.5)  # a second attempt would have timed out by now
    (logged,) = problems(caplog)
    assert logged.getMessage() == (
        "Could not send a reply to Slack: Slack did not answer within 1 s"
    )
    assert logged.exc_info is None


async def test_a_web_api_call_over_the_shared_session_times_out(
    short_timeout: int, slack: SlackHarness
) -> None:
    parts = await open_parts(slack.runtime.settings)
    try:
        assert parts.client.session is not None
        assert parts.client.session.timeout.total == 1
        slack.standin.hang.add("chat.postMessage")
        call = asyncio.ensure_future(parts.client.chat_postMessage(channel="CTEAM", text="x"))
        done, _pending = await asyncio.wait({call}, timeout=20)  # aiohttp's own default is 300
        assert call in done
        assert isinstance(call.exception(), TimeoutError)
    finally:
        await parts.aclose()


async def test_slack_calls_give_up_after_30_seconds(slack: SlackHarness) -> None:
    parts = await open_parts(slack.runtime.settings)
    try:
        assert parts.client.timeout == 30
        assert parts.client.session is not None
        assert parts.client.session.timeout.total == 30
        webhook = delivery.Delivery(parts.client, slack.standin.response_url())._webhook
        assert webhook.timeout == 30
        assert webhook.session is parts.client.session
    finally:
        await parts.aclose()


async def count(slack: SlackHarness, table: object) -> int:
    async with slack.runtime.engine.connect() as connection:
        query = select(func.count()).select_from(table)  # type: ignore[arg-type]
        return int((await connection.execute(query)).scalar_one())
