"""Workspaces in the core: recorded from requests, adopted at a single installation's start,
posted to round-robin, paused once when their installation is gone, resumed when it is back."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.clock import FixedClock
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.daily.ports import PostedMessage, PostKey, WorkspaceUnavailable
from bot.daily.poster import Outcome, interleaved
from bot.domain.context import Actor, Context, Place, WorkspaceRef
from bot.domain.replies import Reply
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import ChannelAddress, Subscription
from bot.storage.schema import channels, users
from bot.usecases.workspaces import pause_workspace, resume_workspace
from tests.bot.daily.conftest import RecordingPort

NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RED, BLUE = WorkspaceRef("TRED"), WorkspaceRef("TBLUE", "EORG")
PAUSED_LINE = "has no working installation"


@dataclass
class LosingPort(RecordingPort):
    """A platform on which some workspaces have lost their installation."""

    lost: set[WorkspaceRef | None] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)

    async def post(self, channel: ChannelAddress, reply: Reply, key: PostKey) -> PostedMessage:
        if channel.workspace in self.lost:
            self.refused.append(channel.channel_id)
            raise WorkspaceUnavailable(channel.workspace, "token_revoked")
        return await super().post(channel, reply, key)


@pytest.fixture
def port() -> LosingPort:
    return LosingPort()


@pytest.fixture(autouse=True)
def at_nine(clock: FixedClock) -> None:
    clock.set(NINE - timedelta(hours=1))


def in_workspace(channel: str, workspace: WorkspaceRef | None, user: str = "U-ada") -> Context:
    return Context(
        Actor("test", user, user, is_admin=True, workspace=workspace),
        Place("test", channel, channel, workspace=workspace),
    )


async def say(runtime: Runtime, ctx: Context, text: str) -> str:
    return (await runtime.quizbot.handle_text(ctx, "mini-quiz", text)).plain_text


async def subscribe(runtime: Runtime, channel: str, workspace: WorkspaceRef | None) -> None:
    text = await say(runtime, in_workspace(channel, workspace), "subscribe 09:00 UTC")
    assert "Daily question subscribed" in text


def sub(channel: str, workspace: WorkspaceRef | None) -> tuple[Subscription, date]:
    address = ChannelAddress("test", channel, channel, workspace)
    schedule = DailySchedule(time(9, 0), "UTC")
    return Subscription(1, 1, address, "mini", schedule, None, None, True), NINE.date()


def test_due_posts_take_turns_across_workspaces() -> None:
    due = [sub("r1", RED), sub("r2", RED), sub("r3", RED), sub("b1", BLUE), sub("n1", None)]
    order = [s.channel.channel_id for s, _day in interleaved(due)]
    assert order == ["r1", "b1", "n1", "r2", "r3"]


async def test_requests_record_the_workspace_on_channel_and_person(daily: Runtime) -> None:
    await say(daily, in_workspace("red-general", RED), "1")
    await say(daily, in_workspace("blue-general", BLUE, user="U-bo"), "1")
    await say(daily, in_workspace("red-general", None), "1")  # no workspace given: kept
    async with daily.engine.connect() as connection:
        places = (await connection.execute(select(channels))).all()
        people = (await connection.execute(select(users))).all()
    assert {(c.platform_channel_id, c.workspace_id, c.enterprise_id) for c in places} == {
        ("red-general", "TRED", None),
        ("blue-general", "TBLUE", "EORG"),
    }
    assert {(p.platform_user_id, p.workspace_id) for p in people} == {
        ("U-ada", "TRED"),
        ("U-bo", "TBLUE"),
    }


async def test_a_lost_workspace_is_paused_once_and_skipped_the_others_post(
    daily: Runtime, port: LosingPort, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    for n in range(4):
        await subscribe(daily, f"red{n}", RED)
    await subscribe(daily, "blue", BLUE)
    await say(daily, in_workspace("red0", RED, user="U-cy"), "1")
    port.lost.add(RED)
    report = await daily.poster.post_due(NINE + timedelta(minutes=1))
    assert (report.posted, report.failed, report.counts[Outcome.SKIPPED]) == (1, 0, 4)
    assert [c.channel_id for c, _reply in port.posts] == ["blue"]
    lines = [r.getMessage() for r in caplog.records if PAUSED_LINE in r.getMessage()]
    assert lines == [
        "test workspace TRED has no working installation (token_revoked): paused its 4 "
        "subscription(s) and 1 person(s)' reminders until the app is installed there again"
    ]
    tried = len(port.refused)
    assert 1 <= tried <= 4  # those already being sent when the first refusal came back
    await daily.poster.post_due(NINE + timedelta(minutes=5))
    await daily.poster.post_due(NINE + timedelta(days=1, minutes=1))
    assert len(port.refused) == tried  # never tried again
    assert [c.channel_id for c, _reply in port.posts] == ["blue", "blue"]

    port.lost.clear()
    resumed = await resume_workspace(daily.quizbot.deps, "test", RED)
    assert len(resumed.subscription_ids) == 4
    report = await daily.poster.post_due(NINE + timedelta(days=1, minutes=3))
    assert report.posted == 4


async def test_pausing_and_resuming_twice_change_nothing_more(
    daily: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    await subscribe(daily, "red", RED)
    deps = daily.quizbot.deps
    first = await pause_workspace(deps, "test", RED, "uninstalled")
    again = await pause_workspace(deps, "test", RED, "uninstalled")
    assert (len(first.subscription_ids), bool(again)) == (1, False)
    assert bool(await resume_workspace(deps, "test", RED))
    assert not await resume_workspace(deps, "test", RED)
    assert len([r for r in caplog.records if r.name == "bot.usecases.workspaces"]) == 2


async def test_an_org_wide_pause_covers_every_team_of_the_organisation(daily: Runtime) -> None:
    await subscribe(daily, "blue", BLUE)
    await subscribe(daily, "green", WorkspaceRef("TGREEN", "EORG"))
    await subscribe(daily, "red", RED)
    paused = await pause_workspace(daily.quizbot.deps, "test", WorkspaceRef(None, "EORG"), "x")
    assert len(paused.subscription_ids) == 2
    async with daily.quizbot.deps.uow() as uow:
        assert [s.channel.channel_id for s in await uow.subscriptions.active()] == ["red"]


async def test_subscribing_again_in_a_paused_workspace_posts_again(daily: Runtime) -> None:
    await subscribe(daily, "red", RED)
    await pause_workspace(daily.quizbot.deps, "test", RED, "token_revoked")
    assert (await daily.poster.post_due(NINE + timedelta(minutes=1))).posted == 0
    await subscribe(daily, "red", RED)  # someone used the app there: it is installed
    assert (await daily.poster.post_due(NINE + timedelta(minutes=2))).posted == 1


async def test_the_schedule_of_a_paused_workspace_says_so_and_promises_no_post(
    daily: Runtime,
) -> None:
    await subscribe(daily, "red", RED)
    await pause_workspace(daily.quizbot.deps, "test", RED, "uninstalled")
    shown = await say(daily, in_workspace("red", RED), "schedule")
    assert "**Paused:** Quizbot was uninstalled" in shown
    assert "Next post" not in shown
    await resume_workspace(daily.quizbot.deps, "test", RED)
    shown = await say(daily, in_workspace("red", RED), "schedule")
    assert "Paused" not in shown
    assert "Next post" in shown


async def test_a_single_installation_adopts_old_rows_and_resumes_at_start(
    settings: Settings, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Rows from before workspaces were recorded get the workspace of the one installation
    (single-token Slack: what auth.test names), at the start that finds it working; a paused
    workspace resumes then too. Rows of other platforms are left alone."""
    caplog.set_level(logging.WARNING)
    first = await build_runtime(settings, clock=clock)
    try:
        await subscribe(first, "old", None)
        await say(first, in_workspace("old", None, user="U-old"), "1")
        await subscribe(first, "elsewhere", None)
        async with first.quizbot.deps.uow(write=True) as uow:
            await uow.channels.get_or_create("other", "c1", "c1", clock.now())
            await uow.commit()
        await pause_workspace(first.quizbot.deps, "test", None, "token_revoked")
    finally:
        await first.aclose()

    caplog.clear()
    started = await build_runtime(settings, clock=clock, installed={"test": RED})
    try:
        async with started.engine.connect() as connection:
            places = (await connection.execute(select(channels))).all()
            people = (await connection.execute(select(users))).all()
        async with started.quizbot.deps.uow() as uow:
            active = await uow.subscriptions.active()
    finally:
        await started.aclose()
    assert {(c.platform, c.platform_channel_id, c.workspace_id) for c in places} == {
        ("test", "old", "TRED"),
        ("test", "elsewhere", "TRED"),
        ("other", "c1", None),
    }
    assert {(p.platform_user_id, p.workspace_id) for p in people} == {("U-old", "TRED")}
    assert sorted(s.channel.channel_id for s in active) == ["elsewhere", "old"]
    assert [r.getMessage() for r in caplog.records] == [
        "test workspace TRED: recorded it on 2 channel(s) and 1 person(s) from before "
        "workspaces were recorded",
        "test installation works again: resumed 2 paused subscription(s) and 1 person(s)' "
        "reminders",
    ]

    caplog.clear()
    again = await build_runtime(settings, clock=clock, installed={"test": RED})
    await again.aclose()
    assert caplog.records == []  # nothing left to adopt or resume: no line
