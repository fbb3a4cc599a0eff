"""Posting the daily question: exactly once, on time, retried, rate-limited, in cycles."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.composition import Runtime
from bot.daily.poster import DailyPoster, Outcome
from bot.domain.context import Actor, Context, Place
from bot.domain.replies import Tone
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import SubscriptionSettings
from bot.storage.repositories.posts import PostRepository
from bot.storage.schema import posts
from tests.bot.daily.conftest import Crash, RecordingPort

MONDAY_0830 = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)  # 08:30 in Berlin
NINE_BERLIN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def admin(channel: str = "team") -> Context:
    return Context(
        Actor("test", "U-admin", "Admin", is_admin=True), Place("test", channel, channel)
    )


def member(channel: str = "team") -> Context:
    return Context(Actor("test", "U-bob", "Bob"), Place("test", channel, channel))


async def say(runtime: Runtime, ctx: Context, text: str) -> str:
    reply = await runtime.quizbot.handle_text(ctx, "mini-quiz", text)
    return reply.plain_text


async def posted_rows(runtime: Runtime) -> int:
    async with runtime.engine.connect() as connection:
        query = select(func.count()).select_from(posts).where(posts.c.state == "posted")
        return int((await connection.execute(query)).scalar_one())


async def subscribe_many(runtime: Runtime, clock: FixedClock, channels: int) -> None:
    """`channels` channels, c0, c1, ..., each taking the mini pack at 09:00 Berlin time."""
    schedule = DailySchedule(time(9, 0), "Europe/Berlin")
    async with runtime.quizbot.deps.uow(write=True) as uow:
        for n in range(channels):
            channel = await uow.channels.get_or_create("test", f"c{n}", f"c{n}", clock.now())
            await uow.subscriptions.save(
                channel, "mini", SubscriptionSettings(schedule, None, None), clock.now()
            )
        await uow.commit()


@pytest.fixture(autouse=True)
def at_monday_morning(clock: FixedClock) -> None:
    clock.set(MONDAY_0830)


async def test_subscribe_then_post_once_at_the_time(daily: Runtime, port: RecordingPort) -> None:
    text = await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    assert "Daily question subscribed" in text
    assert "**Next post:** Mon 02 Mar 09:00 (Europe/Berlin)" in text
    assert (await daily.poster.post_due(NINE_BERLIN - timedelta(seconds=1))).posted == 0
    assert (await daily.poster.post_due(NINE_BERLIN)).posted == 1
    assert (await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=1))).posted == 0
    ((channel, reply),) = port.posts
    assert channel.channel_id == "team"
    assert reply.title is not None
    assert reply.title.startswith("Question of the day: #")
    assert reply.private is False
    assert [b.label for b in reply.buttons] == ["Reveal answer", "Write my answer"]
    assert "hidden" in (reply.subtitle or "")


async def test_daily_post_reveal_button_answers_privately(
    daily: Runtime, port: RecordingPort
) -> None:
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    await daily.poster.post_due(NINE_BERLIN)
    ((_channel, post),) = port.posts
    button = post.buttons[0]
    answer = await daily.quizbot.handle_action(member(), button.action_id, button.value)
    assert answer.private is True
    assert answer.tone is Tone.ANSWER


async def test_member_cannot_change_the_schedule(daily: Runtime) -> None:
    refused = await say(daily, member(), "subscribe 09:00 Europe/Berlin")
    assert "Only channel admins" in refused
    assert "no daily question" in await say(daily, member(), "schedule")
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    assert "Only channel admins" in await say(daily, member(), "unsubscribe")
    assert "Only channel admins" in await say(daily, member(), "reveal")
    assert "09:00 Europe/Berlin, every day" in await say(daily, member(), "schedule")


async def test_bad_time_or_timezone_changes_nothing(daily: Runtime) -> None:
    assert "not a time of day" in await say(daily, admin(), "subscribe 24:30 UTC")
    assert "Did you mean `Europe/Berlin`" in await say(daily, admin(), "subscribe 9:00 berlin")
    assert "no daily question" in await say(daily, admin(), "schedule")


async def test_restart_catch_up_inside_and_outside_grace(
    daily: Runtime, port: RecordingPort
) -> None:
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    late = await daily.poster.post_due(NINE_BERLIN + timedelta(hours=3, seconds=1))
    assert late.posted == 0
    in_time = await daily.poster.post_due(NINE_BERLIN + timedelta(hours=2, minutes=59))
    assert in_time.posted == 1
    assert len(port.posts) == 1


async def test_crash_after_claim_posts_once_after_the_lease(
    daily: Runtime, port: RecordingPort
) -> None:
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    port.crash_next = 1
    with pytest.raises(Crash):
        await daily.poster.post_due(NINE_BERLIN)
    assert port.posts == []
    during_lease = await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=4))
    assert during_lease.counts[Outcome.SKIPPED] == 1
    after_lease = await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=5))
    assert after_lease.posted == 1
    assert len(port.posts) == 1
    assert await posted_rows(daily) == 1


async def test_failed_send_is_logged_and_retried(
    daily: Runtime, port: RecordingPort, caplog: pytest.LogCaptureFixture
) -> None:
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    port.fail_next = 1
    first = await daily.poster.post_due(NINE_BERLIN)
    assert first.failed == 1
    assert "daily post to test channel team (team) failed" in caplog.text
    assert (await daily.poster.post_due(NINE_BERLIN + timedelta(seconds=30))).posted == 0
    assert (await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=1))).posted == 1
    assert len(port.posts) == 1


async def test_rate_limits_are_honoured(daily: Runtime, port: RecordingPort) -> None:
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    slept: list[float] = []

    async def record_sleep(seconds: float) -> None:
        slept.append(seconds)

    poster = DailyPoster(daily.quizbot.deps, {"test": port}, sleep=record_sleep)
    port.rate_limit_next = 3
    assert (await poster.post_due(NINE_BERLIN)).posted == 1
    assert slept == [0.25, 0.25, 0.25]


async def test_fan_out_is_concurrent_but_bounded(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    deps = daily.quizbot.deps
    await subscribe_many(daily, clock, 60)
    port.delay = 0.01
    poster = DailyPoster(deps, {"test": port}, concurrency=5)
    results = await asyncio.gather(poster.post_due(NINE_BERLIN), poster.post_due(NINE_BERLIN))
    assert sum(r.posted for r in results) == 60
    assert len({c.channel_id for c, _ in port.posts}) == 60
    assert 1 < port.max_in_flight <= 10  # two runs, five at a time each


async def test_channel_level_and_no_repeat_until_used_up(
    daily: Runtime, port: RecordingPort
) -> None:
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin junior")
    for day in range(4):
        await daily.poster.post_due(NINE_BERLIN + timedelta(days=day))
    titles = [reply.title for _c, reply in port.posts]
    assert len(titles) == 4
    assert all("Junior" in (reply.subtitle or "") for _c, reply in port.posts)
    assert titles[0] != titles[1]  # the pack's two junior questions, then a new cycle
    assert sorted(titles[:2]) == sorted(titles[2:])


async def test_weekdays_only_channel_skips_weekend(daily: Runtime, port: RecordingPort) -> None:
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin weekdays")
    for day in range(7):
        await daily.poster.post_due(NINE_BERLIN + timedelta(days=day))
    assert len(port.posts) == 5


async def test_answer_revealed_in_thread_at_the_set_time(
    daily: Runtime, port: RecordingPort
) -> None:
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin reveal 17:00")
    await daily.poster.post_due(NINE_BERLIN)
    five_pm = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
    assert await daily.poster.reveal_due(five_pm - timedelta(minutes=1)) == 0
    assert await daily.poster.reveal_due(five_pm) == 1
    assert await daily.poster.reveal_due(five_pm + timedelta(minutes=1)) == 0
    ((_channel, thread_id, reply),) = port.thread_posts
    assert thread_id == "t1"
    assert reply.in_thread is True
    assert reply.private is False
    assert "Key points" in reply.plain_text


async def test_admin_reveals_publicly_once(daily: Runtime, port: RecordingPort) -> None:
    assert "No daily question has been posted" in await say(daily, admin(), "reveal")
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    await daily.poster.post_due(NINE_BERLIN)
    assert "Posted the answer" in await say(daily, admin(), "reveal")
    assert "already in its thread" in await say(daily, admin(), "reveal")
    assert len(port.thread_posts) == 1


async def test_unsubscribe_stops_posts(daily: Runtime, port: RecordingPort) -> None:
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    assert "Stopped the daily question" in await say(daily, admin(), "unsubscribe")
    assert "no daily question to stop" in await say(daily, admin(), "unsubscribe")
    assert (await daily.poster.post_due(NINE_BERLIN)).posted == 0


async def test_resubscribe_keeps_timezone(daily: Runtime) -> None:
    await say(daily, admin(), "subscribe 09:00 Asia/Tokyo")
    text = await say(daily, admin(), "subscribe 10:30 mon-fri mid")
    assert "10:30 Asia/Tokyo, Monday to Friday" in text
    assert "**Level:** mid" in text


async def test_nine_berlin_posts_at_nine_local_on_both_sides_of_dst(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    clock.set(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    saturday_cet = datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    sunday_cest = datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert (await daily.poster.post_due(saturday_cet - timedelta(minutes=1))).posted == 0
    assert (await daily.poster.post_due(saturday_cet)).posted == 1
    assert (await daily.poster.post_due(sunday_cest - timedelta(minutes=1))).posted == 0
    assert (await daily.poster.post_due(sunday_cest)).posted == 1
    assert (await daily.poster.post_due(sunday_cest + timedelta(hours=1))).posted == 0
    assert len(port.posts) == 2


async def test_sweep_does_not_reclaim_posts_already_sent(
    daily: Runtime, port: RecordingPort, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every minute for the whole grace window the sweep sees the day's posts as due."""
    await say(daily, admin(), "subscribe 09:00 Europe/Berlin")
    await say(daily, admin("other"), "subscribe 09:00 Europe/Berlin")
    assert (await daily.poster.post_due(NINE_BERLIN)).posted == 2
    claims: list[object] = []
    real_claim = PostRepository.claim_many

    async def counting_claim(self: PostRepository, *args: object, **kwargs: object) -> object:
        claims.append(args)
        return await real_claim(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PostRepository, "claim_many", counting_claim)
    later = await daily.poster.post_due(NINE_BERLIN + timedelta(minutes=1))
    assert (later.posted, later.counts[Outcome.SKIPPED]) == (0, 2)
    assert claims == []


async def test_claims_and_records_go_in_batches(
    daily: Runtime, port: RecordingPort, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A transaction per chunk of claims and per batch of sent posts, not two per channel."""
    await subscribe_many(daily, clock, 250)
    claimed: list[int] = []
    recorded: list[int] = []
    claim_many, mark_posted = PostRepository.claim_many, PostRepository.mark_posted

    async def counting_claims(self: PostRepository, wishes, lease):  # type: ignore[no-untyped-def]
        claimed.append(len(wishes))
        return await claim_many(self, wishes, lease)

    async def counting_records(self: PostRepository, sent):  # type: ignore[no-untyped-def]
        recorded.append(len(sent))
        await mark_posted(self, sent)

    monkeypatch.setattr(PostRepository, "claim_many", counting_claims)
    monkeypatch.setattr(PostRepository, "mark_posted", counting_records)
    report = await daily.poster.post_due(NINE_BERLIN)
    assert report.posted == 250
    assert await posted_rows(daily) == 250
    assert sum(claimed) == 250
    assert len(claimed) <= 3
    assert sum(recorded) == 250
    assert len(recorded) < 50
