"""Schedule maths with fixed instants: DST both ways, weekdays, far east and far west."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.daily.scheduler import cron_trigger
from bot.domain.errors import QuizError
from bot.domain.schedule import (
    EVERY_DAY,
    WORKDAYS,
    DailySchedule,
    format_weekdays,
    parse_time,
    parse_timezone,
    parse_weekdays,
    timezones_matching,
)
from bot.domain.subscriptions import ChannelAddress, Subscription


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


BERLIN_9 = DailySchedule(time(9, 0), "Europe/Berlin")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 28), utc(2026, 3, 28, 8, 0)),  # last day of CET (UTC+1)
        (date(2026, 3, 29), utc(2026, 3, 29, 7, 0)),  # clocks went forward overnight
        (date(2026, 10, 24), utc(2026, 10, 24, 7, 0)),  # last day of CEST (UTC+2)
        (date(2026, 10, 25), utc(2026, 10, 25, 8, 0)),  # clocks went back overnight
    ],
)
def test_nine_in_berlin_stays_nine_across_dst(day: date, expected: datetime) -> None:
    instant = BERLIN_9.instant_on(day)
    assert instant == expected
    assert instant.astimezone(BERLIN_9.zone).time() == time(9, 0)


def test_time_that_does_not_exist_is_taken_after_the_gap() -> None:
    schedule = DailySchedule(time(2, 30), "Europe/Berlin")
    instant = schedule.instant_on(date(2026, 3, 29))
    assert instant == utc(2026, 3, 29, 1, 30)
    assert instant.astimezone(schedule.zone).strftime("%H:%M %Z") == "03:30 CEST"


def test_time_that_exists_twice_is_taken_at_its_first_occurrence() -> None:
    schedule = DailySchedule(time(2, 30), "Europe/Berlin")
    instant = schedule.instant_on(date(2026, 10, 25))
    assert instant == utc(2026, 10, 25, 0, 30)
    assert instant.astimezone(schedule.zone).strftime("%H:%M %Z") == "02:30 CEST"


def subscription(schedule: DailySchedule) -> Subscription:
    return Subscription(1, 1, ChannelAddress("t", "c", "c"), "p", schedule, None, None, True)


@pytest.mark.parametrize(
    ("post_time", "day"),
    [
        (time(9, 0), date(2026, 3, 29)),
        (time(9, 0), date(2026, 10, 25)),
        (time(2, 30), date(2026, 3, 29)),
        (time(2, 30), date(2026, 10, 25)),
    ],
)
def test_apscheduler_cron_first_fire_matches_our_instant(post_time: time, day: date) -> None:
    schedule = DailySchedule(post_time, "Europe/Berlin")
    trigger = cron_trigger(subscription(schedule))
    day_before = datetime.combine(day - timedelta(days=1), time(12, 0), tzinfo=schedule.zone)
    fire = trigger.get_next_fire_time(None, day_before)
    # PEP 495: times in a gap or fold never compare equal across zones; compare in UTC.
    assert fire.astimezone(UTC) == schedule.instant_on(day)


def test_ambiguous_time_fires_twice_in_apscheduler_but_is_due_once() -> None:
    """The second cron fire lands in the same local date, whose post is already claimed."""
    schedule = DailySchedule(time(2, 30), "Europe/Berlin")
    trigger = cron_trigger(subscription(schedule))
    first = trigger.get_next_fire_time(None, utc(2026, 10, 24, 12)).astimezone(UTC)
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1)).astimezone(UTC)
    assert second - first == timedelta(hours=1)
    assert schedule.due_date(first) == schedule.due_date(second) == date(2026, 10, 25)


def test_weekdays_only_skips_the_weekend() -> None:
    schedule = DailySchedule(time(9, 0), "America/New_York", WORKDAYS)
    friday_after = utc(2026, 3, 6, 15, 0)  # Friday 10:00 in New York
    assert schedule.next_instant(friday_after) == utc(2026, 3, 9, 13, 0)  # Monday 09:00 EDT
    assert schedule.due_date(utc(2026, 3, 7, 14, 30)) is None  # Saturday 09:30
    assert schedule.due_date(utc(2026, 3, 9, 13, 30)) == date(2026, 3, 9)


def test_far_east_posts_on_its_own_date() -> None:
    kiritimati = DailySchedule(time(8, 0), "Pacific/Kiritimati")  # UTC+14
    instant = kiritimati.instant_on(date(2026, 6, 2))
    assert instant == utc(2026, 6, 1, 18, 0)  # still the 1st in UTC
    assert kiritimati.due_date(instant + timedelta(minutes=5)) == date(2026, 6, 2)


def test_far_west_posts_on_its_own_date() -> None:
    pago_pago = DailySchedule(time(20, 0), "Pacific/Pago_Pago")  # UTC-11
    instant = pago_pago.instant_on(date(2026, 6, 1))
    assert instant == utc(2026, 6, 2, 7, 0)  # already the 2nd in UTC
    assert pago_pago.due_date(instant) == date(2026, 6, 1)


def test_due_only_inside_the_grace_window() -> None:
    instant = BERLIN_9.instant_on(date(2026, 5, 4))
    assert BERLIN_9.due_date(instant - timedelta(seconds=1)) is None
    assert BERLIN_9.due_date(instant) == date(2026, 5, 4)
    assert BERLIN_9.due_date(instant + timedelta(hours=2, minutes=59)) == date(2026, 5, 4)
    assert BERLIN_9.due_date(instant + timedelta(hours=3)) is None


def test_never_posts_yesterdays_question_today() -> None:
    late = DailySchedule(time(23, 0), "Europe/Berlin")
    yesterday = late.instant_on(date(2026, 5, 4))
    after_midnight = yesterday + timedelta(hours=1, minutes=30)  # 00:30 on the 5th, in grace
    assert after_midnight.astimezone(late.zone).date() == date(2026, 5, 5)
    assert late.due_date(after_midnight) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9)),
        ("9:05", time(9, 5)),
        ("17:30", time(17, 30)),
        ("9am", time(9)),
        ("12am", time(0)),
        ("5:30pm", time(17, 30)),
        ("12pm", time(12)),
        ("0:00", time(0)),
        ("23:30", time(23, 30)),
        ("23:59", time(23, 59)),
        ("9:59", time(9, 59)),
        ("1pm", time(13)),
        ("1am", time(1)),
        ("1:30am", time(1, 30)),
        ("11:59PM", time(23, 59)),
        ("12:30am", time(0, 30)),
        ("7 pm", time(19)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["25:00", "24:00", "9", "09:60", "9:5", "13pm", "0am", "0:30pm", "noon", ""]
)
def test_bad_time_is_explained(text: str) -> None:
    with pytest.raises(QuizError, match="not a time of day"):
        parse_time(text)


def test_parse_timezone_and_suggestions() -> None:
    assert parse_timezone("america/new_york") == "America/New_York"
    with pytest.raises(QuizError, match="Did you mean `Europe/Berlin`"):
        parse_timezone("Europe/Berln")
    with pytest.raises(QuizError, match="not a timezone I know"):
        parse_timezone("Mars/Olympus")


def test_parse_weekdays() -> None:
    assert parse_weekdays("daily") == EVERY_DAY
    assert parse_weekdays("everyday") == EVERY_DAY
    assert parse_weekdays("Weekends") == {5, 6}  # Saturday and Sunday
    assert parse_weekdays("weekdays") == WORKDAYS
    assert parse_weekdays("mon-fri") == WORKDAYS
    assert parse_weekdays("sat-sun") == {5, 6}
    assert parse_weekdays("mon,wed,fri") == {0, 2, 4}
    assert parse_weekdays("fri-mon") == {4, 5, 6, 0}
    with pytest.raises(QuizError, match="not a set of weekdays"):
        parse_weekdays("funday")


@pytest.mark.parametrize(
    ("days", "shown"),
    [
        (EVERY_DAY, "every day"),
        (WORKDAYS, "Monday to Friday"),
        (frozenset({0, 2, 4}), "Mon, Wed, Fri"),
        (frozenset({6, 5}), "Sat, Sun"),
        (frozenset({3}), "Thu"),
    ],
)
def test_every_set_of_days_is_shown_in_words(days: frozenset[int], shown: str) -> None:
    assert format_weekdays(days) == shown
    assert DailySchedule(time(9, 0), "UTC", days).describe() == f"09:00 UTC, {shown}"


def test_a_custom_set_of_days_as_shown_can_be_typed_back() -> None:
    for days in (frozenset({0, 2, 4}), frozenset({5, 6}), frozenset({1})):
        typed = format_weekdays(days).replace(" ", "")
        assert parse_weekdays(typed) == days


def test_a_single_weekday_past_its_time_is_next_week() -> None:
    """`subscribe 09:00 mon` at 10:00 on a Monday: the first post is the next Monday."""
    mondays = DailySchedule(time(9, 0), "UTC", frozenset({0}))
    monday_ten = utc(2026, 3, 2, 10, 0)
    assert monday_ten.weekday() == 0
    assert mondays.next_instant(monday_ten) == utc(2026, 3, 9, 9, 0)
    assert mondays.next_instant(utc(2026, 3, 2, 8, 59)) == utc(2026, 3, 2, 9, 0)
    assert mondays.next_instant(utc(2026, 3, 2, 9, 0)) == utc(2026, 3, 9, 9, 0)  # strictly after


def test_the_next_post_is_found_on_the_channels_own_date() -> None:
    """20:30 in New York is already tomorrow in UTC; a 21:00 post is still today there."""
    evening = DailySchedule(time(21, 0), "America/New_York")
    half_past_eight = utc(2026, 3, 4, 1, 30)  # 20:30 EST on 3 March
    assert half_past_eight.astimezone(evening.zone).date() == date(2026, 3, 3)
    assert evening.next_instant(half_past_eight) == utc(2026, 3, 4, 2, 0)  # 21:00 on the 3rd
    early = DailySchedule(time(7, 0), "Asia/Tokyo")
    tokyo_six = utc(2026, 3, 2, 21, 0)  # 06:00 on 3 March in Tokyo, still the 2nd in UTC
    assert early.next_instant(tokyo_six) == utc(2026, 3, 2, 22, 0)  # 07:00 on the 3rd


def test_timezones_matching_ranks_what_was_typed_first() -> None:
    am = timezones_matching("Am", 25)
    assert len(am) == 25
    assert all(name.startswith("America/") for name in am)  # not Africa/Bamako
    assert timezones_matching("york", 25) == ["America/New_York"]
    assert timezones_matching("EUROPE/berlin", 25) == ["Europe/Berlin"]
    assert timezones_matching("etc/utc", 25) == timezones_matching("zulu", 25) == ["UTC"]
    assert timezones_matching("", 7) == sorted(timezones_matching("", 7))
    assert len(timezones_matching("", 7)) == 7
    everything = timezones_matching("", 10_000)
    assert all(parse_timezone(name) == name for name in everything)
