"""Start every platform that has credentials, with the scheduler, on one loop until stopped."""

from __future__ import annotations

import asyncio
import signal

from bot.composition import build_runtime
from bot.config import Settings
from bot.domain.errors import QuizError


async def serve(settings: Settings, *, stop: asyncio.Event | None = None) -> int:
    """Runs until SIGINT/SIGTERM (or `stop` is set, for tests)."""
    from adapters.slack.app import make_app, make_parts
    from adapters.slack.identity import PLATFORM as SLACK
    from adapters.slack.runner import SlackRunner

    if not settings.slack_socket_mode and settings.slack_signing_secret is None:
        raise QuizError(
            "Slack in HTTP mode needs SLACK_SIGNING_SECRET (from the app's Basic Information "
            "page); or set SLACK_APP_TOKEN to use Socket Mode instead."
        )
    parts = make_parts(settings)
    runtime = await build_runtime(settings, ports={SLACK: parts.port})
    app_token = settings.slack_app_token
    runner = SlackRunner(
        make_app(settings, runtime.quizbot, parts),
        app_token=app_token.get_secret_value() if app_token else None,
        port=settings.port,
    )
    stop = stop or _stop_on_signals()
    try:
        await runner.start()
        await runtime.start_scheduler()
        print(f"Quizbot is serving Slack ({runner.mode}). Stop it with Ctrl-C.", flush=True)
        await stop.wait()
    finally:
        await runner.stop()
        await runtime.aclose()
    return 0


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
