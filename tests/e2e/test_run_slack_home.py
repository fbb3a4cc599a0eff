"""`quizbot run` against the Slack stand-in: the App Home opened (over HTTP and Socket Mode),
settings changed on it, refreshed after a grade, "Ask me a question" answered in the Messages
tab; and "Write my answer" from a question's button to the reply."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import select

from adapters.slack.home import REFRESH_SECONDS
from adapters.slack.runner import EVENTS_PATH
from bot.storage.schema import exposures, users
from tests.adapters.slack.conftest import ADMIN, MEMBER, SlackUsers, texts
from tests.adapters.slack.home_reading import (
    button,
    change,
    element,
    home_texts,
    initial,
    open_home,
    pictures,
    published,
)
from tests.adapters.slack.standin import (
    SlackStandIn,
    home_action,
    home_suggestion,
    send_socket_interactive,
    sign,
    submit_view,
)
from tests.e2e.process import Quizbot, closed_port, stopped_cleanly
from tests.e2e.rows import rows
from tests.e2e.seen import slack_env

SECRET = "signing-secret"  # what slack_env gives the process
PEOPLE = {
    ADMIN: {"id": ADMIN, "name": "ada", "is_admin": True, "tz": "Europe/Berlin"},
    MEMBER: {"id": MEMBER, "name": "bob", "tz": "America/New_York"},
}
DM = f"D{MEMBER}"  # the member's direct messages with the app


def sqlite(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"


@asynccontextmanager
async def serving_http(
    tmp_path: Path, slack: SlackStandIn, database_url: str
) -> AsyncIterator[tuple[Quizbot, SlackUsers]]:
    """`quizbot run` serving Slack over HTTP, and the workspace's people reaching it; on the
    way out it is stopped with SIGTERM (the test checks how it ended)."""
    slack.users.update(PEOPLE)
    port = closed_port()
    env = slack_env(database_url, slack) | {"PORT": str(port)}
    bot = Quizbot(["run"], env, tmp_path).start()
    try:
        await bot.wait_for_output("Stop with Ctrl-C.")
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}{EVENTS_PATH}"
            yield bot, SlackUsers(slack, url, session, secret=SECRET)
        await bot.stop()
    finally:
        if bot.process is not None and bot.process.poll() is None:
            bot.kill()


async def test_the_home_shows_the_streak_and_a_setting_changed_on_it_is_saved(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    database_url = sqlite(tmp_path)
    async with serving_http(tmp_path, slack, database_url) as (bot, people):
        question = await people.command("3")
        answer = await people.click(question, "Reveal answer")
        assert "Recorded" in texts(await people.click(answer, "Knew it"))

        home = await open_home(people, "Ev1")
        shown = home_texts(home)
        assert "Mini test pack practice" in shown
        assert "*Streak*\n*1 day* now · best 1 day · 0 freezes held" in shown
        assert "*1* graded: 1 knew it, 0 partly, 0 missed" in shown
        (picture,) = pictures(home)  # the 12-week picture, uploaded to Slack
        assert slack.uploads[picture].startswith(b"\x89PNG")
        assert "*Usual level*" in shown
        assert initial(home, "level") == "any"
        assert initial(home, "timezone") == "America/New_York"  # from Slack's profile
        assert initial(home, "remind") == "off"
        assert button(home, "Ask me a question")["type"] == "button"

        changed = await change(people, "level", "senior")
        assert initial(changed, "level") == "senior"
        assert "Your usual level is now *senior*" in home_texts(changed)
        assert element(changed, "quizbot.home.level")["type"] == "static_select"
        typed = home_suggestion(MEMBER, changed, "quizbot.home.timezone", "tokyo")
        async with people.session.post(people.url, data=typed, headers=sign(SECRET, typed)) as r:
            assert r.status == 200
            options = (await r.json())["options"]
        assert "Asia/Tokyo" in [option["value"] for option in options]
        changed = await change(people, "timezone", "Asia/Tokyo")
        assert initial(changed, "timezone") == "Asia/Tokyo"
        saved = await rows(
            database_url,
            select(users.c.level, users.c.timezone).where(users.c.platform_user_id == MEMBER),
        )
        assert saved == [("senior", "Asia/Tokyo")]
    stopped_cleanly(bot)
    assert published(slack) == 3
    assert slack.refusals == []


async def test_a_grade_refreshes_an_open_home_at_most_every_5_seconds(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    """The README's promise, at the executable's own pace (5 s, not a test's shortened one)."""
    async with serving_http(tmp_path, slack, sqlite(tmp_path)) as (bot, people):
        assert "No grades yet today." in home_texts(await open_home(people, "Ev1"))
        opened = time.monotonic()
        question = await people.command("3")
        answer = await people.click(question, "Reveal answer")
        assert "Recorded" in texts(await people.click(answer, "Partly"))
        await slack.wait_for(lambda: published(slack) == 2, seconds=REFRESH_SECONDS + 5)
        waited = time.monotonic() - opened
    stopped_cleanly(bot)
    assert "*1* graded: 0 knew it, 1 partly, 0 missed" in home_texts(slack.home_of(MEMBER))
    assert REFRESH_SECONDS - 0.5 <= waited <= REFRESH_SECONDS + 3, waited


async def test_write_my_answer_through_the_modal(tmp_path: Path, slack: SlackStandIn) -> None:
    database_url = sqlite(tmp_path)
    written = "The event loop runs many tasks on one thread."
    async with serving_http(tmp_path, slack, database_url) as (bot, people):
        question = await people.command("3")
        seen = len(slack.responses)
        await people.press(question, "Write my answer")
        await slack.wait_for(lambda: bool(slack.views.opened))
        (view,) = slack.views.opened
        assert view.view["title"]["text"] == "Write my answer"
        assert await submit_view(slack, view.id, {"answer": written}, http=people.http) == ""
        await slack.wait_for(lambda: len(slack.responses) > seen)
        reply: dict[str, Any] = slack.responses[-1]
    stopped_cleanly(bot)
    assert reply["response_type"] == "ephemeral"
    lines = texts(reply).splitlines()
    assert len([line for line in lines if line.startswith("Suggested grade: ")]) == 1
    assert await rows(database_url, select(exposures.c.written_answer)) == [(written,)]
    assert slack.refusals == []


async def test_the_home_opens_over_socket_mode(tmp_path: Path, slack: SlackStandIn) -> None:
    slack.users.update(PEOPLE)
    env = slack_env(sqlite(tmp_path), slack, SLACK_APP_TOKEN=slack.app_token)
    bot = Quizbot(["run"], env, tmp_path).start()
    try:
        await bot.wait_for_output("Stop with Ctrl-C.")
        envelope = await slack.deliver_socket(slack.home_opened(MEMBER), "Ev1")
        await slack.wait_for(lambda: published(slack) == 1)
        await slack.wait_for(lambda: envelope in {a.get("envelope_id") for a in slack.socket_acks})
        home = slack.home_of(MEMBER)
        ask = home_action(MEMBER, home, button(home, "Ask me a question"), "")
        await send_socket_interactive(slack, ask)
        await slack.wait_for(lambda: bool(slack.messages.get(DM)))
        await bot.stop()
    finally:
        if bot.process is not None and bot.process.poll() is None:
            bot.kill()
    stopped_cleanly(bot)
    home = slack.home_of(MEMBER)
    shown = home_texts(home)
    assert "*Streak*\n*0 days* now · best 0 days · 0 freezes held" in shown
    assert "Grade a question today to start one." in shown
    assert initial(home, "timezone") == "America/New_York"
    (question,) = slack.messages[DM]  # in the app's Messages tab
    assert "Reveal answer" in texts(question)
    assert slack.refusals == []
