"""Add to Slack through the real Bolt app over loopback HTTP: workspaces install it through
the OAuth flow against the stand-in's consent page and oauth.v2.access, each request is answered
with its own workspace's token, and a workspace that removes the app is forgotten."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from adapters.platforms import Role, serve
from adapters.slack.app import make_app, open_parts
from adapters.slack.installation_tokens import InstallationTokens
from adapters.slack.installs import InstallHooks, SlackOAuth, slack_oauth
from adapters.slack.manifest import redirect_url
from adapters.slack.runner import EVENTS_PATH, SlackRunner
from adapters.slack.workspace_hooks import install_hooks
from adapters.slack.workspaces import Workspace
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.domain.errors import QuizError
from bot.storage.schema import slack_bots, slack_installations, slack_oauth_states
from bot.usecases.deps import Deps
from tests.adapters.slack.conftest import SECRET, SlackHarness, texts
from tests.adapters.slack.installing import STATE_COOKIE, Page, browser, query_of
from tests.adapters.slack.standin import (
    DISTRIBUTED_EVENTS,
    SlackStandIn,
    command_body,
    in_workspace,
    sign,
)
from tests.conftest import MINI_CONTENT

ONE, TWO = "T1", "T2"
ADA, BOB = "UADA", "UBOB"  # Ada works in T1, Bob in T2
NOT_INSTALLED = "your installation with this app is no longer available"


@dataclass
class Recorded:
    """The hooks Quizbot attaches (pause and resume a workspace), recording their calls."""

    installed: list[Workspace] = field(default_factory=list)
    removed: list[Workspace] = field(default_factory=list)

    def hooks(self, deps: Deps) -> InstallHooks:
        quizbot = install_hooks(deps)

        async def installed(workspace: Workspace) -> None:
            await quizbot.on_installed(workspace)
            self.installed.append(workspace)

        async def removed(workspace: Workspace) -> None:
            await quizbot.on_removed(workspace)
            self.removed.append(workspace)

        return InstallHooks(on_installed=installed, on_removed=removed)


@dataclass(kw_only=True)
class Installs:
    standin: SlackStandIn
    runtime: Runtime
    oauth: SlackOAuth
    app_url: str
    session: aiohttp.ClientSession
    recorded: Recorded

    @property
    def events_url(self) -> str:
        return self.app_url + EVENTS_PATH

    async def command(self, team: str, user: str, text: str = "help") -> dict[str, Any]:
        """`/mini-quiz text` typed by `user` in workspace `team`; what they were shown."""
        seen = len(self.standin.responses)
        body = in_workspace(
            command_body("/mini-quiz", text, user, "CTEAM", self.standin.response_url()), team
        )
        async with self.session.post(self.events_url, data=body, headers=sign(SECRET, body)) as r:
            assert r.status == 200, await r.text()
        await self.standin.wait_for(lambda: len(self.standin.responses) > seen)
        return self.standin.responses[-1]

    async def remove(self, team: str) -> None:
        """Someone uninstalls the app from `team`; Slack sends both events (revoked first)."""
        events = self.standin.uninstall(team)
        for number, event in enumerate(reversed(events)):
            status = await self.standin.deliver_workspace_http(
                self.events_url, SECRET, event, f"Ev{team}{number}", team
            )
            assert status == 200
        await self.standin.wait_for(lambda: len(self.recorded.removed) >= len(events))

    async def rows(self) -> dict[str, list[tuple[str | None, str | None]]]:
        """(team, bot token) of every installation and bot row."""
        async with self.runtime.engine.connect() as connection:
            found = {}
            for table in (slack_installations, slack_bots):
                query = select(table.c.team_id, table.c.bot_token).order_by(table.c.id)
                found[table.name] = [tuple(row) for row in await connection.execute(query)]
            return found  # type: ignore[return-value]

    async def states(self) -> int:
        async with self.runtime.engine.connect() as connection:
            return len((await connection.execute(select(slack_oauth_states.c.id))).all())


@pytest.fixture
async def installs(settings: Settings) -> AsyncIterator[Installs]:
    standin = SlackStandIn(
        users={
            ADA: {"id": ADA, "name": "ada", "profile": {"display_name": "Ada"}},
            BOB: {"id": BOB, "name": "bob", "profile": {"display_name": "Bob"}},
        },
        bot_events=DISTRIBUTED_EVENTS,
        user_teams={BOB: TWO},  # only T2's token sees him (tests/adapters/slack/standin_teams)
    )
    await standin.start()
    oauth_settings = Settings(
        _env_file=None,
        database_url=settings.database_url,
        content_dir=MINI_CONTENT,
        slack_client_id=standin.client_id,
        slack_client_secret=SecretStr(standin.client_secret),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=standin.api_url,
        port=0,
    )
    parts = await open_parts(oauth_settings)
    runtime = await build_runtime(oauth_settings, rng=random.Random(5), ports={"slack": parts.port})
    recorded = Recorded()
    hooks = recorded.hooks(runtime.quizbot.deps)
    oauth = slack_oauth(oauth_settings, runtime.engine, parts.client, hooks)
    app = make_app(oauth_settings, runtime.quizbot, parts, oauth=oauth)
    runner = SlackRunner(app, app_token=None, host="127.0.0.1", port=0)
    await runner.start()
    app_url = f"http://127.0.0.1:{runner.bound_port}"
    standin.redirect_urls = [redirect_url(app_url + EVENTS_PATH)]  # as the manifest sets it
    async with aiohttp.ClientSession() as session:
        yield Installs(
            standin=standin,
            runtime=runtime,
            oauth=oauth,
            app_url=app_url,
            session=session,
            recorded=recorded,
        )
    await runner.stop()
    await runtime.aclose()
    await parts.aclose()
    await standin.stop()


def both(*rows: tuple[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The same (team, bot token) rows in slack_installations and slack_bots."""
    return {"slack_installations": list(rows), "slack_bots": list(rows)}


def looked_up(installs: Installs) -> list[tuple[str, str]]:
    """(token, user) of every users.info call."""
    return [(c.token, c.args["user"]) for c in installs.standin.calls if c.method == "users.info"]


async def install(installs: Installs, team: str) -> Page:
    async with browser(installs.standin, installs.app_url) as person:
        return await person.install(team)


async def test_two_workspaces_install_each_with_its_own_token(installs: Installs) -> None:
    async with browser(installs.standin, installs.app_url) as person:
        consent = await person.start_install()
        asked = query_of(consent)
        assert consent.startswith(installs.standin.api_url.removesuffix("api/") + "oauth/v2/")
        assert asked["client_id"] == installs.standin.client_id
        assert asked["scope"].split(",")[0] == "commands"
        assert person.state_cookie() == asked["state"]
        page = await person.visit(installs.standin.approve(consent, ONE))
    assert page.installed, page
    assert (await install(installs, TWO)).installed
    (one,) = installs.standin.tokens_of(ONE)
    (two,) = installs.standin.tokens_of(TWO)
    assert one != two
    assert await installs.rows() == both((ONE, one), (TWO, two))
    assert installs.recorded.installed == [Workspace(ONE), Workspace(TWO)]
    assert await installs.states() == 0  # each state was spent
    exchanges = installs.standin.of("oauth.v2.access")
    assert [call["code"] for call in exchanges] == ["code-T1-1", "code-T2-2"]
    tokens = InstallationTokens(installs.oauth.store)
    assert await tokens.token_for(Workspace(ONE)) == one
    assert await tokens.token_for(Workspace(TWO)) == two
    assert await tokens.token_for(Workspace("T3")) is None


async def test_each_workspace_is_answered_with_its_own_token(installs: Installs) -> None:
    assert (await install(installs, ONE)).installed
    assert (await install(installs, TWO)).installed
    (one,) = installs.standin.tokens_of(ONE)
    (two,) = installs.standin.tokens_of(TWO)
    assert "/mini-quiz subscribe" in texts(await installs.command(ONE, ADA))
    assert "/mini-quiz subscribe" in texts(await installs.command(TWO, BOB))
    assert looked_up(installs) == [(one, ADA), (two, BOB)]
    # Bolt checks each workspace's token once, with that token, before its first answer.
    checked = [c.token for c in installs.standin.calls if c.method == "auth.test"]
    assert checked.count(one) >= 1
    assert checked.count(two) >= 1
    assert installs.standin.refusals == []
    # The answers themselves go to the response_url Slack sent, which needs no token.
    assert "Nothing to review yet" in texts(await installs.command(TWO, BOB, "review"))
    assert {c.token for c in installs.standin.calls_by(TWO)} == {two}


async def test_a_workspace_that_never_installed_is_told_to_install(installs: Installs) -> None:
    assert (await install(installs, ONE)).installed
    shown = await installs.command("T3", "UCY")
    assert NOT_INSTALLED in shown["text"]
    assert installs.standin.of("users.info") == []


async def test_a_state_the_browser_was_not_given_is_refused(
    installs: Installs, caplog: pytest.LogCaptureFixture
) -> None:
    """Someone sends a person a link back to the app with their own state (login CSRF)."""
    caplog.set_level(logging.INFO)
    async with browser(installs.standin, installs.app_url) as attacker:
        theirs = await attacker.start_install()
        link = installs.standin.approve(theirs, "TEVIL")
    async with browser(installs.standin, installs.app_url) as person:
        await person.start_install()  # the person has a state of their own, in a cookie
        refused = await person.visit(link)
    async with browser(installs.standin, installs.app_url) as stranger:
        never_started = await stranger.visit(link)  # no state cookie at all
    for page in (refused, never_started):
        assert page.status == 400
        assert "Something Went Wrong" in page.text
        assert 'href="/slack/install"' in page.text  # where to try again
    assert installs.standin.of("oauth.v2.access") == []  # the code was never spent
    assert await installs.rows() == both()
    assert installs.recorded.installed == []
    assert "A Slack install did not complete: invalid_browser" in caplog.text


async def test_a_made_up_state_is_refused_even_with_a_matching_cookie(installs: Installs) -> None:
    async with browser(installs.standin, installs.app_url) as person:
        consent = await person.start_install()
        forged = "d4a7e0b2-1111-4222-8333-944455556666"
        back = installs.standin.approve(consent.replace(query_of(consent)["state"], forged), ONE)
        page = await person.visit(back, cookie=f"{STATE_COOKIE}={forged}")
    assert page.status == 401
    assert "invalid_state" in page.text
    assert installs.standin.of("oauth.v2.access") == []
    assert await installs.rows() == both()


async def test_a_replayed_state_is_refused(installs: Installs) -> None:
    async with browser(installs.standin, installs.app_url) as person:
        consent = await person.start_install()
        state = query_of(consent)["state"]
        back = installs.standin.approve(consent, ONE)
        assert (await person.visit(back)).installed
        cookie = f"{STATE_COOKIE}={state}"
        replayed = await person.visit(back, cookie=cookie)
        fresh_code = await person.visit(installs.standin.approve(consent, ONE), cookie=cookie)
    for page in (replayed, fresh_code):
        assert page.status == 401
        assert "invalid_state" in page.text
    assert len(installs.standin.of("oauth.v2.access")) == 1
    (one,) = installs.standin.tokens_of(ONE)
    assert await installs.rows() == both((ONE, one))
    assert installs.recorded.installed == [Workspace(ONE)]


async def test_one_state_sent_back_at_once_many_times_installs_once(installs: Installs) -> None:
    async with browser(installs.standin, installs.app_url) as person:
        consent = await person.start_install()
        cookie = f"{STATE_COOKIE}={query_of(consent)['state']}"
        links = [installs.standin.approve(consent, ONE) for _ in range(6)]
        pages = await asyncio.gather(*(person.visit(link, cookie=cookie) for link in links))
    assert sorted(page.status for page in pages) == [200, 401, 401, 401, 401, 401]
    assert len(installs.standin.tokens_of(ONE)) == 1
    assert len((await installs.rows())["slack_bots"]) == 1


async def test_cancelling_on_slacks_page_installs_nothing(
    installs: Installs, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with browser(installs.standin, installs.app_url) as person:
        page = await person.visit(installs.standin.cancel(await person.start_install()))
    assert page.status == 200
    assert "access_denied" in page.text
    assert await installs.rows() == both()
    (line,) = [r for r in caplog.records if r.name == "adapters.slack.installs"]
    assert (line.levelno, line.getMessage()) == (
        logging.INFO,
        "A Slack install did not complete: access_denied",
    )


async def test_a_wrong_client_secret_installs_nothing(installs: Installs) -> None:
    installs.standin.client_secret = "rotated-on-the-app-page"
    page = await install(installs, ONE)
    assert page.status == 401
    assert "Something Went Wrong" in page.text
    assert [r.error for r in installs.standin.refused("oauth.v2.access")] == ["bad_client_secret"]
    assert await installs.rows() == both()
    assert installs.recorded.installed == []


async def test_uninstalling_forgets_only_that_workspace(installs: Installs) -> None:
    assert (await install(installs, ONE)).installed
    assert (await install(installs, TWO)).installed
    (two,) = installs.standin.tokens_of(TWO)
    await installs.remove(ONE)
    assert installs.recorded.removed == [Workspace(ONE), Workspace(ONE)]  # one per event
    assert await installs.rows() == both((TWO, two))
    tokens = InstallationTokens(installs.oauth.store)
    assert await tokens.token_for(Workspace(ONE)) is None
    assert await tokens.token_for(Workspace(TWO)) == two
    assert NOT_INSTALLED in (await installs.command(ONE, ADA))["text"]
    assert "/mini-quiz subscribe" in texts(await installs.command(TWO, BOB))


async def test_reinstalling_gets_a_new_token_and_calls_the_hook(installs: Installs) -> None:
    assert (await install(installs, ONE)).installed
    await installs.remove(ONE)
    assert (await install(installs, ONE)).installed
    old, new = installs.standin.tokens_of(ONE)
    assert installs.recorded.installed == [Workspace(ONE), Workspace(ONE)]
    assert await installs.rows() == both((ONE, new))
    assert "/mini-quiz subscribe" in texts(await installs.command(ONE, ADA))
    assert looked_up(installs) == [(new, ADA)]
    assert old in installs.standin.revoked_tokens


async def test_a_revoked_user_token_leaves_the_bot_installed(installs: Installs) -> None:
    """Quizbot asks for no user scopes; were a user token revoked, the bot would stay."""
    assert (await install(installs, ONE)).installed
    (one,) = installs.standin.tokens_of(ONE)
    event = {"type": "tokens_revoked", "tokens": {"oauth": ["USOMEONE"], "bot": []}}
    assert (
        await installs.standin.deliver_workspace_http(
            installs.events_url, SECRET, event, "EvUser", ONE
        )
        == 200
    )
    await asyncio.sleep(0.3)  # the listener runs after the ack
    assert await installs.rows() == both((ONE, one))
    assert installs.recorded.removed == []


async def test_without_oauth_settings_there_are_no_install_pages(slack: SlackHarness) -> None:
    """Single-workspace mode (SLACK_BOT_TOKEN) serves /slack/events only, as before."""
    app_url = slack.url.removesuffix(EVENTS_PATH)
    async with aiohttp.ClientSession() as session:
        for path in ("/slack/install", "/slack/oauth_redirect?code=c&state=s"):
            async with session.get(app_url + path, allow_redirects=False) as response:
                assert response.status == 404


async def test_workspaces_installing_at_the_same_moment_all_get_installed(
    installs: Installs,
) -> None:
    teams = [f"T{n}" for n in range(10, 18)]
    pages = await asyncio.gather(*(install(installs, team) for team in teams))
    assert all(page.installed for page in pages), [p.status for p in pages]
    assert sorted(team for team, _token in (await installs.rows())["slack_bots"]) == teams


def oauth_settings(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(
        update={
            "slack_client_id": "1111.2222",
            "slack_client_secret": SecretStr("client-secret"),
            "slack_signing_secret": SecretStr(SECRET),
        }
        | changes
    )


async def test_without_a_signing_secret_oauth_mode_is_explained(settings: Settings) -> None:
    with pytest.raises(QuizError, match=r"needs SLACK_SIGNING_SECRET .* every request and install"):
        await serve(oauth_settings(settings, slack_signing_secret=None), stop=asyncio.Event())


async def test_the_web_role_serves_the_install_pages(
    settings: Settings, unused_tcp_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    stop = asyncio.Event()
    serving = asyncio.create_task(
        serve(oauth_settings(settings, port=unused_tcp_port), role=Role.WEB, stop=stop)
    )
    url = f"http://127.0.0.1:{unused_tcp_port}/slack/install"
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.get(url, allow_redirects=False) as response:
                    status, consent = response.status, response.headers.get("Location", "")
                    break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("nothing listened")
    stop.set()
    assert await asyncio.wait_for(serving, 15) == 0
    assert status == 302
    assert consent.startswith("https://slack.com/oauth/v2/authorize?state=")
    assert "installs at /slack/install" in capsys.readouterr().out


async def test_a_link_checker_asking_for_headers_issues_no_state(installs: Installs) -> None:
    async with installs.session.head(installs.app_url + "/slack/install") as response:
        assert response.status == 405
    assert await installs.states() == 0
