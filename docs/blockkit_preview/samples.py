"""The views to draw, built as the Slack adapter builds them, from a person's sample practice.

A runtime on a throwaway SQLite file and the real FastAPI pack; a learner reviews and grades
questions on most days of five weeks (a seeded random generator picks which, and how well), so
the home has a streak, reviews due, grades today and a 12-week picture. The channel is
subscribed with the typed command first, so its modal opens on settings with every field filled.
"""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.slack import home_view, modals
from bot.clock import FixedClock
from bot.composition import build_runtime
from bot.config import Settings
from bot.domain.context import Actor, Context, Place
from bot.domain.home import Home
from bot.domain.replies import Reply
from bot.quizbot import Quizbot

PACK = "fastapi"
COMMAND = "fastapi-quiz"
TODAY = datetime(2026, 4, 17, 7, 30, tzinfo=UTC)
DAYS = 35
PICTURE_FILE = "F0PREVIEW1"  # stands in for the file id Slack gives the uploaded picture
GRADES = ("Knew it", "Knew it", "Knew it", "Partly", "Missed")
SUBSCRIBE = "subscribe 9:30 Europe/Berlin weekdays mid reveal 17:00"
ANSWERED = "24"  # the question whose "Write my answer" modal is drawn

LEARNER = Actor("slack", "U0PREVIEW", "Ada", is_admin=True, timezone="Europe/Berlin")
DIRECT = Context(LEARNER, Place("slack", "D0PREVIEW", "directmessage", is_direct=True))
CHANNEL = Context(LEARNER, Place("slack", "C0PREVIEW", "interview-prep"))


@dataclass(frozen=True)
class Preview:
    """One view to draw: its file name (without .png), the view, and the files it shows."""

    name: str
    view: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)  # slack_file id → PNG


async def build_previews(workdir: Path | None = None, *, seed: int = 14) -> list[Preview]:
    """The home, the channel-settings modal and the written-answer modal."""
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="quizbot-preview-") as temporary:
            return await build_previews(Path(temporary), seed=seed)
    settings = Settings(
        _env_file=None, database_url=f"sqlite+aiosqlite:///{workdir / 'preview.sqlite3'}"
    )
    clock = FixedClock(TODAY - timedelta(days=DAYS))
    runtime = await build_runtime(settings, clock=clock, rng=random.Random(seed))
    try:
        quizbot = runtime.quizbot
        await _practise(quizbot, clock, random.Random(seed))
        notice = await quizbot.change_setting(DIRECT, PACK, "level", "mid")
        home = await quizbot.home(DIRECT, PACK)
        if not isinstance(home, Home) or home.picture is None:
            raise RuntimeError(f"the sample home did not build: {home}")
        previews = [
            Preview(
                "slack-home",
                home_view.render(home, notice=notice, picture_file=PICTURE_FILE),
                {PICTURE_FILE: home.picture.data},
            )
        ]
        await quizbot.handle_text(CHANNEL, COMMAND, SUBSCRIBE)
        subscribe = await quizbot.handle_text(CHANNEL, COMMAND, "subscribe")
        previews.append(Preview("slack-subscribe-modal", _modal(subscribe)))
        question = await quizbot.handle_text(CHANNEL, COMMAND, ANSWERED)
        written = await _press(quizbot, CHANNEL, question, "Write my answer")
        previews.append(Preview("slack-answer-modal", _modal(written)))
        return previews
    finally:
        await runtime.aclose()


async def _practise(quizbot: Quizbot, clock: FixedClock, rng: random.Random) -> None:
    """Most days of the last five weeks, the last nine in a row: a few reviews of what is
    due, then a new question or two."""
    numbers = list(range(1, 71))
    rng.shuffle(numbers)
    for back in range(DAYS, -1, -1):
        if back > 8 and rng.random() < 0.3:
            continue
        clock.set(TODAY - timedelta(days=back))
        for _ in range(rng.randint(0, 3)):
            review = await quizbot.handle_text(DIRECT, COMMAND, "review")
            if not any(b.label == "Reveal answer" for b in review.buttons):
                break  # nothing due
            await _grade(quizbot, review, rng)
        for _ in range(rng.randint(1, 2)):
            number = numbers.pop() if numbers else rng.randint(1, 70)
            question = await quizbot.handle_text(DIRECT, COMMAND, str(number))
            await _grade(quizbot, question, rng)
    clock.set(TODAY)


async def _grade(quizbot: Quizbot, question: Reply, rng: random.Random) -> None:
    answer = await _press(quizbot, DIRECT, question, "Reveal answer")
    await _press(quizbot, DIRECT, answer, rng.choice(GRADES))


async def _press(quizbot: Quizbot, ctx: Context, reply: Reply, label: str) -> Reply:
    found = [b for b in reply.buttons if b.label == label]
    if not found:
        raise RuntimeError(f"no {label!r} button on: {reply.plain_text[:200]}")
    return await quizbot.handle_action(ctx, found[0].action_id, found[0].value)


def _modal(reply: Reply) -> dict[str, Any]:
    """The modal the Slack adapter opens for a reply that carries a form."""
    if reply.form is None:
        raise RuntimeError(f"expected a form, got: {reply.plain_text[:200]}")
    origin = modals.FormOrigin(
        reply.form.kind.value, reply.form.state, CHANNEL.place.channel_id, CHANNEL.place.name, ""
    )
    return modals.modal(reply.form, origin)
