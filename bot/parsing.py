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
    AnswerInWriting,
    Ask,
    Export,
    ForgetMe,
    Help,
    OpenSubscribeForm,
    Period,
    Remind,
    RevealPublicly,
    Review,
    SetLevel,
    SetTimezone,
    ShowSchedule,
    StartMock,
    Stats,
    Subscribe,
    TextCommand,
    Top,
    Unsubscribe,
)
from bot.domain.content import Level
from bot.domain.coverage import WRITTEN_ANSWER_LIMIT
from bot.domain.errors import QuizError
from bot.domain.mock import DEFAULT_MOCK_LENGTH, MAX_MOCK_LENGTH
from bot.domain.quoting import quoted
from bot.domain.schedule import (
    looks_like_weekdays,
    parse_time,
    parse_timezone,
    parse_weekdays,
    suggest_timezone,
)
from bot.domain.subscriptions import MAX_TEAM_SIZE, reveal_time_problem

SUBCOMMANDS = (
    "answer",
    "mock",
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
# Digits 0-9 only: other digit characters (`²`, `٣`) are not numbers people mean to type here.
_NUMBER = re.compile(r"^(?:#|q|no\.?)?(-?[0-9]+)$")
# No question number has this many digits; a longer one keeps only these, enough for the
# "there is no question …" reply to quote it, and Python never converts thousands of digits.
_KEPT_DIGITS = 21
_TEAM_SIZE = re.compile(r"^[0-9]{1,3}$")
# `answer`, the question number, then everything else as written (line breaks included).
_ANSWER = re.compile(r"\s*\S+\s+(\S+)(.*)", re.DOTALL)


@dataclass(frozen=True)
class ParseError:
    """Why the text was not understood, and the one usage line that shows how to say it."""

    message: str
    usage: str


def usage(command: str) -> str:
    """Everything, for `help`; a mistake shows only its own line (`usage_line`)."""
    return (
        f"`/{command}` a question at your level, or any level\n"
        f"`/{command} junior|mid|senior` a question at that level\n"
        f"`/{command} <topic>` a question on a topic, e.g. `/{command} async`\n"
        f"`/{command} 12` question number 12\n"
        f"`/{command} answer 12 <your answer>` see which key points your answer covers\n"
        f"`/{command} mock [level] [N]` a mock interview: N questions in a row "
        f"(default {DEFAULT_MOCK_LENGTH}), answered in writing\n"
        f"`/{command} review` your due spaced-repetition reviews\n"
        f"`/{command} stats` your progress\n"
        f"`/{command} top [week|month|all]` this channel's leaderboard\n"
        f"`/{command} timezone Europe/Berlin` your timezone, for streaks\n"
        f"`/{command} remind on|off` a private nudge when your streak is at risk\n"
        f"`/{command} export` all your data as JSON; `/{command} forget-me` delete it\n"
        f"`/{command} level junior|mid|senior|any` set your usual level\n"
        f"`/{command} help` this list\n"
        "Channel admins:\n"
        f"`/{command} {SUBSCRIBE_SYNTAX}` a daily question here "
        f"(`/{command} subscribe` alone: the same as a form)\n"
        f"`/{command} schedule` show it, `/{command} unsubscribe` stop it\n"
        f"`/{command} reveal` post the latest daily answer in its thread"
    )


def usage_line(command: str, topic: str) -> str:
    """The one line of usage that a mistake in `topic` (a subcommand, or "ask") needs."""
    lines = {
        "ask": f"`/{command} [junior|mid|senior] [topic]` or `/{command} 12`; "
        f"`/{command} help` lists every command",
        "level": f"`/{command} level junior|mid|senior|any` (alone: show it)",
        "top": f"`/{command} top [week|month|all]`",
        "timezone": f"`/{command} timezone Area/City`, or `clear` (alone: show it)",
        "remind": f"`/{command} remind on|off` (alone: show it)",
        "subscribe": f"`/{command} {SUBSCRIBE_SYNTAX}`",
        "answer": f"`/{command} answer 12 <your answer>` (in a mock interview: "
        f"`/{command} answer <your answer>`)",
        "mock": f"`/{command} mock [junior|mid|senior] [1-{MAX_MOCK_LENGTH}]`",
    }
    return lines.get(topic, f"`/{command} {topic}`")


SUBSCRIBE_SYNTAX = (
    "subscribe HH:MM [Area/City] [daily|weekdays|mon-fri] [level] [reveal HH:MM] [team N]"
)


def parse(text: str, *, command: str, topics: Sequence[str]) -> TextCommand | ParseError:
    """Words are matched without regard to case but quoted back as typed."""
    words = text.split()
    if not words:
        return Ask()
    head = words[0].lower()
    if head == "answer":
        return _parse_answer(text, command)
    if head == "mock":
        return _parse_mock(words[1:], command)
    if head in SUBCOMMANDS:
        return _parse_subcommand(head, words[1:], command)
    return _parse_ask(words, command, topics)


def _parse_subcommand(head: str, rest: list[str], command: str) -> TextCommand | ParseError:
    if head == "level":
        return _parse_level(rest, command)
    if head == "top":
        return _parse_top(rest, command)
    if head == "timezone":
        return _parse_timezone(rest, command)
    if head == "remind":
        return _parse_remind(rest, command)
    if head == "subscribe" and not rest:
        return OpenSubscribeForm()
    if head == "subscribe":
        try:
            return _parse_subscribe(rest)
        except QuizError as exc:
            return ParseError(exc.message, usage_line(command, "subscribe"))
    if rest:
        return ParseError(
            f"`{head}` takes no extra words (got {quoted(' '.join(rest))}).",
            usage_line(command, head),
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


def _parse_answer(text: str, command: str) -> TextCommand | ParseError:
    """The answer is kept as typed, line breaks and all; only the ends are trimmed."""
    parts = _ANSWER.match(text)
    number_word, written = (parts.group(1), parts.group(2).strip()) if parts else ("", "")
    match = _NUMBER.match(number_word.lower().rstrip(":."))  # `answer 12: …` too
    if match is None:
        # No number: the answer to the current mock interview question, if there is one.
        written = f"{number_word}{parts.group(2) if parts else ''}".strip()
        if not written:
            return ParseError(
                "Say which question you are answering, then your answer.",
                usage_line(command, "answer"),
            )
        if len(written) > WRITTEN_ANSWER_LIMIT:
            return _too_long(written, command)
        return AnswerInWriting(None, written, written)
    if not written:
        return ParseError(
            "Write your answer after the question number.", usage_line(command, "answer")
        )
    if len(written) > WRITTEN_ANSWER_LIMIT:
        return _too_long(written, command)
    whole = f"{parts.group(1)}{parts.group(2)}".strip() if parts else written
    return AnswerInWriting(_question_number(match.group(1)), written, whole)


def _too_long(written: str, command: str) -> ParseError:
    return ParseError(
        f"That answer is {len(written):,} characters; keep it to "
        f"{WRITTEN_ANSWER_LIMIT:,}, as you would in an interview.",
        usage_line(command, "answer"),
    )


def _parse_mock(rest: list[str], command: str) -> TextCommand | ParseError:
    """`mock`, `mock senior`, `mock 3`, `mock senior 3`, in either order, each at most once."""
    level: Level | None = None
    count: int | None = None
    for word in rest:
        lowered = word.lower()
        if lowered in _LEVEL_NAMES and level is None:
            level = Level(lowered)
        elif re.fullmatch(r"[0-9]{1,3}", lowered) and count is None:
            count = int(lowered)
            if not 1 <= count <= MAX_MOCK_LENGTH:
                return ParseError(
                    f"A mock interview has 1 to {MAX_MOCK_LENGTH} questions (got {count}).",
                    usage_line(command, "mock"),
                )
        else:
            return ParseError(
                f"`mock` takes a level and a number of questions (got {quoted(word)}).",
                usage_line(command, "mock"),
            )
    return StartMock(level, DEFAULT_MOCK_LENGTH if count is None else count, resume=not rest)


def _parse_top(rest: list[str], command: str) -> TextCommand | ParseError:
    if not rest:
        return Top()
    if len(rest) == 1 and rest[0].lower() in tuple(Period):
        return Top(Period(rest[0].lower()))
    return ParseError(
        "Choose a period: `top week`, `top month` or `top all`.", usage_line(command, "top")
    )


def _parse_timezone(rest: list[str], command: str) -> TextCommand | ParseError:
    if not rest:
        return SetTimezone(None, show_only=True)
    if len(rest) > 1:
        return ParseError(
            "Give one timezone, like `timezone Europe/Berlin`.", usage_line(command, "timezone")
        )
    if rest[0].lower() == "clear":
        return SetTimezone(None)
    try:
        return SetTimezone(parse_timezone(rest[0]))
    except QuizError as exc:
        return ParseError(exc.message, usage_line(command, "timezone"))


def _parse_remind(rest: list[str], command: str) -> TextCommand | ParseError:
    if not rest:
        return Remind(None)
    if len(rest) == 1 and rest[0].lower() in ("on", "off"):
        return Remind(rest[0].lower() == "on")
    return ParseError("Say `remind on` or `remind off`.", usage_line(command, "remind"))


class _Once:
    """Each subscription setting may be given once: a second one is a mistake, not an update."""

    def __init__(self) -> None:
        self._given: dict[str, str] = {}

    def __call__(self, setting: str, words: str) -> None:
        if setting in self._given:
            raise QuizError(
                f"Give one {setting}: you gave {quoted(self._given[setting], 30)} "
                f"and {quoted(words, 30)}."
            )
        self._given[setting] = words


def _parse_subscribe(words: list[str]) -> Subscribe:
    """`subscribe 09:00 Europe/Berlin mon-fri junior reveal 17:00 team 3`, in any order."""
    once = _Once()
    post_time: time | None = None
    timezone: str | None = None
    weekdays: frozenset[int] | None = None
    level: Level | None = None
    reveal: time | None = None
    team: int | None = None
    rest = iter(words)
    for word in rest:
        lowered = word.lower()
        if lowered == "team":
            size = next(rest, "")
            once("team size", f"team {size}".strip())
            if not _TEAM_SIZE.match(size) or not 1 <= int(size) <= MAX_TEAM_SIZE:
                raise QuizError(
                    "`team` needs how many members make a team day, from 1 to 100, like `team 3`."
                )
            team = int(size)
        elif lowered == "reveal":
            following = next(rest, None)
            if following is None:
                raise QuizError("`reveal` needs a time, like `reveal 17:00`.")
            once("reveal time", f"reveal {following}")
            reveal = parse_time(following)
        elif lowered in _LEVEL_NAMES or lowered == "any":
            once("level", word)
            level = Level(lowered) if lowered in _LEVEL_NAMES else None
        elif looks_like_weekdays(lowered):
            once("set of days", word)
            weekdays = parse_weekdays(word)
        elif "/" in lowered or _is_timezone(word):
            once("timezone", word)
            timezone = parse_timezone(word)
        elif any(character.isdigit() for character in word):
            once("posting time", word)
            post_time = parse_time(word)
        else:
            raise QuizError(f"I don't understand {quoted(word)} here.{suggest_timezone(word)}")
    if post_time is None:
        raise QuizError("Say when to post, for example `subscribe 09:00 Europe/Berlin`.")
    if reveal is not None and (problem := reveal_time_problem(post_time, reveal)):
        raise QuizError(problem)
    return Subscribe(post_time, timezone, weekdays, level, reveal, team)


def _is_timezone(word: str) -> bool:
    """A zone named without a slash, such as `UTC`, `GMT`, `Zulu` or `Japan`."""
    try:
        parse_timezone(word)
    except QuizError:
        return False
    return True


def _parse_level(rest: list[str], command: str) -> TextCommand | ParseError:
    if not rest:
        return SetLevel(level=None, show_only=True)
    if len(rest) > 1:
        return ParseError(
            "Give one level: junior, mid, senior or any.", usage_line(command, "level")
        )
    word = rest[0].lower()
    if word in ("any", "all", "none"):
        return SetLevel(level=None)
    if word in _LEVEL_NAMES:
        return SetLevel(level=Level(word))
    return ParseError(
        f"{quoted(rest[0])} is not a level. Choose junior, mid, senior or any.",
        usage_line(command, "level"),
    )


def _parse_ask(words: list[str], command: str, topics: Sequence[str]) -> TextCommand | ParseError:
    level: Level | None = None
    topic: str | None = None
    number: int | None = None
    ask_usage = usage_line(command, "ask")
    for word in words:
        lowered = word.lower()
        if lowered in _LEVEL_NAMES:
            if level is not None:
                return ParseError(
                    f"Give one level at most: you gave `{level.value}` and `{lowered}`.",
                    ask_usage,
                )
            level = Level(lowered)
        elif match := _NUMBER.match(lowered):
            if number is not None:
                return ParseError("Give one question number at most.", ask_usage)
            number = _question_number(match.group(1))
        else:
            found = _match_topic(word, topics)
            if isinstance(found, ParseError):
                return ParseError(found.message, ask_usage)
            if topic is not None:
                return ParseError(
                    f"Give one topic at most: you gave `{topic}` and `{found}`.", ask_usage
                )
            topic = found
    if number is not None and (level or topic):
        return ParseError(
            "A question number picks one question by itself: leave out the level and topic.",
            ask_usage,
        )
    return Ask(level=level, topic=topic, number=number)


def _question_number(text: str) -> int:
    """Any typed number, negative or huge, so that the answer can say there is no such question."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    return int(sign + (digits.lstrip("0") or "0")[:_KEPT_DIGITS])


def _match_topic(typed: str, topics: Sequence[str]) -> str | ParseError:
    """Exact topic, else the one topic it abbreviates (three letters or more), else the
    candidates it could abbreviate, else a suggestion of the closest word."""
    word = typed.lower()
    if word in topics:
        return word
    prefixed = [t for t in topics if t.startswith(word)]
    if len(prefixed) == 1 and len(word) >= 3:
        return prefixed[0]
    if len(prefixed) > 1 and len(word) >= 2:
        names = [f"`{t}`" for t in prefixed]
        either = ", ".join(names[:-1]) + f" or {names[-1]}"
        return ParseError(f"{quoted(typed)} could be {either}: type a little more of it.", "")
    if any(character.isdigit() for character in word):
        return ParseError(
            f"I don't know {quoted(typed)}: type question numbers with the digits 0 to 9, "
            "like `12`.",
            "",
        )
    candidates = list(topics) + list(SUBCOMMANDS) + list(_LEVEL_NAMES)
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    return ParseError(
        f"I don't know {quoted(typed)}: it is not a level, topic or subcommand.{hint}", ""
    )
