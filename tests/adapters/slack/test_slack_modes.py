"""Socket Mode over a local websocket, `quizbot run`'s serve path, and the app manifest."""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from adapters.platforms import Role, serve
from adapters.slack.app import make_app, open_parts
from adapters.slack.manifest import manifest
from adapters.slack.runner import SlackRunner
from bot.cli import main
from bot.composition import build_runtime
from bot.config import Settings
from bot.content.loader import load_catalog
from bot.domain.errors import QuizError
from bot.storage.schema import users
from tests.adapters.slack.conftest import MEMBER, SECRET, texts
from tests.adapters.slack.standin import SlackStandIn, command_body, sign
from tests.conftest import MINI_CONTENT


async def test_socket_mode_slash_command(slack_settings: Settings, standin: SlackStandIn) -> None:
    socket_settings = slack_settings.model_copy(
        update={"slack_app_token": SecretStr("xapp-test"), "slack_signing_secret": None}
    )
    parts = await open_parts(socket_settings)
    runtime = await build_runtime(socket_settings, ports={"slack": parts.port})
    runner = SlackRunner(make_app(socket_settings, runtime.quizbot, parts), app_token="xapp-test")
    await runner.start()
    try:
        assert runner.mode == "Socket Mode"
        assert standin.of("apps.connections.open")
        payload = {
            "command": "/mini-quiz",
            "text": "2",
            "user_id": MEMBER,
            "user_name": "bob",
            "channel_id": "CTEAM",
            "channel_name": "team",
            "team_id": "T1",
            "response_url": standin.response_url(),
            "trigger_id": "t",
        }
        await standin.send_envelope(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "payload": payload,
                "accepts_response_payload": True,
            }
        )
        await standin.wait_for(lambda: bool(standin.responses))
        await standin.wait_for(
            lambda: any(a.get("envelope_id") == "env-1" for a in standin.socket_acks)
        )
    finally:
        await runner.stop()
        await runtime.aclose()
        await parts.aclose()
    (shown,) = standin.responses
    assert shown["response_type"] == "ephemeral"
    assert "What is a path parameter?" in texts(shown)


async def test_socket_mode_drops_a_malformed_command_in_one_log_line(
    slack_settings: Settings, standin: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """Socket Mode has no HTTP door: the listener checks the payload itself."""
    socket_settings = slack_settings.model_copy(
        update={"slack_app_token": SecretStr("xapp-test"), "slack_signing_secret": None}
    )
    parts = await open_parts(socket_settings)
    runtime = await build_runtime(socket_settings, ports={"slack": parts.port})
    runner = SlackRunner(make_app(socket_settings, runtime.quizbot, parts), app_token="xapp-test")
    await runner.start()
    try:
        payload = {
            "command": "/mini-quiz",
            "text": "2",
            "user_id": "",
            "channel_id": "CTEAM",
            "response_url": standin.response_url(),
        }
        envelope = {"envelope_id": "env-2", "type": "slash_commands", "payload": payload}
        await standin.send_envelope(envelope)
        await standin.wait_for(
            lambda: any(a.get("envelope_id") == "env-2" for a in standin.socket_acks)
        )
        await standin.wait_for(lambda: "malformed slash command" in caplog.text)
        async with runtime.engine.connect() as connection:
            stored = (await connection.execute(select(func.count()).select_from(users))).scalar()
    finally:
        await runner.stop()
        await runtime.aclose()
        await parts.aclose()
    assert standin.responses == []
    assert stored == 0
    (logged,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert logged.getMessage() == "Ignored a malformed slash command from Slack: user_id is missing"


async def test_serve_runs_slack_over_http_until_stopped(
    slack_settings: Settings, standin: SlackStandIn, unused_tcp_port: int
) -> None:
    settings = slack_settings.model_copy(update={"port": unused_tcp_port})
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(settings, stop=stop))
    body = command_body("/mini-quiz", "help", MEMBER, "CTEAM", standin.response_url())
    url = f"http://127.0.0.1:{unused_tcp_port}/slack/events"
    assert await post_when_up(url, body) == 200
    await standin.wait_for(lambda: bool(standin.responses))
    stop.set()
    assert await asyncio.wait_for(serving, 15) == 0
    assert "Mini test pack" in texts(standin.responses[0])


async def test_http_mode_without_signing_secret_is_explained(slack_settings: Settings) -> None:
    settings = slack_settings.model_copy(update={"slack_signing_secret": None})
    with pytest.raises(QuizError, match="SLACK_SIGNING_SECRET"):
        await serve(settings, stop=asyncio.Event())


def test_manifest_lists_each_pack_command() -> None:
    packs = load_catalog(MINI_CONTENT).packs
    socket = manifest(packs)
    (command,) = socket["features"]["slash_commands"]
    assert command["command"] == "/mini-quiz"
    assert "url" not in command
    assert socket["settings"]["socket_mode_enabled"] is True
    assert set(socket["oauth_config"]["scopes"]["bot"]) >= {"commands", "chat:write", "users:read"}
    http = manifest(packs, request_url="https://quiz.example.org/slack/events")
    assert http["features"]["slash_commands"][0]["url"] == "https://quiz.example.org/slack/events"
    assert http["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert http["settings"]["socket_mode_enabled"] is False


def test_manifest_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZBOT_CONTENT_DIR", str(MINI_CONTENT))
    assert main(["slack", "manifest"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["features"]["slash_commands"][0]["command"] == "/mini-quiz"


async def test_web_role_serves_http_without_the_scheduler(
    slack_settings: Settings,
    standin: SlackStandIn,
    unused_tcp_port: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = slack_settings.model_copy(update={"port": unused_tcp_port})
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(settings, role=Role.WEB, stop=stop))
    body = command_body("/mini-quiz", "help", MEMBER, "CTEAM", standin.response_url())
    url = f"http://127.0.0.1:{unused_tcp_port}/slack/events"
    assert await post_when_up(url, body) == 200
    await standin.wait_for(lambda: bool(standin.responses))
    stop.set()
    assert await asyncio.wait_for(serving, 15) == 0
    out = capsys.readouterr().out
    assert "Quizbot is serving Slack (HTTP on port" in out
    assert "Daily questions are scheduled" not in out


async def test_worker_role_schedules_without_serving_http(
    slack_settings: Settings, unused_tcp_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = slack_settings.model_copy(update={"port": unused_tcp_port})
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(settings, role=Role.WORKER, stop=stop))
    for _ in range(200):
        if "Daily questions are scheduled" in capsys.readouterr().out:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError("the worker did not start its scheduler")
    with pytest.raises(aiohttp.ClientConnectionError):
        async with aiohttp.ClientSession() as session:
            await session.post(f"http://127.0.0.1:{unused_tcp_port}/slack/events", data="x")
    stop.set()
    assert await asyncio.wait_for(serving, 15) == 0


async def test_web_role_refuses_socket_mode(slack_settings: Settings) -> None:
    settings = slack_settings.model_copy(update={"slack_app_token": SecretStr("xapp-1")})
    with pytest.raises(QuizError, match="web role serves Slack over HTTP"):
        await serve(settings, role=Role.WEB, stop=asyncio.Event())


async def post_when_up(url: str, body: str) -> int:
    """POST a signed command once the server listens; its HTTP status."""
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.post(url, data=body, headers=sign(SECRET, body)) as response:
                    return response.status
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listened at {url}")
