"""Shared fixtures: a real SQLite file per test, the mini pack, a clock the test controls."""

from __future__ import annotations

import gc
import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.domain.context import Actor, Context, Place
from tests import postgres

FIXTURES = Path(__file__).parent / "fixtures"
MINI_CONTENT = FIXTURES / "content"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


CHECKOUT_DATA = Path(__file__).resolve().parents[1] / "data"


def _files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")} if folder.is_dir() else set()


@pytest.fixture(autouse=True)
def checkout_data_untouched() -> Iterator[None]:
    """Tests write into their own tmp_path, never into the checkout's data/ (where `make run`
    keeps a developer's database and files)."""
    before = _files_under(CHECKOUT_DATA)
    yield
    written = sorted(_files_under(CHECKOUT_DATA) - before)
    assert not written, f"this test wrote into the checkout: {[str(p) for p in written]}"


@pytest.fixture(autouse=True)
def default_garbage_collector() -> Iterator[None]:
    """`quizbot run` tunes the collector for serving; undo that after any test that serves."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def make_context(user: str = "ada", channel: str = "general", platform: str = "test") -> Context:
    return Context(
        Actor(platform, f"U-{user}", user.capitalize()),
        Place(platform, f"C-{channel}", channel),
    )


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Every test that stores anything runs on SQLite and, when configured, on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"
        return
    server = postgres.server_url()
    if server is None:
        pytest.skip(f"{postgres.ENV} is not set")
    reason = await postgres.unreachable_reason(server)
    if reason is not None:
        pytest.skip(reason)
    async with postgres.fresh_database(server) as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(_env_file=None, database_url=database_url, content_dir=MINI_CONTENT)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
async def runtime(settings: Settings, clock: FixedClock) -> AsyncIterator[Runtime]:
    built = await build_runtime(settings, clock=clock, rng=random.Random(1234))
    yield built
    await built.aclose()
