"""Start every platform that has credentials, with the scheduler, on one loop until stopped.

SIGTERM and SIGINT stop it in every state: while it connects (start-up is cancelled), while it
serves, and mid fan-out (the poster hands its claims over as it is cancelled). A credential a
platform refuses ends it with one line naming the setting.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.daily.ports import PostingPort
from bot.domain.context import WorkspaceRef
from bot.domain.errors import QuizError
from bot.process_tuning import tune_for_serving

# Everything still open when we are told to stop must be closed within this long: platforms
# (Docker, Heroku, Kubernetes) kill a process about 10 s after SIGTERM.
STOP_SECONDS = 8.0
# `post-due` runs from cron: it tries a platform this often (about 7 s) before giving up.
REST_ATTEMPTS = 4

log = logging.getLogger(__name__)


class Runner(Protocol):
    @property
    def mode(self) -> str: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


Builder = Callable[[Runtime], tuple[str, Runner] | None]


@dataclass
class Posting:
    """What a process posts through: a port per platform, and the workspace of platforms
    served by one installation (single-token Slack), for `build_runtime(installed=...)`."""

    ports: dict[str, PostingPort] = field(default_factory=dict)
    installed: dict[str, WorkspaceRef] = field(default_factory=dict)


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
            "The web role serves Slack over HTTP: set SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and "
            "SLACK_CLIENT_SECRET) and SLACK_SIGNING_SECRET, and leave SLACK_APP_TOKEN unset."
        )
    if settings.has_slack and not settings.slack_socket_mode and not settings.slack_signing_secret:
        otherwise = (
            "it verifies every request and install with it"
            if settings.slack_oauth
            else "or set SLACK_APP_TOKEN to use Socket Mode instead"
        )
        raise QuizError(
            "Slack in HTTP mode needs SLACK_SIGNING_SECRET (from the app's Basic Information "
            f"page); {otherwise}."
        )
    stop = stop or _stop_on_signals()
    stack = AsyncExitStack()
    try:
        serving = asyncio.ensure_future(_start(settings, role, stack))
        if not await _first(serving, stop.wait()):
            print("Stopped before Quizbot was up.", flush=True)
            return 0
        failed = serving.result()
        tune_for_serving()
        print("Stop with Ctrl-C.", flush=True)
        if not await _first(asyncio.ensure_future(stop.wait()), failed):
            failed.result()  # a platform client ended on its own: say why
        return 0
    finally:
        try:
            await asyncio.wait_for(stack.aclose(), STOP_SECONDS)
        except TimeoutError:
            log.warning("gave up closing connections after %.0f s", STOP_SECONDS)


async def _first(wanted: asyncio.Future[Any], other: Awaitable[object]) -> bool:
    """Wait for `wanted` unless `other` happens first (then cancel it); True if it finished."""
    rival = asyncio.ensure_future(other)
    try:
        await asyncio.wait({wanted, rival}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        rival.cancel()
    if wanted.done():
        return True
    wanted.cancel()
    await asyncio.gather(wanted, return_exceptions=True)
    return False


async def _start(settings: Settings, role: Role, stack: AsyncExitStack) -> asyncio.Future[None]:
    """Connect everything and start the scheduler; everything opened is registered in `stack`,
    so a cancelled start-up closes what it had opened. Returns a future that completes if a
    platform client stops on its own."""
    posting = Posting()
    builders: list[Builder] = []
    if settings.has_slack:
        serve_slack = role is Role.ALL or (role is Role.WEB) != settings.slack_socket_mode
        builders.append(await _slack(settings, posting, stack, serve=serve_slack))
    if settings.has_discord and role is not Role.WEB:
        builders.append(_discord(settings, posting.ports))
    runtime = await build_runtime(settings, ports=posting.ports, installed=posting.installed)
    stack.push_async_callback(runtime.aclose)
    runners = [built for build in builders if (built := build(runtime)) is not None]
    ended: list[asyncio.Future[None]] = []
    for name, runner in runners:
        stack.push_async_callback(runner.stop)
        await runner.start()
        print(f"Quizbot is serving {name} ({runner.mode}).", flush=True)
        finished = getattr(runner, "finished", None)
        if finished is not None:
            ended.append(finished)
    if role is not Role.WEB:
        scheduler = await runtime.start_scheduler()
        # Closed first (the stack runs last in, first out): a fan-out hands its claims over
        # while the platform clients it posts through are still open.
        stack.push_async_callback(scheduler.shutdown)
        print("Daily questions are scheduled.", flush=True)
    return asyncio.ensure_future(_any_ended(ended))


async def _any_ended(ended: list[asyncio.Future[None]]) -> None:
    if not ended:
        await asyncio.Event().wait()
    done, _ = await asyncio.wait(ended, return_when=asyncio.FIRST_COMPLETED)
    for finished in done:
        finished.result()
    raise QuizError("A platform connection ended unexpectedly; see the log above.")


async def _slack(
    settings: Settings, posting: Posting, stack: AsyncExitStack, *, serve: bool
) -> Builder:
    from adapters.slack.app import make_app, open_parts
    from adapters.slack.identity import PLATFORM
    from adapters.slack.installs import slack_oauth
    from adapters.slack.runner import SlackRunner
    from adapters.slack.startup import check_bot_token
    from adapters.slack.workspace_hooks import install_hooks

    parts = await open_parts(settings)
    stack.push_async_callback(parts.aclose)
    if not settings.slack_oauth:  # with OAuth, each workspace's token is checked as it installs
        workspace = await check_bot_token(parts.client)
        if workspace is not None:
            posting.installed[PLATFORM] = workspace
    posting.ports[PLATFORM] = parts.port

    def build(runtime: Runtime) -> tuple[str, Runner] | None:
        if not serve:
            return None
        app_token = settings.slack_app_token
        oauth = None
        if settings.slack_oauth:
            hooks = install_hooks(runtime.quizbot.deps)
            oauth = slack_oauth(settings, runtime.engine, parts.client, hooks)
        return "Slack", SlackRunner(
            make_app(settings, runtime.quizbot, parts, oauth=oauth),
            app_token=app_token.get_secret_value() if app_token else None,
            port=settings.port,
        )

    return build


def _discord(settings: Settings, ports: dict[str, PostingPort]) -> Builder:
    from adapters.discord.client import PLATFORM, make_client, point_at
    from adapters.discord.posting import DiscordPostingPort
    from adapters.discord.runner import DiscordRunner

    point_at(settings.discord_api_url, settings.discord_gateway_url)
    port = DiscordPostingPort()
    ports[PLATFORM] = port

    def build(runtime: Runtime) -> tuple[str, Runner]:
        client = make_client(
            runtime.quizbot,
            admin_ids=settings.admin_ids,
            guild_id=settings.discord_guild_id,
            shard_count=settings.discord_shard_count,
            shard_ids=settings.discord_shard_ids,
        )
        port.attach(client)
        assert settings.discord_token is not None
        return "Discord", DiscordRunner(client, settings.discord_token.get_secret_value())

    return build


@asynccontextmanager
async def posting_ports(settings: Settings) -> AsyncIterator[Posting]:
    """Posting ports for every platform that has credentials, over REST alone (no Socket Mode,
    no gateway session): what `quizbot post-due` posts through. Tokens are checked first."""
    posting = Posting()
    ports = posting.ports
    async with AsyncExitStack() as stack:
        if settings.has_slack:
            from adapters.slack.app import open_parts
            from adapters.slack.identity import PLATFORM as SLACK
            from adapters.slack.startup import check_bot_token

            parts = await open_parts(settings)
            stack.push_async_callback(parts.aclose)
            if not settings.slack_oauth:
                workspace = await check_bot_token(parts.client, attempts=REST_ATTEMPTS)
                if workspace is not None:
                    posting.installed[SLACK] = workspace
            ports[SLACK] = parts.port
        if settings.has_discord:
            from adapters.discord.client import PLATFORM as DISCORD
            from adapters.discord.client import point_at
            from adapters.discord.posting import open_rest_port

            assert settings.discord_token is not None
            point_at(settings.discord_api_url, settings.discord_gateway_url)
            port, client = await open_rest_port(
                settings.discord_token.get_secret_value(), attempts=REST_ATTEMPTS
            )
            stack.push_async_callback(client.close)
            ports[DISCORD] = port
        yield posting


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
