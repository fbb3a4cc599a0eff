"""When a channel's daily question is due: pure date maths in the channel's own timezone.

Daylight saving time, decided deliberately:
- A posting time that does not exist that day (clocks jump from 02:00 to 03:00 and the channel
  posts at 02:30) is taken at the same distance past the gap: 03:30 local, the instant that
  Python's zoneinfo and APScheduler's cron both give.
- A posting time that exists twice (clocks fall back from 03:00 to 02:00) is taken at its first
  occurrence. APScheduler's cron fires at both; the second fire finds the day's post already
  claimed and does nothing.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.errors import QuizError
from bot.domain.quoting import quoted

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))
WORKDAYS = frozenset(range(5))
DEFAULT_GRACE = timedelta(hours=3)
_TIME = re.compile(r"^([0-9]{1,2})(?::([0-9]{2}))?\s*(am|pm)?$")
TIME_FORMS = "Use `HH:MM` on the 24-hour clock (`09:00`, `17:30`) or am/pm (`9am`, `9:30pm`)."
# zoneinfo's other names for UTC; we show them all as `UTC`, the name people type.
_UTC_ALIASES = frozenset(
    {"etc/utc", "etc/uct", "etc/universal", "etc/zulu", "uct", "universal", "zulu", "utc"}
)


@dataclass(frozen=True)
class DailySchedule:
    post_time: time
    timezone: str
    weekdays: frozenset[int] = EVERY_DAY
    grace: timedelta = DEFAULT_GRACE

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def instant_on(self, local_date: date) -> datetime:
        """The UTC instant of the post for one local date (fold=0: see the module notes)."""
        local = datetime.combine(local_date, self.post_time, tzinfo=self.zone)
        return local.astimezone(UTC)

    def due_date(self, now: datetime) -> date | None:
        """Today's local date if its post is due now: past the posting time, within the grace.

        Only today counts, so a late start never posts yesterday's question today.
        """
        today = now.astimezone(self.zone).date()
        if today.weekday() not in self.weekdays:
            return None
        instant = self.instant_on(today)
        return today if instant <= now < instant + self.grace else None

    def next_instant(self, after: datetime) -> datetime:
        """The first posting instant strictly after `after`."""
        day = after.astimezone(self.zone).date()
        for offset in range(8):
            candidate = day + timedelta(days=offset)
            if candidate.weekday() in self.weekdays and self.instant_on(candidate) > after:
                return self.instant_on(candidate)
        raise ValueError("a schedule needs at least one weekday")

    def describe(self) -> str:
        return f"{self.post_time:%H:%M} {self.timezone}, {format_weekdays(self.weekdays)}"


def parse_time(text: str) -> time:
    """`9:00`, `09:30`, `17:05`, `9am`, `5:30pm`."""
    match = _TIME.match(text.strip().lower())
    if match:
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "pm" else 0)
        elif half:
            hour = 99
        if hour < 24 and minute < 60 and (match.group(2) is not None or half):
            return time(hour, minute)
    raise QuizError(f"{quoted(text)} is not a time of day. {TIME_FORMS}")


def parse_timezone(text: str) -> str:
    """An IANA name such as `Europe/Berlin`; matched without regard to case."""
    names = _timezones()
    found = names.get(text.lower())
    if found is None:
        raise QuizError(
            f"{quoted(text)} is not a timezone I know.{suggest_timezone(text)} "
            "Use an IANA name such as `Europe/Berlin` or `America/New_York`."
        )
    return canonical_timezone(found)


def canonical_timezone(name: str) -> str:
    """`Etc/UTC`, `Zulu` and the like are `UTC`, so one zone is shown by one name everywhere."""
    return "UTC" if name.lower() in _UTC_ALIASES else name


def parse_weekdays(text: str) -> frozenset[int]:
    """`daily`, `weekdays`, `weekends`, `mon-fri`, `mon,wed,fri`, `sat-sun`."""
    word = text.strip().lower()
    named = {"daily": EVERY_DAY, "everyday": EVERY_DAY, "weekdays": WORKDAYS}
    if word in named:
        return named[word]
    if word == "weekends":
        return frozenset({5, 6})
    days: set[int] = set()
    for part in word.split(","):
        first, _, last = part.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise QuizError(
                f"{quoted(text)} is not a set of weekdays. Try `daily`, `weekdays`, `mon-fri` "
                "or `mon,wed,fri`."
            )
        start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
        days.update(span)
    return frozenset(days)


def looks_like_weekdays(text: str) -> bool:
    word = text.lower()
    return word in ("daily", "everyday", "weekdays", "weekends") or word[:3] in WEEKDAYS


def format_weekdays(days: frozenset[int]) -> str:
    if days == EVERY_DAY:
        return "every day"
    if days == WORKDAYS:
        return "Monday to Friday"
    return ", ".join(WEEKDAYS[d].capitalize() for d in sorted(days))


def encode_weekdays(days: frozenset[int]) -> str:
    return ",".join(WEEKDAYS[d] for d in sorted(days))


def decode_weekdays(text: str) -> frozenset[int]:
    return frozenset(WEEKDAYS.index(d) for d in text.split(",") if d)


def timezones_matching(typed: str, limit: int) -> list[str]:
    """Zones to offer as someone types, case ignored: names that start with the text first
    (`am` gives `America/...`, not `Africa/Bamako`), then names with a part that starts with it
    (`york` gives `America/New_York`), then names that merely contain it. UTC's other names
    are shown as `UTC`, as everywhere else."""
    wanted = typed.strip().lower()
    ranks: dict[str, int] = {}
    for key, name in _timezones().items():
        if key.startswith(wanted):
            rank = 0
        elif any(part.startswith(wanted) for part in re.split(r"[/_-]", key)):
            rank = 1
        elif wanted in key:
            rank = 2
        else:
            continue
        shown = canonical_timezone(name)
        ranks[shown] = min(rank, ranks.get(shown, rank))
    return sorted(ranks, key=lambda name: (ranks[name], name))[:limit]


@lru_cache(maxsize=1)
def _timezones() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def suggest_timezone(text: str) -> str:
    """` Did you mean `Europe/Berlin`?` for `berlin` or a near miss; empty if nothing is close."""
    lowered = text.lower()
    names = _timezones()
    city = sorted(n for key, n in names.items() if key.rsplit("/", 1)[-1] == lowered)
    close = city or [names[k] for k in difflib.get_close_matches(lowered, list(names), n=1)]
    return f" Did you mean `{close[0]}`?" if close else ""
