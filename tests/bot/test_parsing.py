from __future__ import annotations

import pytest

from bot.domain.commands import Ask, Help, Review, SetLevel, Stats, Top
from bot.domain.content import Level
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
    ],
)
def test_understands(text: str, expected: object) -> None:
    assert p(text) == expected


def test_unknown_word_suggests_closest_topic() -> None:
    result = p("asyncc")
    assert isinstance(result, ParseError)
    assert "`asyncc`" in result.message
    assert "Did you mean `async`?" in result.message
    assert "/fastapi-quiz stats" in result.usage


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
