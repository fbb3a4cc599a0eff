"""The text form of the pack command: `/fastapi-quiz [level] [topic] [number] | stats | ...`.

Pure: text in, a typed command or a friendly error out. Every adapter and the console share it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from bot.domain.commands import (
    Ask,
    Export,
    ForgetMe,
    Help,
    Period,
    Remind,
    RevealPublicly,
    Review,
    SetLevel,
    SetTimezone,
    ShowSchedule,
    Stats,
    Subscribe,
    TextCommand,
    Top,
    Unsubscribe,
)
from bot.domain.content import Level
from bot.domain.errors import QuizError
from bot.domain.schedule import (
    looks_like_weekdays,
    parse_time,
    parse_timezone,
    parse_weekdays,
    suggest_timezone,
)

SUBCOMMANDS = (
    "review",
    "stats",
    "top",
    "level",
    "help",
    "subscribe",
    "unsubscribe",
    "schedule",
    "reveal",
    "timezone",
    "export",
    "forget-me",
    "remind",
)
_LEVEL_NAMES = tuple(level.value for level in Level)
_NUMBER = re.compile(r"^(?:#|q|no\.?)?(-?\d+)$")
# No question number has this many digits; a longer one keeps only these, enough for the
# "there is no question …" reply to quote it, and Python never converts thousands of digits.
_KEPT_DIGITS = 21
_TEAM_SIZE = re.compile(r"^[0-9]{1,3}$")


@dataclass(frozen=True)
class ParseError:
    """Why the text was not understood, and how to say it instead."""

    message: str
    usage: str


def usage(command: str) -> str:
    return (
        f"`/{command}` a question at your level, or any level\n"
        f"`/{command} junior|mid|senior` a question at that level\n"
        f"`/{command} <topic>` a question on a topic, e.g. `/{command} async`\n"
        f"`/{command} 12` question number 12\n"
        f"`/{command} review` your due spaced-repetition reviews\n"
        f"`/{command} stats` your progress\n"
        f"`/{command} top [week|month|all]` this channel's leaderboard\n"
        f"`/{command} timezone Europe/Berlin` your timezone, for streaks\n"
        f"`/{command} remind on|off` a private nudge when your streak is at risk\n"
        f"`/{command} export` all your data as JSON; `/{command} forget-me` delete it\n"
        f"`/{command} level junior|mid|senior|any` set your usual level\n"
        f"`/{command} help` this list\n"
        "Channel admins:\n"
        f"`/{command} {SUBSCRIBE_SYNTAX}` a daily question here\n"
        f"`/{command} schedule` show it, `/{command} unsubscribe` stop it\n"
        f"`/{command} reveal` post the latest daily answer in its thread"
    )


SUBSCRIBE_SYNTAX = (
    "subscribe HH:MM [Area/City] [daily|weekdays|mon-fri] [level] [reveal HH:MM] [team N]"
)


def parse(text: str, *, command: str, topics: Sequence[str]) -> TextCommand | ParseError:
    words = text.strip().lower().split()
    if not words:
        return Ask()
    head, rest = words[0], words[1:]
    if head in SUBCOMMANDS:
        return _parse_subcommand(head, rest, command)
    return _parse_ask(words, command, topics)


def _parse_subcommand(head: str, rest: list[str], command: str) -> TextCommand | ParseError:
    if head == "level":
        return _parse_level(rest, command)
    if head == "top":
        return _parse_top(rest, command)
    if head == "timezone":
        return _parse_timezone(rest, command)
    if head == "remind":
        if rest in (["on"], ["off"]):
            return Remind(rest[0] == "on")
        return ParseError("Say `remind on` or `remind off`.", usage(command))
    if head == "subscribe":
        try:
            return _parse_subscribe(rest)
        except QuizError as exc:
            return ParseError(exc.message, f"`/{command} {SUBSCRIBE_SYNTAX}`")
    if rest:
        return ParseError(
            f"`{head}` takes no extra words (got `{' '.join(rest)}`).", usage(command)
        )
    simple: dict[str, TextCommand] = {
        "review": Review(),
        "stats": Stats(),
        "help": Help(),
        "unsubscribe": Unsubscribe(),
        "schedule": ShowSchedule(),
        "reveal": RevealPublicly(),
        "export": Export(),
        "forget-me": ForgetMe(),
    }
    return simple[head]


def _parse_top(rest: list[str], command: str) -> TextCommand | ParseError:
    if not rest:
        return Top()
    if len(rest) == 1 and rest[0] in tuple(Period):
        return Top(Period(rest[0]))
    return ParseError("Choose a period: `top week`, `top month` or `top all`.", usage(command))


def _parse_timezone(rest: list[str], command: str) -> TextCommand | ParseError:
    if not rest:
        return SetTimezone(None, show_only=True)
    if len(rest) > 1:
        return ParseError("Give one timezone, like `timezone Europe/Berlin`.", usage(command))
    if rest == ["clear"]:
        return SetTimezone(None)
    try:
        return SetTimezone(parse_timezone(rest[0]))
    except QuizError as exc:
        return ParseError(exc.message, usage(command))


def _parse_subscribe(words: list[str]) -> Subscribe:
    """`subscribe 09:00 Europe/Berlin mon-fri junior reveal 17:00`; any order after the time."""
    if not words:
        raise QuizError("Say when to post, for example `subscribe 09:00 Europe/Berlin`.")
    post_time = parse_time(words[0])
    timezone: str | None = None
    weekdays: frozenset[int] | None = None
    level: Level | None = None
    reveal: time | None = None
    team: int | None = None
    rest = iter(words[1:])
    for word in rest:
        if word == "team":
            size = next(rest, "")
            if not _TEAM_SIZE.match(size) or not 1 <= int(size) <= 100:
                raise QuizError("`team` needs how many members make a team day, like `team 3`.")
            team = int(size)
        elif word == "reveal":
            following = next(rest, None)
            if following is None:
                raise QuizError("`reveal` needs a time, like `reveal 17:00`.")
            reveal = parse_time(following)
        elif word in _LEVEL_NAMES:
            level = Level(word)
        elif word == "any":
            level = None
        elif looks_like_weekdays(word):
            weekdays = parse_weekdays(word)
        elif "/" in word or word in ("utc", "gmt"):
            timezone = parse_timezone(word)
        else:
            raise QuizError(f"I don't understand `{word}` here.{suggest_timezone(word)}")
    return Subscribe(post_time, timezone, weekdays, level, reveal, team)


def _parse_level(rest: list[str], command: str) -> TextCommand | ParseError:
    if not rest:
        return SetLevel(level=None, show_only=True)
    if len(rest) > 1:
        return ParseError("Give one level: junior, mid, senior or any.", usage(command))
    if rest[0] in ("any", "all", "none"):
        return SetLevel(level=None)
    if rest[0] in _LEVEL_NAMES:
        return SetLevel(level=Level(rest[0]))
    return ParseError(
        f"`{rest[0]}` is not a level. Choose junior, mid, senior or any.", usage(command)
    )


def _parse_ask(words: list[str], command: str, topics: Sequence[str]) -> TextCommand | ParseError:
    level: Level | None = None
    topic: str | None = None
    number: int | None = None
    for word in words:
        if word in _LEVEL_NAMES:
            if level is not None:
                return ParseError("Give one level at most.", usage(command))
            level = Level(word)
        elif match := _NUMBER.match(word):
            if number is not None:
                return ParseError("Give one question number at most.", usage(command))
            number = _question_number(match.group(1))
        else:
            found = _match_topic(word, topics)
            if isinstance(found, ParseError):
                return ParseError(found.message, usage(command))
            if topic is not None:
                return ParseError("Give one topic at most.", usage(command))
            topic = found
    if number is not None and (level or topic):
        return ParseError(
            "A question number picks one question by itself: leave out the level and topic.",
            usage(command),
        )
    return Ask(level=level, topic=topic, number=number)


def _question_number(text: str) -> int:
    """Any typed number, negative or huge, so that the answer can say there is no such question."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    return int(sign + (digits.lstrip("0") or "0")[:_KEPT_DIGITS])


def _match_topic(word: str, topics: Sequence[str]) -> str | ParseError:
    """Exact topic, else the one topic it abbreviates, else a suggestion of the closest."""
    if word in topics:
        return word
    prefixed = [t for t in topics if t.startswith(word)]
    if len(prefixed) == 1 and len(word) >= 3:
        return prefixed[0]
    candidates = list(topics) + list(SUBCOMMANDS) + list(_LEVEL_NAMES)
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    return ParseError(f"I don't know `{word}`: it is not a level, topic or subcommand.{hint}", "")
