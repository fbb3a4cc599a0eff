"""`quizbot run` as a distributed Slack app (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, no bot
token): a workspace installs it from a browser, its commands are answered with its own token,
and after it uninstalls the app it is forgotten."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from sqlalchemy import select

from adapters.slack.manifest import redirect_url
from bot.storage.engine import create_engine
from bot.storage.schema import slack_bots
from tests.adapters.slack.installing import browser
from tests.adapters.slack.standin import (
    DISTRIBUTED_EVENTS,
    SlackStandIn,
    command_body,
    in_workspace,
    sign,
)
from tests.e2e.process import Quizbot, clean_env, closed_port, stopped_cleanly

SECRET = "signing-secret"
ADA = "UADA"


async def test_a_workspace_installs_then_uses_quizbot_then_uninstalls(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"
    slack.users[ADA] = {"id": ADA, "name": "ada", "profile": {"display_name": "Ada"}}
    slack.bot_events = DISTRIBUTED_EVENTS
    port = closed_port()
    app_url = f"http://127.0.0.1:{port}"
    slack.redirect_urls = [redirect_url(f"{app_url}/slack/events")]
    env = clean_env(
        DATABASE_URL=database_url,
        SLACK_CLIENT_ID=slack.client_id,
        SLACK_CLIENT_SECRET=slack.client_secret,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.api_url,
        PORT=str(port),
        QUIZBOT_LOG_LEVEL="INFO",
    )
    bot = Quizbot(["run"], env, tmp_path).start()
    try:
        await bot.wait_for_output("Stop with Ctrl-C.")
        assert f"HTTP on port {port} at /slack/events, installs at /slack/install" in bot.stdout
        async with browser(slack, app_url) as person:
            assert (await person.install("T1", user=ADA)).installed
        (token,) = slack.tokens_of("T1")
        async with aiohttp.ClientSession() as session:

            async def command(text: str) -> str:
                seen = len(slack.responses)
                body = in_workspace(
                    command_body("/mini-quiz", text, ADA, "CTEAM", slack.response_url()), "T1"
                )
                url = f"{app_url}/slack/events"
                async with session.post(url, data=body, headers=sign(SECRET, body)) as answered:
                    assert answered.status == 200
                await slack.wait_for(lambda: len(slack.responses) > seen)
                return str(slack.responses[-1].get("text", ""))

            assert "Mini test pack" in await command("help")
            assert [(c.token, c.args["user"]) for c in slack.calls if c.method == "users.info"] == [
                (token, ADA)
            ]
            for number, event in enumerate(slack.uninstall("T1")):
                url = f"{app_url}/slack/events"
                delivered = await slack.deliver_workspace_http(
                    url, SECRET, event, f"Ev{number}", "T1"
                )
                assert delivered == 200
            await bot.wait_for_output("Slack workspace T1 revoked its bot token")
            await bot.wait_for_output("Slack workspace T1 uninstalled")
            assert "no longer available" in await command("help")
        code, _seconds = await bot.stop()
    finally:
        if bot.process is not None and bot.process.poll() is None:
            bot.kill()
    assert code == 0
    stopped_cleanly(bot)
    assert "Quizbot was installed in Slack workspace T1" in bot.stderr
    assert token not in bot.stdout + bot.stderr
    assert slack.client_secret not in bot.stdout + bot.stderr
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(select(slack_bots.c.id))).all() == []
    finally:
        await engine.dispose()
