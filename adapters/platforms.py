"""Start every platform that has credentials, with the scheduler, on one loop until stopped."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Protocol

from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.daily.ports import PostingPort
from bot.domain.errors import QuizError
from bot.process_tuning import tune_for_serving


class Runner(Protocol):
    @property
    def mode(self) -> str: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


Builder = Callable[[Runtime], tuple[str, Runner] | None]
Closer = Callable[[], Awaitable[None]]


class Role(StrEnum):
    """`all` for one process; `web` and `worker` split it for a PaaS (see the Procfile)."""

    ALL = "all"
    WEB = "web"
    WORKER = "worker"


async def serve(
    settings: Settings, *, role: Role = Role.ALL, stop: asyncio.Event | None = None
) -> int:
    """Runs until SIGINT/SIGTERM (or `stop` is set, for tests).

    web: Slack's HTTP endpoint only. worker: the scheduler, Slack Socket Mode and Discord;
    it still posts to Slack (daily questions) when Slack is served over HTTP by the web role.
    """
    if role is Role.WEB and (not settings.has_slack or settings.slack_socket_mode):
        raise QuizError(
            "The web role serves Slack over HTTP: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, "
            "and leave SLACK_APP_TOKEN unset."
        )
    closers: list[Closer] = []
    try:
        return await _serve(settings, role, stop, closers)
    finally:
        for close in closers:
            await close()


async def _serve(
    settings: Settings, role: Role, stop: asyncio.Event | None, closers: list[Closer]
) -> int:
    """Platform clients that hold connections register in `closers`; `serve` closes them."""
    ports: dict[str, PostingPort] = {}
    builders: list[Builder] = []
    if settings.has_slack:
        serve_slack = role is Role.ALL or (role is Role.WEB) != settings.slack_socket_mode
        builders.append(await _slack(settings, ports, closers, serve=serve_slack))
    if settings.has_discord and role is not Role.WEB:
        builders.append(_discord(settings, ports))
    runtime = await build_runtime(settings, ports=ports)
    runners: list[tuple[str, Runner]] = [
        built for build in builders if (built := build(runtime)) is not None
    ]
    stop = stop or _stop_on_signals()
    started: list[Runner] = []
    try:
        for name, runner in runners:
            await runner.start()
            started.append(runner)
            print(f"Quizbot is serving {name} ({runner.mode}).", flush=True)
        if role is not Role.WEB:
            await runtime.start_scheduler()
            print("Daily questions are scheduled.", flush=True)
        tune_for_serving()
        print("Stop with Ctrl-C.", flush=True)
        await stop.wait()
    finally:
        for runner in reversed(started):
            await runner.stop()
        await runtime.aclose()
    return 0


async def _slack(
    settings: Settings, ports: dict[str, PostingPort], closers: list[Closer], *, serve: bool
) -> Builder:
    from adapters.slack.app import make_app, open_parts
    from adapters.slack.identity import PLATFORM
    from adapters.slack.runner import SlackRunner

    if not settings.slack_socket_mode and settings.slack_signing_secret is None:
        raise QuizError(
            "Slack in HTTP mode needs SLACK_SIGNING_SECRET (from the app's Basic Information "
            "page); or set SLACK_APP_TOKEN to use Socket Mode instead."
        )
    parts = await open_parts(settings)
    closers.append(parts.aclose)
    ports[PLATFORM] = parts.port

    def build(runtime: Runtime) -> tuple[str, Runner] | None:
        if not serve:
            return None
        app_token = settings.slack_app_token
        return "Slack", SlackRunner(
            make_app(settings, runtime.quizbot, parts),
            app_token=app_token.get_secret_value() if app_token else None,
            port=settings.port,
        )

    return build


def _discord(settings: Settings, ports: dict[str, PostingPort]) -> Builder:
    from adapters.discord.client import PLATFORM, QuizbotClient, point_at
    from adapters.discord.posting import DiscordPostingPort
    from adapters.discord.runner import DiscordRunner

    point_at(settings.discord_api_url, settings.discord_gateway_url)
    port = DiscordPostingPort()
    ports[PLATFORM] = port

    def build(runtime: Runtime) -> tuple[str, Runner]:
        client = QuizbotClient(
            runtime.quizbot, admin_ids=settings.admin_ids, guild_id=settings.discord_guild_id
        )
        port.attach(client)
        assert settings.discord_token is not None
        return "Discord", DiscordRunner(client, settings.discord_token.get_secret_value())

    return build


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
