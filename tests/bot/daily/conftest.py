"""A recording stand-in for a platform's posting port, and a runtime wired to it."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from bot.clock import FixedClock
from bot.composition import Runtime, build_runtime
from bot.config import Settings
from bot.daily.ports import DeliveryUnknown, PostedMessage, PostKey, RateLimited
from bot.domain.replies import Reply
from bot.domain.subscriptions import ChannelAddress, PersonAddress


class Crash(BaseException):
    """Stands for the process dying mid-send: not an Exception, so nothing catches it."""


@dataclass
class RecordingPort:
    """Keeps every post with its key, as a platform that stores our key would, so `find_post`
    answers truthfully. `unknown_next` accepts a post, then reports its fate unknown (the
    connection broke after the request was written); `crash_after_next` accepts a post, then
    dies before returning."""

    posts: list[tuple[ChannelAddress, Reply]] = field(default_factory=list)
    keys: dict[str, PostedMessage] = field(default_factory=dict)
    lookups: list[PostKey] = field(default_factory=list)
    thread_posts: list[tuple[ChannelAddress, str, Reply]] = field(default_factory=list)
    notes: list[tuple[str, Reply]] = field(default_factory=list)
    fail_next: int = 0
    rate_limit_next: int = 0
    crash_next: int = 0
    crash_after_next: int = 0
    unknown_next: int = 0
    lookup_fails_next: int = 0
    delay: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0

    async def post(self, channel: ChannelAddress, reply: Reply, key: PostKey) -> PostedMessage:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            if self.crash_next:
                self.crash_next -= 1
                raise Crash
            if self.rate_limit_next:
                self.rate_limit_next -= 1
                raise RateLimited(0.25)
            if self.fail_next:
                self.fail_next -= 1
                raise ConnectionError("platform unreachable")
            self.posts.append((channel, reply))
            message = PostedMessage(f"m{len(self.posts)}", f"t{len(self.posts)}")
            self.keys[key.token] = message
            if self.crash_after_next:
                self.crash_after_next -= 1
                raise Crash
            if self.unknown_next:
                self.unknown_next -= 1
                raise DeliveryUnknown("connection reset after the request was written")
            return message
        finally:
            self.in_flight -= 1

    async def find_post(
        self, channel: ChannelAddress, reply: Reply, key: PostKey
    ) -> PostedMessage | None:
        self.lookups.append(key)
        if self.lookup_fails_next:
            self.lookup_fails_next -= 1
            raise ConnectionError("platform unreachable")
        return self.keys.get(key.token)

    async def notify(self, person: PersonAddress, reply: Reply) -> None:
        self.notes.append((person.user_id, reply))

    async def post_in_thread(
        self, channel: ChannelAddress, thread_id: str, reply: Reply
    ) -> PostedMessage:
        self.thread_posts.append((channel, thread_id, reply))
        return PostedMessage(f"r{len(self.thread_posts)}", thread_id)


@pytest.fixture
def port() -> RecordingPort:
    return RecordingPort()


@pytest.fixture
async def daily(
    settings: Settings, clock: FixedClock, port: RecordingPort
) -> AsyncIterator[Runtime]:
    built = await build_runtime(settings, clock=clock, rng=random.Random(7), ports={"test": port})
    yield built
    await built.aclose()
