"""`quizbot run` over HTTP against the Slack stand-in: a channel subscribed through the modal,
from the bare command to the saved subscription, with a refused field on the way."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from sqlalchemy import select

from bot.storage.engine import create_engine
from bot.storage.schema import subscriptions
from tests.adapters.slack.standin import SlackStandIn, command_body, sign, submit_view
from tests.e2e.process import Quizbot, closed_port
from tests.e2e.seen import slack_env

ADMIN = "UADMIN"
SECRET = "signing-secret"  # what slack_env gives the process


async def test_subscribe_through_the_modal(tmp_path: Path, slack: SlackStandIn) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"
    slack.users[ADMIN] = {"id": ADMIN, "name": "ada", "is_admin": True, "tz": "Europe/Berlin"}
    port = closed_port()
    env = slack_env(database_url, slack) | {"PORT": str(port)}
    bot = Quizbot(["run"], env, tmp_path).start()
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        await bot.wait_for_output("Stop with Ctrl-C.")
        async with aiohttp.ClientSession() as session:
            trigger = slack.views.mint(ADMIN)
            body = command_body(
                "/mini-quiz", "subscribe", ADMIN, "CTEAM", slack.response_url(), trigger
            )
            async with session.post(url, data=body, headers=sign(SECRET, body)) as response:
                assert response.status == 200
            await slack.wait_for(lambda: bool(slack.views.opened))
            (view,) = slack.views.opened
            http = (session, url, SECRET)
            refused = await submit_view(slack, view.id, {"reveal_time": "08:00"}, http=http)
            assert list(refused["errors"]) == ["reveal_time"]
            chosen = {"post_time": "08:30", "timezone": "America/New_York", "days": ["sat"]}
            assert await submit_view(slack, view.id, chosen, http=http) == ""
            await slack.wait_for(lambda: bool(slack.responses))
        code, _seconds = await bot.stop()
    finally:
        if bot.process is not None and bot.process.poll() is None:
            bot.kill()
    assert code == 0
    assert "Traceback" not in bot.stderr
    assert "Daily question subscribed" in slack.responses[-1]["text"]
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            saved = (
                await connection.execute(
                    select(
                        subscriptions.c.post_time,
                        subscriptions.c.timezone,
                        subscriptions.c.weekdays,
                        subscriptions.c.reveal_time,
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in saved] == [("08:30", "America/New_York", "sat", None)]
