from __future__ import annotations

import re
from dataclasses import replace
from datetime import time

import pytest

from bot.domain.commands import (
    Ask,
    Help,
    OpenSubscribeForm,
    Period,
    Remind,
    Review,
    SetLevel,
    SetTimezone,
    Stats,
    Subscribe,
    Top,
)
from bot.domain.content import Level
from bot.domain.schedule import EVERY_DAY, TIME_FORMS, WORKDAYS
from bot.parsing import ParseError, parse

TOPICS = ("basics", "routing", "async", "dependency-injection", "databases")


def p(text: str) -> object:
    return parse(text, command="fastapi-quiz", topics=TOPICS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Ask()),
        ("   ", Ask()),
        ("junior", Ask(level=Level.JUNIOR)),
        ("SENIOR", Ask(level=Level.SENIOR)),
        ("async", Ask(topic="async")),
        ("mid routing", Ask(level=Level.MID, topic="routing")),
        ("routing mid", Ask(level=Level.MID, topic="routing")),
        ("12", Ask(number=12)),
        ("#12", Ask(number=12)),
        ("q7", Ask(number=7)),
        ("-1", Ask(number=-1)),
        ("0", Ask(number=0)),
        ("007", Ask(number=7)),
        ("12345678", Ask(number=12345678)),
        ("dep", Ask(topic="dependency-injection")),
        ("review", Review()),
        ("stats", Stats()),
        ("top", Top()),
        ("help", Help()),
        ("level mid", SetLevel(level=Level.MID)),
        ("level any", SetLevel(level=None)),
        ("level", SetLevel(level=None, show_only=True)),
        ("level all", SetLevel(level=None)),
        ("level None", SetLevel(level=None)),
        ("level JUNIOR", SetLevel(level=Level.JUNIOR)),
        ("top week", Top(Period.WEEK)),
        ("top month", Top(Period.MONTH)),
        ("top all", Top(Period.ALL)),
        ("timezone", SetTimezone(None, show_only=True)),
        ("timezone clear", SetTimezone(None)),
        ("timezone Asia/Tokyo", SetTimezone("Asia/Tokyo")),
    ],
)
def test_understands(text: str, expected: object) -> None:
    assert p(text) == expected


def test_unknown_word_suggests_closest_topic() -> None:
    result = p("asyncc")
    assert isinstance(result, ParseError)
    assert "`asyncc`" in result.message
    assert "Did you mean `async`?" in result.message
    assert result.usage == (
        "`/fastapi-quiz [junior|mid|senior] [topic]` or `/fastapi-quiz 12`; "
        "`/fastapi-quiz help` lists every command"
    )


def test_misspelt_subcommand_suggests_it() -> None:
    result = p("stast")
    assert isinstance(result, ParseError)
    assert "Did you mean `stats`?" in result.message


def test_nonsense_gets_usage_without_suggestion() -> None:
    result = p("xyzzy")
    assert isinstance(result, ParseError)
    assert "Did you mean" not in result.message
    assert result.usage


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("junior senior", "one level"),
        ("async routing", "one topic"),
        ("3 4", "one question number"),
        ("12 junior", "leave out the level"),
        ("stats please", "takes no extra words"),
        ("level expert", "not a level"),
        ("level mid senior", "one level"),
        ("top foo", "Choose a period"),
        ("top week extra", "Choose a period"),
        ("top week month", "Choose a period"),
        ("timezone Europe/Berlin UTC", "one timezone"),
        ("timezone a b", "one timezone"),
        ("subscribe 09:00 reveal", "`reveal` needs a time"),
        ("subscribe 09:00 team", "`team` needs how many members"),
        ("subscribe Europe/Berlin weekends", "Say when to post"),
    ],
)
def test_refuses_with_reason(text: str, fragment: str) -> None:
    result = p(text)
    assert isinstance(result, ParseError)
    assert fragment in result.message


def test_short_prefix_is_not_taken_as_topic() -> None:
    assert isinstance(p("da"), ParseError)


def test_huge_number_is_kept_short_enough_to_quote() -> None:
    """Python refuses to convert more than 4300 digits; the parser never tries."""
    assert p("9" * 5000) == Ask(number=int("9" * 21))
    assert p("-" + "1" * 5000) == Ask(number=-int("1" * 21))
    assert p("#" + "0" * 5000 + "5") == Ask(number=5)


@pytest.mark.parametrize("size", ["9" * 5000, "\u00b2", "0", "101", "-3", "3.5"])
def test_team_size_that_is_no_small_number_is_refused(size: str) -> None:
    result = p(f"subscribe 09:00 team {size}")
    assert isinstance(result, ParseError)
    assert "`team` needs how many members" in result.message


def refusal(text: str) -> ParseError:
    result = p(text)
    assert isinstance(result, ParseError), result
    return result


@pytest.mark.parametrize(
    ("text", "usage"),
    [
        ("xyzzy", "`/fastapi-quiz [junior|mid|senior] [topic]`"),
        ("junior senior", "`/fastapi-quiz [junior|mid|senior] [topic]`"),
        ("level expert", "`/fastapi-quiz level junior|mid|senior|any`"),
        ("top forever", "`/fastapi-quiz top [week|month|all]`"),
        ("timezone Mars/Olympus", "`/fastapi-quiz timezone Area/City`"),
        ("remind maybe", "`/fastapi-quiz remind on|off`"),
        ("subscribe 25:00", "`/fastapi-quiz subscribe HH:MM [Area/City]"),
        ("stats please", "`/fastapi-quiz stats`"),
        ("unsubscribe now", "`/fastapi-quiz unsubscribe`"),
    ],
)
def test_a_mistake_comes_with_its_one_usage_line(text: str, usage: str) -> None:
    result = refusal(text)
    assert result.usage.startswith(usage)
    assert "\n" not in result.usage


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "level " + "x" * 10_000,
        "timezone " + "x" * 10_000,
        "timezone " + "Europe/" + "x" * 10_000,
        "top " + "x" * 10_000,
        "stats " + "x " * 5_000,
        "subscribe 09:00 " + "x" * 10_000,
        "subscribe " + "9" * 10_000,
        "subscribe 09:00 reveal " + "1" * 10_000,
        "subscribe 09:00 " + "mon" + "x" * 10_000,
        "subscribe 09:00 team 3 team " + "x" * 10_000,
    ],
)
def test_a_long_line_is_quoted_in_at_most_60_characters(text: str) -> None:
    result = refusal(text)
    quotes = re.findall(r"`([^`]*)`", result.message)
    assert quotes
    assert max(len(q) for q in quotes) <= 60
    assert len(result.message) < 400


def test_what_was_typed_is_quoted_as_typed() -> None:
    assert "`Mars/Olympus` is not a timezone I know." in refusal("timezone Mars/Olympus").message
    assert "`Expert` is not a level." in refusal("level Expert").message
    assert "I don't know `Xyzzy`" in refusal("Xyzzy").message


def test_words_are_matched_whatever_their_case() -> None:
    assert p("timezone europe/BERLIN") == SetTimezone("Europe/Berlin")
    assert p("Remind ON") == Remind(True)
    assert p("TOP Week") == Top(Period.WEEK)


@pytest.mark.parametrize("name", ["Etc/UTC", "etc/uct", "Zulu", "UTC", "Universal"])
def test_every_name_of_utc_is_utc(name: str) -> None:
    assert p(f"timezone {name}") == SetTimezone("UTC")
    result = p(f"subscribe 09:00 {name}")
    assert isinstance(result, Subscribe)
    assert result.timezone == "UTC"


def test_remind_alone_asks_for_the_setting() -> None:
    assert p("remind") == Remind(None)
    assert p("remind off") == Remind(False)


AMBIGUOUS = ("basics", "dependency-injection", "deployment", "databases")


def test_an_ambiguous_prefix_names_its_candidates() -> None:
    result = parse("dep", command="fastapi-quiz", topics=AMBIGUOUS)
    assert isinstance(result, ParseError)
    assert result.message == (
        "`dep` could be `dependency-injection` or `deployment`: type a little more of it."
    )
    three = parse("d", command="fastapi-quiz", topics=AMBIGUOUS)
    assert isinstance(three, ParseError)  # one letter is no abbreviation: no list of three
    assert parse("depl", command="fastapi-quiz", topics=AMBIGUOUS) == Ask(topic="deployment")
    listed = parse("de", command="fastapi-quiz", topics=(*AMBIGUOUS, "design"))
    assert isinstance(listed, ParseError)
    assert "`de` could be `dependency-injection`, `deployment` or `design`" in listed.message


@pytest.mark.parametrize("text", ["\u00b2", "\u0663", "\uff11\uff12", "#\u0663", "q\u00b9"])
def test_only_ascii_digits_are_numbers(text: str) -> None:
    result = refusal(text)
    assert "type question numbers with the digits 0 to 9" in result.message


@pytest.mark.parametrize("text", ["71", "0", "-1", "999999999999", "#0", "q-1"])
def test_every_typed_number_is_a_question_number(text: str) -> None:
    result = p(text)
    assert isinstance(result, Ask)
    assert result.number is not None


def test_subscribe_in_any_order() -> None:
    assert p("subscribe Europe/Berlin junior 9am weekdays reveal 5pm team 3") == Subscribe(
        time(9, 0), "Europe/Berlin", frozenset(range(5)), Level.JUNIOR, time(17, 0), 3
    )


SUBSCRIBED = Subscribe(time(9, 0), None, None, None, None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subscribe 09:00", SUBSCRIBED),
        ("subscribe 9am any", SUBSCRIBED),
        ("subscribe 09:00 mid", replace(SUBSCRIBED, level=Level.MID)),
        ("subscribe 09:00 gmt", replace(SUBSCRIBED, timezone="GMT")),
        ("subscribe 09:00 utc", replace(SUBSCRIBED, timezone="UTC")),
        ("subscribe 09:00 Japan", replace(SUBSCRIBED, timezone="Japan")),
        ("subscribe 09:00 daily", replace(SUBSCRIBED, weekdays=EVERY_DAY)),
        ("subscribe 09:00 Everyday", replace(SUBSCRIBED, weekdays=EVERY_DAY)),
        ("subscribe 09:00 weekdays", replace(SUBSCRIBED, weekdays=WORKDAYS)),
        ("subscribe 09:00 weekends", replace(SUBSCRIBED, weekdays=frozenset({5, 6}))),
        ("subscribe 09:00 Mon,Wed,Fri", replace(SUBSCRIBED, weekdays=frozenset({0, 2, 4}))),
        ("subscribe 09:00 sat-sun", replace(SUBSCRIBED, weekdays=frozenset({5, 6}))),
        ("subscribe 09:00 team 1", replace(SUBSCRIBED, team_threshold=1)),
        ("subscribe 09:00 team 3", replace(SUBSCRIBED, team_threshold=3)),
        ("subscribe 09:00 team 100", replace(SUBSCRIBED, team_threshold=100)),
        ("subscribe 23:30 reveal 23:45", Subscribe(time(23, 30), reveal_time=time(23, 45))),
        ("subscribe 1:30am", Subscribe(time(1, 30))),
        ("subscribe 1pm", Subscribe(time(13, 0))),
    ],
)
def test_each_subscribe_setting_is_read(text: str, expected: Subscribe) -> None:
    assert p(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("subscribe 09:00 junior senior", "Give one level: you gave `junior` and `senior`."),
        ("subscribe 09:00 junior any", "Give one level: you gave `junior` and `any`."),
        (
            "subscribe 09:00 weekdays daily",
            "Give one set of days: you gave `weekdays` and `daily`.",
        ),
        (
            "subscribe 09:00 UTC Europe/Berlin",
            "Give one timezone: you gave `UTC` and `Europe/Berlin`.",
        ),
        ("subscribe 09:00 10:00", "Give one posting time: you gave `09:00` and `10:00`."),
        (
            "subscribe 09:00 reveal 17:00 reveal 18:00",
            "Give one reveal time: you gave `reveal 17:00` and `reveal 18:00`.",
        ),
        ("subscribe 09:00 team 3 team 4", "Give one team size: you gave `team 3` and `team 4`."),
        ("subscribe UTC junior", "Say when to post"),
    ],
)
def test_subscribe_takes_each_setting_once(text: str, message: str) -> None:
    assert refusal(text).message.startswith(message)


def test_the_time_error_names_forms_that_are_all_accepted() -> None:
    message = refusal("subscribe 25:00").message
    assert message == f"`25:00` is not a time of day. {TIME_FORMS}"
    assert "24-hour" in message
    assert "am/pm" in message
    examples = re.findall(r"`([^`]+)`", TIME_FORMS)
    assert {"HH:MM", "09:00", "17:30", "9am", "9:30pm"} <= set(examples)
    for example in examples:
        if example != "HH:MM":
            assert isinstance(p(f"subscribe {example}"), Subscribe), example
            assert isinstance(p(f"subscribe 00:00 reveal {example}"), Subscribe), example


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("subscribe 09:00 reveal 08:00", "`reveal 08:00` is before the 09:00 question"),
        ("subscribe 09:00 reveal 09:00", "`reveal 09:00` is the time of the question itself"),
        ("subscribe 9pm reveal 9am", "`reveal 09:00` is before the 21:00 question"),
        ("subscribe 23:59 reveal 23:00", "has no later time that day"),
    ],
)
def test_a_reveal_at_or_before_the_post_is_refused(text: str, fragment: str) -> None:
    message = refusal(text).message
    assert fragment in message
    assert "question and answer would go out together" in message


def test_a_reveal_after_the_post_is_taken_and_the_suggestion_works() -> None:
    assert isinstance(p("subscribe 09:00 reveal 09:01"), Subscribe)
    suggestion = re.search(
        r"like `(reveal [0-9:]+)`", refusal("subscribe 18:00 reveal 8am").message
    )
    assert suggestion is not None
    assert isinstance(p(f"subscribe 18:00 {suggestion.group(1)}"), Subscribe)


def test_subscribe_alone_opens_the_settings_form() -> None:
    assert parse("subscribe", command="quiz", topics=[]) == OpenSubscribeForm()
