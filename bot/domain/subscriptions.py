"""A channel's subscription to a pack, and the daily posts it produced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.content import Level
from bot.domain.context import WorkspaceRef
from bot.domain.schedule import DailySchedule

# How many members must grade the daily question for a team day, unless `team N` says otherwise.
DEFAULT_TEAM_SIZE = 2
MAX_TEAM_SIZE = 100


@dataclass(frozen=True)
class ChannelAddress:
    """Where an outbound post goes, in the platform's own terms."""

    platform: str
    channel_id: str
    name: str
    workspace: WorkspaceRef | None = None


@dataclass(frozen=True)
class PersonAddress:
    """Where a private message to one person goes, in the platform's own terms."""

    platform: str
    user_id: str
    workspace: WorkspaceRef | None = None


@dataclass(frozen=True)
class Subscription:
    id: int
    channel_row_id: int
    channel: ChannelAddress
    pack_id: str
    schedule: DailySchedule
    level: Level | None
    reveal_time: time | None
    active: bool
    team_threshold: int = DEFAULT_TEAM_SIZE
    # The channel's workspace lost its installation (uninstalled, token revoked): nothing is
    # posted until it is installed again. Not the channel's choice, unlike `active`.
    paused: bool = False

    @property
    def posting(self) -> bool:
        """Whether daily posts go out: subscribed, and the workspace still installed."""
        return self.active and not self.paused


@dataclass(frozen=True)
class SubscriptionSettings:
    schedule: DailySchedule
    level: Level | None
    reveal_time: time | None
    team_threshold: int = 2


def reveal_time_problem(post_time: time, reveal_time: time) -> str | None:
    """A timed reveal is on the post's own local day, so it must come after the post: at or
    before it, question and answer would go out together. Why not, in words; None if fine."""
    if reveal_time > post_time:
        return None
    together = (
        f"`reveal {reveal_time:%H:%M}` is the time of the question itself"
        if reveal_time == post_time
        else f"`reveal {reveal_time:%H:%M}` is before the {post_time:%H:%M} question"
    )
    if post_time == time(23, 59):
        return (
            f"{together}, so question and answer would go out together. A question posted at "
            "23:59 has no later time that day: leave `reveal` out and reveal it by hand."
        )
    later = datetime.combine(date.min, post_time) + timedelta(hours=8)
    suggestion = later.time() if later.date() == date.min else time(23, 59)
    return (
        f"{together}, so question and answer would go out together. The answer is revealed "
        f"the same day: choose a later time, like `reveal {suggestion:%H:%M}`."
    )


@dataclass(frozen=True)
class Post:
    id: int
    channel_row_id: int
    pack_id: str
    local_date: date
    question_id: str
    state: str
    message_id: str | None
    thread_id: str | None
    revealed_at: datetime | None
    claimed_at: datetime | None = None
    # Taken over from a holder that vanished mid-send: the message may exist already.
    fate_unknown: bool = False


@dataclass(frozen=True)
class PostClaim:
    """A wish to own one channel's post of a local date, with the question it would carry."""

    channel_row_id: int
    pack_id: str
    local_date: date
    question_id: str
    now: datetime

    @property
    def key(self) -> tuple[int, str, date]:
        return (self.channel_row_id, self.pack_id, self.local_date)


@dataclass(frozen=True)
class SentPost:
    """What the platform answered for a claimed post, to be recorded as posted."""

    post_id: int
    message_id: str
    thread_id: str | None
    posted_at: datetime


# A post's life: CLAIMED (held under a lease; if the lease runs out, the holder may or may not
# have sent it), RELEASED (known not sent; free to claim again after its lease), POSTED.
CLAIMED = "claimed"
RELEASED = "released"
POSTED = "posted"
