"""Opt-in reminders: once, four hours before the person's day ends, only when at risk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FixedClock
from bot.composition import Runtime
from tests.bot.daily.conftest import RecordingPort
from tests.bot.groups.test_study_groups import ADA, BOB, CY, practise, say


async def test_reminder_when_the_streak_is_at_risk(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    for who in (ADA, BOB, CY):
        await say(daily, who, "timezone Europe/Berlin")
    await say(daily, ADA, "remind on")
    await say(daily, BOB, "remind on")
    monday_noon = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    for day in range(3):
        clock.set(monday_noon + timedelta(days=day))
        for who in (ADA, BOB, CY):
            await practise(daily, who, 1 + day)
    thursday = datetime(2026, 3, 5, 11, 0, tzinfo=UTC)
    clock.set(thursday)
    await practise(daily, BOB, 4)  # Bob practised today: not at risk

    before = datetime(2026, 3, 5, 18, 59, tzinfo=UTC)  # 19:59 in Berlin
    assert await daily.reminders.send_due(before) == 0
    at_eight = datetime(2026, 3, 5, 19, 0, tzinfo=UTC)  # 20:00 in Berlin
    assert await daily.reminders.send_due(at_eight) == 1
    assert await daily.reminders.send_due(at_eight + timedelta(minutes=5)) == 0
    ((user_id, reply),) = port.notes
    assert user_id == "U-ada"  # Cy never asked; Bob is safe
    assert "Your streak of 3 days ends at midnight" in reply.plain_text
    assert reply.buttons[0].label == "A question now"


async def test_no_reminder_without_a_streak_or_after_turning_off(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    await say(daily, ADA, "remind on")
    evening = datetime(2026, 3, 5, 21, 0, tzinfo=UTC)
    assert await daily.reminders.send_due(evening) == 0  # nothing to lose
    clock.set(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    await practise(daily, ADA)
    await say(daily, ADA, "remind off")
    assert await daily.reminders.send_due(evening) == 0
    assert port.notes == []


async def test_a_one_day_streak_is_reminded_too(
    daily: Runtime, port: RecordingPort, clock: FixedClock
) -> None:
    """One day is a streak worth keeping: practising once yesterday earns tonight's nudge."""
    await say(daily, ADA, "timezone Europe/Berlin")
    await say(daily, ADA, "remind on")
    clock.set(datetime(2026, 3, 4, 11, 0, tzinfo=UTC))
    await practise(daily, ADA)
    assert await daily.reminders.send_due(datetime(2026, 3, 4, 19, 0, tzinfo=UTC)) == 0
    assert await daily.reminders.send_due(datetime(2026, 3, 5, 19, 0, tzinfo=UTC)) == 1
    ((user_id, _reply),) = port.notes
    assert user_id == "U-ada"
