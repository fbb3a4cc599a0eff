"""The real discord.py client against the local stand-in, wired as `quizbot run` wires it."""

from __future__ import annotations

import itertools
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import SecretStr

from adapters.discord.answering import Answerer
from adapters.discord.client import QuizbotClient, point_at
from adapters.discord.posting import DiscordPostingPort
from adapters.discord.runner import DiscordRunner
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from tests.adapters.discord.lifecycle import EPHEMERAL, InteractionRecord
from tests.adapters.discord.modal_client import Typed, submission
from tests.adapters.discord.standin import (
    CHANNEL_ID,
    GUILD_ID,
    DiscordStandIn,
    click,
    in_guild,
    member,
    slash,
)

ADMIN = member("700000000000000001", "ada", manage_channels=True)
MEMBER = member("700000000000000002", "bob")


@dataclass
class DiscordMembers:
    """Members of the server: what they run, click and submit reaches the bot through the
    stand-in's gateway, as Discord dispatches it."""

    standin: DiscordStandIn
    _tokens: itertools.count[int] = field(default_factory=lambda: itertools.count(1), kw_only=True)

    def token(self) -> str:
        return f"token-{next(self._tokens)}"

    async def command(
        self,
        sub: str,
        who: dict[str, Any] = MEMBER,
        *,
        where: tuple[str, str] = (GUILD_ID, CHANNEL_ID),
        **options: Any,
    ) -> InteractionRecord:
        """Run `/mini-quiz sub ...` in a (guild, channel); return the interaction once its
        reply (or modal) shows."""
        payload = in_guild(slash("mini-quiz", sub, who, self.token(), **options), *where)
        return await self._shown(payload)

    async def press(
        self,
        message: dict[str, Any],
        label: str,
        who: dict[str, Any] = MEMBER,
        *,
        where: tuple[str, str] = (GUILD_ID, CHANNEL_ID),
    ) -> InteractionRecord:
        """Press a button of `message`, shown in a (guild, channel)."""
        button = next(
            component
            for row in message["components"]
            for component in row["components"]
            if component.get("label") == label
        )
        payload = click(button["custom_id"], message, who, self.token())
        return await self._shown(in_guild(payload, *where))

    async def submit(
        self,
        opened: InteractionRecord,
        typed: Typed,
        who: dict[str, Any] = MEMBER,
    ) -> InteractionRecord:
        """Fill in the modal `opened` showed (over its prefilled values) and submit it."""
        assert opened.modal is not None, "that interaction showed no modal"
        payload = submission(opened.modal, typed, who, self.token(), opened.source_message)
        return await self._shown(payload)

    async def _shown(self, payload: dict[str, Any]) -> InteractionRecord:
        record = await self.standin.send_interaction(payload)
        await self.standin.wait_for(lambda: record.answered or record.modal is not None)
        return record


@dataclass
class DiscordHarness(DiscordMembers):
    """The members, and the bot they use running in this process."""

    runtime: Runtime
    runner: DiscordRunner


def shown(seen: InteractionRecord | dict[str, Any]) -> str:
    """The readable text of every message of an interaction, or of one message."""
    messages = seen.messages if isinstance(seen, InteractionRecord) else [seen]
    parts = []
    for message in messages:
        parts.append(message.get("content") or "")
        for embed in message.get("embeds", []):
            parts += [
                embed.get("title", ""),
                (embed.get("author") or {}).get("name", ""),
                embed.get("description", ""),
            ]
    return "\n".join(p for p in parts if p)


def private(message: dict[str, Any]) -> bool:
    return bool(message["flags"] & EPHEMERAL)


def reply_of(record: InteractionRecord) -> dict[str, Any]:
    """The first message the person sees for an interaction."""
    return record.messages[0]


def as_message(record: InteractionRecord) -> dict[str, Any]:
    """The message whose buttons a person would press next: the last one that has any."""
    with_buttons = [m for m in record.messages if m["components"]]
    return with_buttons[-1] if with_buttons else record.messages[-1]


@pytest.fixture
async def standin() -> AsyncIterator[DiscordStandIn]:
    server = DiscordStandIn()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def discord_settings(settings: Settings, standin: DiscordStandIn) -> Settings:
    return settings.model_copy(
        update={
            "discord_token": SecretStr("discord-test-token"),
            "discord_api_url": standin.api_url,
            "discord_gateway_url": standin.gateway_url,
            "discord_guild_id": int(GUILD_ID),
        }
    )


async def start_client(
    settings: Settings,
    runtime: Runtime,
    port: DiscordPostingPort,
    answerer: Answerer | None = None,
) -> DiscordRunner:
    point_at(settings.discord_api_url, settings.discord_gateway_url)
    client = QuizbotClient(
        runtime.quizbot,
        admin_ids=settings.admin_ids,
        guild_id=settings.discord_guild_id,
        answerer=answerer,
    )
    port.attach(client)
    runner = DiscordRunner(client, "discord-test-token")
    await runner.start()
    return runner


@pytest.fixture
async def discord_bot(
    discord_settings: Settings, standin: DiscordStandIn
) -> AsyncIterator[DiscordHarness]:
    port = DiscordPostingPort()
    runtime = await build_runtime(discord_settings, rng=random.Random(5), ports={"discord": port})
    runner = await start_client(discord_settings, runtime, port)
    yield DiscordHarness(standin, runtime, runner)
    await runner.stop()
    await runtime.aclose()
