"""Discord's rules for gateway sessions and shards, as the stand-in enforces them.

- IDENTIFY may carry `shard: [shard_id, num_shards]`. Without it the session is shard 0 of 1.
  Two integers with 0 <= shard_id < num_shards are required, else the session is closed with
  4010 Invalid shard; so is a shard count that is not a multiple of the number Discord assigned
  a bot it moved to large bot sharding.
- A session may hold at most 2,500 guilds; one that would hold more is closed with 4011
  Sharding required.
- A guild's events go to the session whose shard_id is `(guild_id >> 22) % num_shards`; events
  without a guild (direct messages) go to shard 0 only. READY lists only the session's guilds
  (unavailable), then a GUILD_CREATE follows for each of them.
- `max_concurrency` identifies are allowed per 5 seconds in each bucket
  `shard_id % max_concurrency`; another is answered with op 9 Invalid Session (`d: false`) and
  starts no session.
- GET /gateway/bot (bot token required) gives the gateway url, a recommended shard count and
  the session start limit (1,000 a day: total, remaining, reset_after in ms, max_concurrency).
  Discord does not publish how it recommends a count: the stand-in recommends one shard per
  1,000 guilds, at least one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INVALID_SHARD = 4010
SHARDING_REQUIRED = 4011
INVALID_SESSION = 9
MAX_GUILDS_PER_SESSION = 2500
IDENTIFY_WINDOW_SECONDS = 5.0
SESSION_STARTS_PER_DAY = 1000
SESSION_START_RESET_MS = 24 * 60 * 60 * 1000
GUILDS_PER_RECOMMENDED_SHARD = 1000


class GatewayClose(Exception):
    """Discord closing the session with `code` instead of starting it."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Shard:
    id: int
    count: int

    def serves(self, guild_id: str | int | None) -> bool:
        """Whether Discord routes this guild's events (None: a DM's) to this shard."""
        if guild_id is None:
            return self.id == 0
        return shard_of(guild_id, self.count) == self.id

    @property
    def pair(self) -> list[int]:
        return [self.id, self.count]


UNSHARDED = Shard(0, 1)


def shard_of(guild_id: str | int, shard_count: int) -> int:
    return (int(guild_id) >> 22) % shard_count


def read_shard(identify: dict[str, Any], assigned_multiple: int = 1) -> Shard:
    """The shard an IDENTIFY asks for; GatewayClose(4010) for one Discord refuses."""
    if "shard" not in identify:
        return UNSHARDED
    value = identify["shard"]
    valid = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in value)
        and 0 <= value[0] < value[1]
        and value[1] % assigned_multiple == 0
    )
    if not valid:
        raise GatewayClose(INVALID_SHARD, "Invalid shard")
    return Shard(value[0], value[1])


def check_guild_count(guilds: int, limit: int = MAX_GUILDS_PER_SESSION) -> None:
    if guilds > limit:
        raise GatewayClose(SHARDING_REQUIRED, "Sharding required")


def recommended_shards(guilds: int) -> int:
    return max(1, -(-guilds // GUILDS_PER_RECOMMENDED_SHARD))


@dataclass
class SessionStarts:
    """Identifies per bucket within the window (max_concurrency), and starts within the day."""

    max_concurrency: int = 1
    window: float = IDENTIFY_WINDOW_SECONDS
    total: int = SESSION_STARTS_PER_DAY
    started: list[float] = field(default_factory=list)
    _last: dict[int, float] = field(default_factory=dict)

    def admit(self, shard: Shard, now: float) -> bool:
        """Record a session start; False when the shard's bucket identified too recently."""
        bucket = shard.id % self.max_concurrency
        last = self._last.get(bucket)
        if last is not None and now - last < self.window:
            return False
        self._last[bucket] = now
        self.started.append(now)
        return True

    def limit(self, now: float) -> dict[str, int]:
        """The session start limit object of GET /gateway/bot."""
        reset_after = 0
        if self.started:
            elapsed_ms = round((now - self.started[0]) * 1000)
            reset_after = max(0, SESSION_START_RESET_MS - elapsed_ms)
        return {
            "total": self.total,
            "remaining": max(0, self.total - len(self.started)),
            "reset_after": reset_after,
            "max_concurrency": self.max_concurrency,
        }


def guild_on_shard(shard_id: int, shard_count: int, index: int = 0) -> str:
    """A guild id (a snowflake from 2021 on) whose events Discord sends to `shard_id`."""
    timestamp = 1 << 38  # milliseconds since Discord's epoch
    timestamp += (shard_id - timestamp) % shard_count + index * shard_count
    return str(timestamp << 22 | 1)
