"""A person adding the app to their workspace from a browser: the app's /slack/install, Slack's
consent page (the stand-in's), and back to the app's /slack/oauth_redirect.

The browser keeps the cookies the app sets, as a browser does. The app marks its state cookie
`Secure`; browsers send such cookies to http://127.0.0.1 too (a secure context), so this one
does for the app's loopback address.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import aiohttp

from adapters.slack.installs import INSTALL_PATH
from tests.adapters.slack.standin import SlackStandIn

STATE_COOKIE = "slack-app-oauth-state"


@dataclass(frozen=True)
class Page:
    status: int
    text: str

    @property
    def installed(self) -> bool:
        return self.status == 200 and "Thank you!" in self.text


@dataclass
class Browser:
    session: aiohttp.ClientSession
    standin: SlackStandIn
    app_url: str  # http://127.0.0.1:PORT

    async def start_install(self) -> str:
        """Open /slack/install: the app sends the browser straight on to Slack's consent
        page; its URL (which carries the app's `state`)."""
        url = self.app_url + INSTALL_PATH
        async with self.session.get(url, allow_redirects=False) as response:
            assert response.status == 302, (response.status, await response.text())
            return response.headers["Location"]

    async def visit(self, url: str, *, cookie: str | None = None) -> Page:
        """GET `url` with the browser's cookies; or, given `cookie`, send exactly that Cookie
        header and nothing the browser keeps (a request crafted by hand, replayed, forged)."""
        if cookie is None:
            return await _get(self.session, url)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as crafted:
            return await _get(crafted, url, {"Cookie": cookie})

    async def install(self, team: str, user: str = "UINSTALLER") -> Page:
        """The whole flow: /slack/install, Allow on Slack's page as `user` of `team`, back."""
        consent = await self.start_install()
        return await self.visit(self.standin.approve(consent, team, user))

    def state_cookie(self) -> str | None:
        for cookie in self.session.cookie_jar:
            if cookie.key == STATE_COOKIE:
                return cookie.value
        return None


@asynccontextmanager
async def browser(standin: SlackStandIn, app_url: str) -> AsyncIterator[Browser]:
    jar = aiohttp.CookieJar(unsafe=True, treat_as_secure_origin=[app_url])
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        yield Browser(session, standin, app_url)


async def _get(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str] | None = None
) -> Page:
    async with session.get(url, allow_redirects=False, headers=headers) as response:
        return Page(response.status, await response.text())


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))
