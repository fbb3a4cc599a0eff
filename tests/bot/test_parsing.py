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
