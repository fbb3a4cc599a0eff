"""The real Bolt app over loopback HTTP, wired exactly as `quizbot run` wires it."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from adapters.slack.app import SlackApp, make_app, open_parts
from adapters.slack.runner import EVENTS_PATH, SlackRunner
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from tests.adapters.slack.standin import SlackStandIn, action_body, command_body, sign

SECRET = "test-signing-secret"
ADMIN = "UADMIN"
MEMBER = "UMEMBER"


@dataclass
class SlackUsers:
    """People in the workspace: what they type and click reaches the app's request URL,
    signed with `secret`, as Slack sends it; what they are shown arrives at the stand-in."""

    standin: SlackStandIn
    url: str
    session: aiohttp.ClientSession
    secret: str = field(default=SECRET, kw_only=True)

    async def post(self, body: str, headers: dict[str, str]) -> int:
        async with self.session.post(self.url, data=body, headers=headers) as response:
            await response.read()
            return response.status

    async def command(
        self,
        text: str,
        user: str = MEMBER,
        channel: str = "CTEAM",
        wait: bool = True,
        trigger_age: float = 0.0,
    ) -> dict[str, Any]:
        """Send `/mini-quiz text` signed; return what the user was shown via response_url."""
        seen = len(self.standin.responses)
        await self.post_command(text, user, channel, trigger_age)
        await self.standin.wait_for(lambda: len(self.standin.responses) > seen)
        return self.standin.responses[-1]

    async def post_command(
        self, text: str, user: str = MEMBER, channel: str = "CTEAM", trigger_age: float = 0.0
    ) -> None:
        """Send `/mini-quiz text` signed, and only check that it was acknowledged. It carries
        a trigger_id Slack issued `trigger_age` seconds ago."""
        trigger = self.standin.views.mint(user, age=trigger_age)
        body = command_body("/mini-quiz", text, user, channel, self.standin.response_url(), trigger)
        assert await self.post(body, sign(self.secret, body)) == 200

    async def click(
        self, message: dict[str, Any], label: str, user: str = MEMBER, channel: str = "CTEAM"
    ) -> dict[str, Any]:
        seen = len(self.standin.responses)
        await self.press(message, label, user, channel)
        await self.standin.wait_for(lambda: len(self.standin.responses) > seen)
        return self.standin.responses[-1]

    async def press(
        self, message: dict[str, Any], label: str, user: str = MEMBER, channel: str = "CTEAM"
    ) -> None:
        """Click a button, and only check that the click was acknowledged."""
        button = next(
            element
            for block in message["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
            if element["text"]["text"] == label
        )
        body = action_body(
            button["action_id"],
            button["value"],
            user,
            channel,
            self.standin.response_url(),
            self.standin.views.mint(user),
        )
        assert await self.post(body, sign(self.secret, body)) == 200

    @property
    def http(self) -> tuple[aiohttp.ClientSession, str, str]:
        """How the stand-in reaches the app with interactive payloads (`submit_view`)."""
        return self.session, self.url, self.secret


@dataclass(kw_only=True)
class SlackHarness(SlackUsers):
    """The people, and the app they use running in this process."""

    runtime: Runtime
    app: SlackApp | None = None


def texts(message: dict[str, Any]) -> str:
    """Everything readable in a Block Kit message."""
    found: list[str] = []
    for block in message.get("blocks", []):
        if "text" in block:
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            text = element.get("text")
            found.append(text["text"] if isinstance(text, dict) else str(text))
    return "\n".join(found)


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    server = SlackStandIn(
        users={
            ADMIN: {
                "id": ADMIN,
                "name": "ada",
                "is_admin": True,
                "tz": "Europe/Berlin",
                "profile": {"display_name": "Ada"},
            },
            MEMBER: {
                "id": MEMBER,
                "name": "bob",
                "tz": "America/New_York",
                "profile": {"display_name": "Bob"},
            },
        }
    )
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def slack_settings(settings: Settings, standin: SlackStandIn) -> Settings:
    return settings.model_copy(
        update={
            "slack_bot_token": SecretStr("xoxb-test"),
            "slack_signing_secret": SecretStr(SECRET),
            "slack_api_url": standin.api_url,
            "port": 0,
        }
    )


@pytest.fixture
async def slack(slack_settings: Settings, standin: SlackStandIn) -> AsyncIterator[SlackHarness]:
    parts = await open_parts(slack_settings)
    runtime = await build_runtime(slack_settings, rng=random.Random(5), ports={"slack": parts.port})
    app = make_app(slack_settings, runtime.quizbot, parts)
    runner = SlackRunner(app, app_token=None, host="127.0.0.1", port=0)
    await runner.start()
    async with aiohttp.ClientSession() as session:
        url = f"http://127.0.0.1:{runner.bound_port}{EVENTS_PATH}"
        yield SlackHarness(standin, url, session, runtime=runtime, app=app)
    await runner.stop()
    await runtime.aclose()
    await parts.aclose()
