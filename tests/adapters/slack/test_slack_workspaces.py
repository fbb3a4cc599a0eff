"""One deployment, two Slack workspaces, each with its own bot token: through the real Bolt app
and the stand-in, which records the token of every call and refuses a token of one workspace
for another's channels and people.

Tokens come from a dict (`InstalledTokens`), standing in for the OAuth installation store:
Bolt authorises each request with it (its `authorize` hook, as the OAuth settings do), and
outbound work asks it through `BotTokens`.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from adapters.slack.app import SlackApp, make_app, make_client, open_parts
from adapters.slack.clients import CachedTokens, SlackClients, WorkspaceClients
from adapters.slack.posting import SlackPostingPort
from adapters.slack.runner import EVENTS_PATH, SlackRunner
from adapters.slack.workspaces import Workspace
from bot.clock import FixedClock
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.daily.pacing import Pacer
from bot.daily.ports import PostKey
from bot.domain.context import WorkspaceRef
from bot.domain.subscriptions import ChannelAddress
from bot.presenters.progress import reminder_reply
from bot.storage.schema import attempts, channels, subscriptions, users
from bot.usecases.workspaces import resume_workspace
from tests.adapters.slack.conftest import ADMIN, MEMBER, SECRET, texts
from tests.adapters.slack.home_reading import published
from tests.adapters.slack.standin import SlackStandIn, action_body, command_body, sign
from tests.conftest import START

FIRST, SECOND = "T1", "T2"
FIRST_TOKEN, SECOND_TOKEN = "xoxb-test", "xoxb-second"
ADMIN2, MEMBER2 = "UADMIN2", "UMEMBER2"
HERE, THERE, THERE_TOO = "CTEAM", "CTWO", "CTWOMORE"  # THERE and THERE_TOO are in T2
PAUSED_LINE = "has no working installation"


@dataclass
class InstalledTokens:
    """`BotTokens` from a dict of team id → bot token: what the installation store holds."""

    by_team: dict[str, str]
    asked: list[Workspace] = field(default_factory=list)

    async def token_for(self, workspace: Workspace) -> str | None:
        self.asked.append(workspace)
        return self.by_team.get(workspace.team_id or "")


def authorize_with(tokens: InstalledTokens) -> Any:
    """Bolt's `authorize` hook over the same tokens: each request is answered with the token
    of the workspace it came from, as the OAuth settings' installation store does."""

    async def authorize(
        enterprise_id: str | None, team_id: str | None, client: AsyncWebClient
    ) -> AuthorizeResult | None:
        token = await tokens.token_for(Workspace(team_id, enterprise_id))
        if token is None:
            return None
        found = await client.auth_test(token=token)
        return AuthorizeResult.from_auth_test_response(auth_test_response=found, bot_token=token)

    return authorize


@dataclass
class TwoWorkspaces:
    standin: SlackStandIn
    runtime: Runtime
    app: SlackApp
    tokens: InstalledTokens
    clock: FixedClock
    url: str
    session: aiohttp.ClientSession

    async def command(self, text: str, user: str, channel: str, team: str) -> dict[str, Any]:
        """`/mini-quiz text` from `team`; what the person was shown through the response_url."""
        seen = len(self.standin.responses)
        trigger = self.standin.views.mint(user)
        url = self.standin.response_url()
        body = command_body("/mini-quiz", text, user, channel, url, trigger, team)
        await self._send(body)
        await self.standin.wait_for(lambda: len(self.standin.responses) > seen)
        return self.standin.responses[-1]

    async def click(
        self, message: dict[str, Any], label: str, user: str, channel: str, team: str
    ) -> dict[str, Any]:
        button = next(
            element
            for block in message["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
            if element["text"]["text"] == label
        )
        seen = len(self.standin.responses)
        url = self.standin.response_url()
        trigger = self.standin.views.mint(user)
        body = action_body(button["action_id"], button["value"], user, channel, url, trigger, team)
        await self._send(body)
        await self.standin.wait_for(lambda: len(self.standin.responses) > seen)
        return self.standin.responses[-1]

    async def practise(self, user: str, channel: str, team: str) -> None:
        question = await self.command("1", user, channel, team)
        answer = await self.click(question, "Reveal answer", user, channel, team)
        graded = await self.click(answer, "Knew it", user, channel, team)
        assert "Recorded" in texts(graded), texts(graded)

    async def _send(self, body: str) -> None:
        async with self.session.post(self.url, data=body, headers=sign(SECRET, body)) as answer:
            assert answer.status == 200

    async def subscribe_both(self, *more_there: str) -> None:
        await self.command("subscribe 09:00 UTC", ADMIN, HERE, FIRST)
        for channel in (THERE, *more_there):
            await self.command("subscribe 09:00 UTC", ADMIN2, channel, SECOND)

    def posts_by_channel(self) -> dict[str, list[str]]:
        """The token of every chat.postMessage, per channel."""
        found: dict[str, list[str]] = {}
        for call in self.standin.calls:
            if call.method == "chat.postMessage":
                found.setdefault(str(call.args["channel"]), []).append(call.token)
        return found

    async def rows(self, query: Any) -> list[Any]:
        async with self.runtime.engine.connect() as connection:
            return list((await connection.execute(query)).all())


@pytest.fixture
async def two(
    slack_settings: Settings, standin: SlackStandIn, clock: FixedClock
) -> AsyncIterator[TwoWorkspaces]:
    standin.token_teams[SECOND_TOKEN] = SECOND
    for channel in (THERE, THERE_TOO):
        standin.channel_teams[channel] = SECOND
    for user, name, admin in ((ADMIN2, "eve", True), (MEMBER2, "fay", False)):
        standin.users[user] = {"id": user, "name": name, "is_admin": admin, "tz": "UTC"}
        standin.user_teams[user] = SECOND
    tokens = InstalledTokens({FIRST: FIRST_TOKEN, SECOND: SECOND_TOKEN})
    parts = await open_parts(slack_settings, tokens)
    runtime = await build_runtime(
        slack_settings, clock=clock, rng=random.Random(5), ports={"slack": parts.port}
    )
    app = make_app(slack_settings, runtime.quizbot, parts, authorize=authorize_with(tokens))
    runner = SlackRunner(app, app_token=None, host="127.0.0.1", port=0)
    await runner.start()
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{runner.bound_port}{EVENTS_PATH}"
        yield TwoWorkspaces(standin, runtime, app, tokens, clock, url, session)
    await runner.stop()
    await runtime.aclose()
    await parts.aclose()


async def test_each_workspace_gets_its_daily_post_with_its_own_token(two: TwoWorkspaces) -> None:
    await two.subscribe_both()
    await two.command("1", MEMBER, HERE, FIRST)
    await two.command("1", MEMBER2, THERE, SECOND)
    report = await two.runtime.poster.post_due(START + timedelta(minutes=1))
    assert report.posted == 2
    assert two.posts_by_channel() == {HERE: [FIRST_TOKEN], THERE: [SECOND_TOKEN]}
    assert all(m["text"] for channel in (HERE, THERE) for m in two.standin.messages[channel])
    # Each request recorded its workspace on the channel and the person ...
    stored = await two.rows(
        select(channels.c.platform_channel_id, channels.c.workspace_id).order_by(channels.c.id)
    )
    assert [tuple(row) for row in stored] == [(HERE, FIRST), (THERE, SECOND)]
    people = await two.rows(select(users.c.platform_user_id, users.c.workspace_id))
    assert sorted(tuple(row) for row in people) == [(MEMBER, FIRST), (MEMBER2, SECOND)]
    # ... and was looked up with its own workspace's token, Bolt's client for the request.
    looked_up = {c.args["user"]: c.token for c in two.standin.calls if c.method == "users.info"}
    assert looked_up == {
        ADMIN: FIRST_TOKEN,
        MEMBER: FIRST_TOKEN,
        ADMIN2: SECOND_TOKEN,
        MEMBER2: SECOND_TOKEN,
    }


async def test_reveals_reminders_and_files_go_out_with_the_workspaces_token(
    two: TwoWorkspaces,
) -> None:
    await two.command("subscribe 09:00 UTC reveal 17:00", ADMIN2, THERE, SECOND)
    await two.command("remind on", MEMBER2, THERE, SECOND)
    await two.practise(MEMBER2, THERE, SECOND)
    assert (await two.runtime.poster.post_due(START + timedelta(minutes=1))).posted == 1

    assert await two.runtime.poster.reveal_due(START.replace(hour=17, minute=1)) == 1
    _question, reveal = two.standin.of("chat.postMessage")
    assert reveal["channel"] == THERE
    assert reveal["thread_ts"]
    assert two.posts_by_channel() == {THERE: [SECOND_TOKEN, SECOND_TOKEN]}

    tomorrow = START + timedelta(days=1)
    two.clock.set(tomorrow)
    assert await two.runtime.reminders.send_due(tomorrow.replace(hour=20, minute=30)) == 1
    assert [c.token for c in two.standin.calls if c.method == "conversations.open"] == [
        SECOND_TOKEN
    ]
    assert two.posts_by_channel()[f"D{MEMBER2}"] == [SECOND_TOKEN]

    reply = await two.command("export", MEMBER2, THERE, SECOND)
    assert "attached JSON file" in texts(reply)
    await two.standin.wait_for(lambda: bool(two.standin.of("files.completeUploadExternal")))
    assert two.standin.tokens_used("files.getUploadURLExternal") == [SECOND_TOKEN]
    assert two.standin.tokens_used("files.completeUploadExternal") == [SECOND_TOKEN]
    (exported,) = two.standin.uploads.values()
    assert json.loads(exported)["profile"]["workspace_id"] == SECOND  # theirs to see


async def test_the_home_is_published_and_refreshed_with_the_persons_workspace_token(
    two: TwoWorkspaces,
) -> None:
    assert two.app.home is not None
    two.app.home.refresh_seconds = 0.1
    opened = two.standin.home_opened(MEMBER2)
    assert await two.standin.deliver_http(two.url, SECRET, opened, "Ev1", team=SECOND) == 200
    await two.standin.wait_for(lambda: published(two.standin, MEMBER2) == 1)
    await two.practise(MEMBER2, THERE, SECOND)
    await two.standin.wait_for(lambda: published(two.standin, MEMBER2) == 2)
    assert two.standin.tokens_used("views.publish") == [SECOND_TOKEN, SECOND_TOKEN]
    uploads = two.standin.tokens_used("files.getUploadURLExternal")
    assert uploads  # the home's picture, uploaded to its own workspace
    assert set(uploads) == {SECOND_TOKEN}


async def test_a_revoked_workspace_is_skipped_and_paused_once_the_other_still_posts(
    two: TwoWorkspaces, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    await two.subscribe_both(THERE_TOO)
    await two.practise(MEMBER2, THERE, SECOND)
    two.standin.revoke(SECOND_TOKEN)

    report = await two.runtime.poster.post_due(START + timedelta(minutes=1))
    assert (report.posted, report.failed) == (1, 0)
    assert two.posts_by_channel()[HERE] == [FIRST_TOKEN]
    refused = [r.error for r in two.standin.refusals if r.method == "chat.postMessage"]
    assert set(refused) == {"token_revoked"}  # at most one try per channel in flight
    (line,) = [r.getMessage() for r in caplog.records if PAUSED_LINE in r.getMessage()]
    assert "slack workspace T2" in line
    assert "token_revoked" in line
    assert "its 2 subscription(s)" in line

    tried = len(two.standin.tokens_used("chat.postMessage"))
    later = await two.runtime.poster.post_due(START + timedelta(minutes=5))
    next_day = await two.runtime.poster.post_due(START + timedelta(days=1, minutes=1))
    assert (later.posted, next_day.posted) == (0, 1)
    assert two.standin.tokens_used("chat.postMessage")[tried:] == [FIRST_TOKEN]  # not retried
    assert len([r for r in caplog.records if PAUSED_LINE in r.getMessage()]) == 1
    # Paused, not deleted: the subscriptions keep their settings, the progress stays.
    paused = await two.rows(
        select(subscriptions.c.active, subscriptions.c.paused_at).order_by(subscriptions.c.id)
    )
    assert [(active, at is not None) for active, at in paused] == [
        (True, False),
        (True, True),
        (True, True),
    ]
    assert (await two.rows(select(func.count()).select_from(attempts)))[0][0] == 1

    # A restart finds them paused still (nothing at start knows T2 works again).
    restarted = await build_runtime(two.runtime.settings, clock=two.clock)
    try:
        async with restarted.quizbot.deps.uow() as uow:
            active = await uow.subscriptions.active()
    finally:
        await restarted.aclose()
    assert [s.channel.channel_id for s in active] == [HERE]


async def test_an_uninstalled_workspace_is_paused_and_resumes_when_installed_again(
    two: TwoWorkspaces,
) -> None:
    await two.subscribe_both()
    del two.tokens.by_team[SECOND]  # uninstalled: the installation store has no token for it

    report = await two.runtime.poster.post_due(START + timedelta(minutes=1))
    assert report.posted == 1
    assert two.posts_by_channel() == {HERE: [FIRST_TOKEN]}  # nothing was even tried in T2

    again = "xoxb-second-reinstalled"
    two.standin.token_teams[again] = SECOND
    two.tokens.by_team[SECOND] = again
    resumed = await resume_workspace(two.runtime.quizbot.deps, "slack", WorkspaceRef(SECOND))
    assert len(resumed.subscription_ids) == 1
    report = await two.runtime.poster.post_due(START + timedelta(minutes=3))
    assert report.posted == 1
    assert two.posts_by_channel() == {HERE: [FIRST_TOKEN], THERE: [again]}


async def test_a_workspace_refused_while_revealing_or_reminding_is_paused_too(
    two: TwoWorkspaces, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    await two.command("subscribe 09:00 UTC reveal 17:00", ADMIN2, THERE, SECOND)
    await two.command("remind on", MEMBER2, THERE, SECOND)
    await two.practise(MEMBER2, THERE, SECOND)
    assert (await two.runtime.poster.post_due(START + timedelta(minutes=1))).posted == 1
    two.standin.revoke(SECOND_TOKEN)

    assert await two.runtime.poster.reveal_due(START.replace(hour=17, minute=1)) == 0
    (line,) = [r.getMessage() for r in caplog.records if PAUSED_LINE in r.getMessage()]
    assert "its 1 subscription(s) and 1 person(s)' reminders" in line
    tomorrow = START + timedelta(days=1)
    two.clock.set(tomorrow)
    assert await two.runtime.reminders.send_due(tomorrow.replace(hour=20, minute=30)) == 0
    assert two.standin.of("conversations.open") == []  # paused people are not tried

    two.standin.token_teams["xoxb-second-new"] = SECOND
    two.tokens.by_team[SECOND] = "xoxb-second-new"
    await resume_workspace(two.runtime.quizbot.deps, "slack", WorkspaceRef(SECOND))
    assert await two.runtime.poster.reveal_due(tomorrow.replace(hour=17, minute=1)) == 1
    assert await two.runtime.reminders.send_due(tomorrow.replace(hour=20, minute=31)) == 1


async def test_posting_is_paced_per_installation(two: TwoWorkspaces) -> None:
    """Slack's rate limits count per workspace: each token gets a pace of its own."""
    made: list[CountingPacer] = []

    def pacer() -> Pacer:
        made.append(CountingPacer(1000))
        return made[-1]

    settings = two.runtime.settings
    clients = WorkspaceClients(
        CachedTokens(two.tokens), SlackClients(lambda token: make_client(settings, token=token))
    )
    port = SlackPostingPort(clients, pacer)
    key = PostKey(1, START.date(), START)
    reply = reminder_reply(2, "mini-quiz")
    await port.post(ChannelAddress("slack", HERE, "here", WorkspaceRef(FIRST)), reply, key)
    await port.post(ChannelAddress("slack", THERE, "there", WorkspaceRef(SECOND)), reply, key)
    await port.post(ChannelAddress("slack", HERE, "here", WorkspaceRef(FIRST)), reply, key)
    assert [p.waits for p in made] == [2, 1]
    assert two.posts_by_channel() == {HERE: [FIRST_TOKEN] * 2, THERE: [SECOND_TOKEN]}


class CountingPacer(Pacer):
    def __init__(self, limit: float) -> None:
        super().__init__(limit)
        self.waits = 0

    async def wait(self) -> None:
        self.waits += 1


async def test_a_workspace_that_installed_again_is_posted_to_with_its_new_token(
    two: TwoWorkspaces, caplog: pytest.LogCaptureFixture
) -> None:
    """This process still remembers the old token when the workspace reinstalls the app
    (elsewhere: the web process): Slack refuses it, the new one is used, nothing is paused."""
    caplog.set_level(logging.WARNING)
    await two.subscribe_both()
    assert (await two.runtime.poster.post_due(START + timedelta(minutes=1))).posted == 2
    two.standin.revoke(SECOND_TOKEN)
    again = "xoxb-second-reinstalled"
    two.standin.token_teams[again] = SECOND
    two.tokens.by_team[SECOND] = again
    report = await two.runtime.poster.post_due(START + timedelta(days=1, minutes=1))
    assert (report.posted, report.failed) == (2, 0)
    assert two.posts_by_channel()[THERE] == [SECOND_TOKEN, SECOND_TOKEN, again]
    assert [r.error for r in two.standin.refusals] == ["token_revoked"]
    assert not [r for r in caplog.records if PAUSED_LINE in r.getMessage()]
