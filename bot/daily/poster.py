"""Post what is due, exactly once per channel and local date, whatever else is running.

Every post is claimed in the database before it is sent. The claim has a lease: a process
that dies between claim and send leaves a claim that another run takes over once the lease
runs out. A crash after the platform accepted the message but before we recorded it can
still repeat that one post; no platform offers an idempotent "post message" to close that gap.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from bot import presenters
from bot.daily.choice import choose_for_channel
from bot.daily.ports import PostedMessage, PostingPort, RateLimited
from bot.domain.content import Pack, Question, QuestionRef
from bot.domain.replies import Reply
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import Post, PostClaim, SentPost, Subscription
from bot.usecases.deps import Deps
from bot.usecases.group_commit import GroupCommit

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=5)
RETRY_AFTER_FAILURE = timedelta(minutes=1)
MAX_RATE_LIMIT_RETRIES = 8
CLAIM_CHUNK = 100
RECORD_LINGER = 0.05


class Outcome(StrEnum):
    POSTED = "posted"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass
class PostingReport:
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))

    def add(self, outcome: Outcome) -> None:
        self.counts[outcome] += 1

    @property
    def posted(self) -> int:
        return self.counts[Outcome.POSTED]

    @property
    def failed(self) -> int:
        return self.counts[Outcome.FAILED]

    def __str__(self) -> str:
        return ", ".join(f"{n} {o.value}" for o, n in self.counts.items())


@dataclass(frozen=True)
class _Wish:
    sub: Subscription
    local_date: date
    now: datetime


_Claimed = tuple[Post, Question]
_Ready = tuple[Subscription, Post, Question]


class DailyPoster:
    def __init__(
        self,
        deps: Deps,
        ports: Mapping[str, PostingPort],
        *,
        concurrency: int = 32,
        lease: timedelta = DEFAULT_LEASE,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._deps = deps
        self._ports = ports
        self._lease = lease
        self._sleep = sleep
        self._concurrency = concurrency
        # The same question goes to many channels at once; build its message once.
        self._daily_reply = lru_cache(maxsize=256)(presenters.daily_post_reply)
        self._limit = asyncio.Semaphore(concurrency)
        self._claims: GroupCommit[_Wish, _Claimed | None] = GroupCommit()
        # Recording a sent post may wait a moment for others: one transaction per batch keeps
        # the database out of the sending's way. A crash in that moment can repeat those posts
        # once their lease ends, the same window as a crash between send and record.
        self._sent: GroupCommit[SentPost, None] = GroupCommit(linger=RECORD_LINGER)

    def serves(self, subscription: Subscription) -> bool:
        return subscription.channel.platform in self._ports

    async def post_due(self, now: datetime | None = None) -> PostingReport:
        """Every active subscription whose post is due at `now`, concurrently but bounded."""
        now = now or self._deps.clock.now()
        async with self._deps.uow() as uow:
            subscriptions = await uow.subscriptions.active()
            due = [
                (s, d) for s in subscriptions if self.serves(s) and (d := s.schedule.due_date(now))
            ]
            # One read spares the sweep a write transaction per channel already done today.
            settled = await uow.posts.settled({d for _s, d in due}, now)
        report = PostingReport()
        report.counts[Outcome.SKIPPED] += sum(
            (s.channel_row_id, s.pack_id, d) in settled for s, d in due
        )
        due = [(s, d) for s, d in due if (s.channel_row_id, s.pack_id, d) not in settled]
        for outcome in await self._post_all(due, now):
            report.add(outcome)
        if due:
            log.info("daily posts at %s: %s", now.isoformat(), report)
        return report

    async def post_subscription(self, subscription_id: int, now: datetime | None = None) -> Outcome:
        """One channel's post, if due: what its own cron job runs."""
        now = now or self._deps.clock.now()
        async with self._deps.uow() as uow:
            subscription = await uow.subscriptions.by_id(subscription_id)
        if subscription is None or not subscription.active or not self.serves(subscription):
            return Outcome.SKIPPED
        local_date = subscription.schedule.due_date(now)
        if local_date is None:
            return Outcome.SKIPPED
        (outcome,) = await self._post_all([(subscription, local_date)], now)
        return outcome

    async def _post_all(
        self, due: Sequence[tuple[Subscription, date]], now: datetime
    ) -> list[Outcome]:
        """Claim in chunks just ahead of the senders, so that claims stay fresh and each chunk
        is one transaction; send with bounded concurrency; record what was sent in batches."""
        outcomes: list[Outcome] = []
        ready: asyncio.Queue[_Ready | None] = asyncio.Queue(maxsize=2 * CLAIM_CHUNK)
        senders = max(1, min(self._concurrency, len(due)))

        async def claim_ahead() -> None:
            try:
                for start in range(0, len(due), CLAIM_CHUNK):
                    chunk = due[start : start + CLAIM_CHUNK]
                    claims = await asyncio.gather(
                        *(
                            self._claims.submit(_Wish(s, d, now), self._claim_batch)
                            for s, d in chunk
                        )
                    )
                    for (sub, _day), claimed in zip(chunk, claims, strict=True):
                        if claimed is None:
                            outcomes.append(Outcome.SKIPPED)
                        else:
                            await ready.put((sub, *claimed))
            finally:
                for _ in range(senders):
                    await ready.put(None)

        recording: list[asyncio.Future[None]] = []

        async def send_ready() -> None:
            while (item := await ready.get()) is not None:
                sent = await self._deliver(*item, now)
                if sent is None:
                    outcomes.append(Outcome.FAILED)
                    continue
                outcomes.append(Outcome.POSTED)
                # The sender moves on at once; its record joins the next batch transaction.
                recording.append(asyncio.ensure_future(self._sent.submit(sent, self._record_sent)))

        await asyncio.gather(claim_ahead(), *(send_ready() for _ in range(senders)))
        await asyncio.gather(*recording)
        return outcomes

    async def _deliver(
        self, sub: Subscription, post: Post, question: Question, now: datetime
    ) -> SentPost | None:
        """What the platform answered, or None if sending failed (the claim is released)."""
        async with self._limit:
            try:
                reply = self._daily_reply(question)
                message = await self._send(lambda port: port.post(sub.channel, reply), sub)
            except Exception as exc:
                log.error(
                    "daily post to %s channel %s (%s) failed, will retry: %s",
                    sub.channel.platform,
                    sub.channel.channel_id,
                    sub.channel.name,
                    exc,
                )
                async with self._deps.uow(write=True) as uow:
                    await uow.posts.release(post.id, now + RETRY_AFTER_FAILURE)
                    await uow.commit()
                return None
        return SentPost(post.id, message.message_id, message.thread_id, self._deps.clock.now())

    async def _claim_batch(self, wishes: Sequence[_Wish]) -> list[_Claimed | None]:
        """Claims for everyone ready to post, in one transaction (group commit)."""
        choices: dict[int, tuple[Pack, Question]] = {}
        async with self._deps.uow(write=True) as uow:
            counts = await uow.posts.question_counts(
                {(w.sub.channel_row_id, w.sub.pack_id) for w in wishes}
            )
            claims: list[PostClaim] = []
            for index, wish in enumerate(wishes):
                sub = wish.sub
                pack = self._deps.catalog.pack(sub.pack_id)
                if pack is None:
                    log.error(
                        "channel %s subscribes to missing pack %s", sub.channel.name, sub.pack_id
                    )
                    continue
                counted = counts[(sub.channel_row_id, sub.pack_id)]
                choice = choose_for_channel(pack, sub.level, counted, self._deps.rng)
                choices[index] = (pack, choice)
                claims.append(
                    PostClaim(sub.channel_row_id, sub.pack_id, wish.local_date, choice.id, wish.now)
                )
            owned = await uow.posts.claim_many(claims, self._lease)
            await uow.commit()
        results: list[_Claimed | None] = []
        for index, wish in enumerate(wishes):
            post = owned.pop((wish.sub.channel_row_id, wish.sub.pack_id, wish.local_date), None)
            if post is None or index not in choices:
                results.append(None)
                continue
            pack, choice = choices[index]
            # A lapsed claim taken over keeps the question its first holder chose.
            results.append((post, pack.by_id(post.question_id) or choice))
        return results

    async def _record_sent(self, sent: Sequence[SentPost]) -> list[None]:
        async with self._deps.uow(write=True) as uow:
            await uow.posts.mark_posted(sent)
            await uow.commit()
        return [None] * len(sent)

    async def _send(
        self,
        call: Callable[[PostingPort], Awaitable[PostedMessage]],
        sub: Subscription,
    ) -> PostedMessage:
        """Honour the platform's Retry-After a bounded number of times."""
        port = self._ports[sub.channel.platform]
        for _attempt in range(MAX_RATE_LIMIT_RETRIES):
            try:
                return await call(port)
            except RateLimited as limited:
                await self._sleep(limited.retry_after)
        return await call(port)

    async def reveal_due(self, now: datetime | None = None) -> int:
        """Post the answer in the thread of each post whose channel reveals at a set time."""
        now = now or self._deps.clock.now()
        async with self._deps.uow() as uow:
            subscriptions = {
                (s.channel_row_id, s.pack_id): s for s in await uow.subscriptions.active()
            }
            since = (now - timedelta(days=2)).date()
            posts = await uow.posts.unrevealed_since(since)
        revealed = 0
        for post in posts:
            sub = subscriptions.get((post.channel_row_id, post.pack_id))
            if sub is None or sub.reveal_time is None or not self.serves(sub):
                continue
            reveal_at = DailySchedule(sub.reveal_time, sub.schedule.timezone)
            if reveal_at.instant_on(post.local_date) > now:
                continue
            if await self.reveal_post(sub, post, now):
                revealed += 1
        return revealed

    async def reveal_post(self, sub: Subscription, post: Post, now: datetime) -> bool:
        """Reveal one post's answer publicly in its thread, once; False if already revealed."""
        question = self._deps.catalog.question(QuestionRef(post.pack_id, post.question_id))
        if question is None or post.thread_id is None:
            return False
        async with self._deps.uow(write=True) as uow:
            mine = await uow.posts.claim_reveal(post.id, now)
            await uow.commit()
        if not mine:
            return False
        reply: Reply = presenters.public_answer_reply(question)
        thread_id = post.thread_id
        try:
            await self._send(lambda port: port.post_in_thread(sub.channel, thread_id, reply), sub)
        except Exception as exc:
            log.error("public reveal in %s failed, will retry: %s", sub.channel.name, exc)
            async with self._deps.uow(write=True) as uow:
                await uow.posts.unclaim_reveal(post.id)
                await uow.commit()
            return False
        return True
