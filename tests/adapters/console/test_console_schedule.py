"""In the console, subscribing shows the daily post arriving at the chosen minute."""

from __future__ import annotations

import asyncio
import io
import os
from datetime import UTC, datetime, timedelta

import time_machine

from adapters.console.posting import ConsolePostingPort
from adapters.console.render import Style
from adapters.console.session import PLATFORM, ConsoleSession
from bot.composition import build_runtime
from bot.config import Settings

NINE_BERLIN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_console_shows_the_scheduled_post_and_its_button_works(settings: Settings) -> None:
    read_fd, write_fd = os.pipe()
    stdin, typing = os.fdopen(read_fd, "r"), os.fdopen(write_fd, "w")
    out = io.StringIO()
    port = ConsolePostingPort(lambda header, reply: None)
    with time_machine.travel(NINE_BERLIN - timedelta(seconds=3), tick=True):
        runtime = await build_runtime(settings, ports={PLATFORM: port})
        session = ConsoleSession(runtime.quizbot, "ada", stdin, out, Style(color=False), echo=True)
        port.attach(session.show_post)
        await runtime.start_scheduler()
        running = asyncio.create_task(session.run())
        typing.write("subscribe 09:00 Europe/Berlin\n")
        typing.flush()
        for _ in range(300):
            if "#console · daily question" in out.getvalue():
                break
            await asyncio.sleep(0.05)
        typing.write("1\nquit\n")
        typing.flush()
        await asyncio.wait_for(running, 10)
        await runtime.aclose()
    typing.close()
    stdin.close()
    transcript = out.getvalue()
    assert "Daily question subscribed" in transcript
    assert "\n#console · daily question\n" in transcript
    assert "console-1" not in transcript  # the header names the channel, not internal ids
    assert "Question of the day: #" in transcript
    after_post = transcript.split("#console · daily question", 1)[1]
    assert "Answer to question" in after_post  # pressing 1 revealed the daily question
