"""Post what is due, exactly once per channel and local date, whatever else is running.

Every post is claimed in the database before it is sent. The claim has a lease: a process
that dies while holding it leaves a claim that another run takes over once the lease runs
out. Whether the dead holder's message reached the platform is unknown, so the run that takes
it over first looks for it on the platform (each post carries a key the platform keeps: message
metadata on Slack, a nonce on Discord) and sends only if it is not there. A post that failed
for certain, or that a stopping process had not started to send, is released as unsent and is
sent again without looking.

Channels are grouped by workspace (a Slack team, with its own token and its own rate limits):
the fan-out takes them round-robin across workspaces, so one large workspace paced by its
platform does not hold the others up, and a workspace found to have no working installation
is paused once (bot.usecases.workspaces) and skipped for the rest of the run, unsent.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

from bot.daily.choice import choose_for_channel
from bot.daily.ports import (
    DeliveryUnknown,
    PostedMessage,
    PostingPort,
    PostKey,
    RateLimited,
    WorkspaceUnavailable,
)
from bot.domain.content import Pack, Question, QuestionRef
from bot.domain.context import WorkspaceRef
from bot.domain.replies import Reply
from bot.domain.schedule import DailySchedule
from bot.domain.subscriptions import ChannelAddress, Post, PostClaim, SentPost, Subscription
from bot.presenters import daily as daily_replies
from bot.usecases.deps import Deps
from bot.usecases.group_commit import GroupCommit
from bot.usecases.workspaces import pause_workspace

T = TypeVar("T")

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=5)
RETRY_AFTER_FAILURE = timedelta(minutes=1)
MAX_RATE_LIMIT_RETRIES = 8
CLAIM_CHUNK = 100
RECORD_LINGER = 0.05
# On a stop, writing down what was and was not sent may take this long before we give up
# (the leases then sort it out).
CLEANUP_SECONDS = 3.0


class Outcome(StrEnum):
    POSTED = "posted"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass
class PostingReport:
    """Outcomes per platform, and due posts on platforms this process has no credentials for."""

    by_platform: dict[str, dict[Outcome, int]] = field(default_factory=dict)
    unserved: dict[str, int] = field(default_factory=dict)

    def add(self, platform: str, outcome: Outcome, n: int = 1) -> None:
        counts = self.by_platform.setdefault(platform, dict.fromkeys(Outcome, 0))
        counts[outcome] += n

    @property
    def counts(self) -> dict[Outcome, int]:
        total = dict.fromkeys(Outcome, 0)
        for counts in self.by_platform.values():
            for outcome, n in counts.items():
                total[outcome] += n
        return total

    @property
    def posted(self) -> int:
        return self.counts[Outcome.POSTED]

    @property
    def failed(self) -> int:
        return self.counts[Outcome.FAILED]

    def platform_line(self, platform: str) -> str:
        counts = self.by_platform.get(platform, dict.fromkeys(Outcome, 0))
        return ", ".join(f"{o.value} {counts[o]}" for o in Outcome)

    def __str__(self) -> str:
        return ", ".join(f"{n} {o.value}" for o, n in self.counts.items())


@dataclass(frozen=True)
class _Wish:
    sub: Subscription
    local_date: date
    now: datetime


@dataclass(frozen=True)
class _Delivered:
    """What became of one claimed post: sent (or found already sent), or not; no outcome when
    a stop came first (`untouched` if nothing had been sent for it yet)."""

    outcome: Outcome | None
    sent: SentPost | None = None
    untouched: bool = False
    lost: WorkspaceUnavailable | None = None  # the channel's workspace has no installation


class _Stopped(Exception):
    """The poster is stopping: a platform call in flight was abandoned."""


class _Unsure(Exception):
    """Whether a post exists could not be found out; its claim was released as unknown."""


_Claimed = tuple[Post, Question]
_Ready = tuple[Subscription, Post, Question]
_WorkspaceKey = tuple[str, WorkspaceRef | None]


def workspace_key(channel: ChannelAddress) -> _WorkspaceKey:
    return (channel.platform, channel.workspace)


def interleaved(due: Sequence[tuple[Subscription, date]]) -> list[tuple[Subscription, date]]:
    """Round-robin across workspaces, in the given order within each."""
    groups: dict[_WorkspaceKey, list[tuple[Subscription, date]]] = {}
    for item in due:
        groups.setdefault(workspace_key(item[0].channel), []).append(item)
    rounds = max((len(group) for group in groups.values()), default=0)
    return [group[i] for i in range(rounds) for group in groups.values() if i < len(group)]


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
        self._daily_reply = lru_cache(maxsize=256)(daily_replies.daily_post_reply)
        self._limit = asyncio.Semaphore(concurrency)
        self._claims: GroupCommit[_Wish, _Claimed | None] = GroupCommit()
        # Recording a sent post may wait a moment for others: one transaction per batch keeps
        # the database out of the sending's way. A crash in that moment leaves those claims to
        # run out their lease; the run that takes them over finds the messages on the platform.
        self._sent: GroupCommit[SentPost, None] = GroupCommit(linger=RECORD_LINGER)
        self._stopping = asyncio.Event()

    @property
    def concurrency(self) -> int:
        return self._concurrency

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def stop(self) -> None:
        """Wind down rather than be cancelled mid-write: no new claims or sends; calls to the
        platform in flight are abandoned; what is held is handed over (see _FanOut)."""
        self._stopping.set()

    async def _unless_stopping(self, work: Awaitable[T]) -> T:
        """A platform call, abandoned if a stop comes first (an HTTP request can be dropped
        cleanly; a database write in flight is never interrupted this way)."""
        call = asyncio.ensure_future(work)
        stopped = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({call, stopped}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            call.cancel()
            raise
        finally:
            stopped.cancel()
        if call.done():
            return call.result()
        call.cancel()
        await asyncio.gather(call, return_exceptions=True)
        raise _Stopped

    def serves(self, subscription: Subscription) -> bool:
        return subscription.channel.platform in self._ports

    async def post_due(self, now: datetime | None = None) -> PostingReport:
        """Every active subscription whose post is due at `now`, concurrently but bounded."""
        now = now or self._deps.clock.now()
        async with self._deps.uow() as uow:
            subscriptions = await uow.subscriptions.active()
            due = [(s, d) for s in subscriptions if (d := s.schedule.due_date(now))]
            # One read spares the sweep a write transaction per channel already done today.
            settled = await uow.posts.settled({d for _s, d in due}, now)
        report = PostingReport()
        waiting: list[tuple[Subscription, date]] = []
        for sub, day in due:
            platform = sub.channel.platform
            if (sub.channel_row_id, sub.pack_id, day) in settled:
                if self.serves(sub):
                    report.add(platform, Outcome.SKIPPED)
            elif self.serves(sub):
                waiting.append((sub, day))
            else:
                report.unserved[platform] = report.unserved.get(platform, 0) + 1
        for platform in self._ports:
            report.by_platform.setdefault(platform, dict.fromkeys(Outcome, 0))
        for platform, outcome in await self._post_all(interleaved(waiting), now):
            report.add(platform, outcome)
        if waiting:
            log.info("daily posts at %s: %s", now.isoformat(), report)
        for platform, n in report.unserved.items():
            log.warning(
                "%d daily post(s) due on %s, which this process cannot post to", n, platform
            )
        return report

    async def post_subscription(self, subscription_id: int, now: datetime | None = None) -> Outcome:
        """One channel's post, if due: what its own cron job runs."""
        now = now or self._deps.clock.now()
        async with self._deps.uow() as uow:
            subscription = await uow.subscriptions.by_id(subscription_id)
        if subscription is None or not subscription.posting or not self.serves(subscription):
            return Outcome.SKIPPED
        local_date = subscription.schedule.due_date(now)
        if local_date is None:
            return Outcome.SKIPPED
        ((_platform, outcome),) = await self._post_all([(subscription, local_date)], now)
        return outcome

    async def _post_all(
        self, due: Sequence[tuple[Subscription, date]], now: datetime
    ) -> list[tuple[str, Outcome]]:
        if not due:
            return []
        return await _FanOut(self, due, now).run()

    async def deliver(
        self, sub: Subscription, post: Post, question: Question, now: datetime
    ) -> _Delivered:
        """Send one claimed post, or find that an earlier holder already did; a failure
        releases the claim (as unsent, or as unknown when the message may exist)."""
        reply = self._daily_reply(question)
        key = PostKey(post.id, post.local_date, post.claimed_at or now)

        def post_it(port: PostingPort) -> Awaitable[PostedMessage]:
            return port.post(sub.channel, reply, key)

        async with self._limit:
            if self.stopping:
                return _Delivered(None, untouched=True)
            uncertain = post.fate_unknown
            try:
                if post.fate_unknown and (found := await self._look_for(sub, reply, key, now)):
                    log.info("post %s to %s had been sent; recorded it", post.id, sub.channel.name)
                    return self._sent_post(post, found)
                try:
                    message = await self._unless_stopping(self._send(post_it, sub))
                except DeliveryUnknown:
                    # Look before trying again: the message may well be there.
                    uncertain = True
                    if found := await self._look_for(sub, reply, key, now):
                        return self._sent_post(post, found)
                    message = await self._unless_stopping(self._send(post_it, sub))
            except _Stopped:
                return _Delivered(None)
            except _Unsure:
                return _Delivered(Outcome.FAILED)
            except WorkspaceUnavailable as exc:
                # Not this channel's failure: the caller pauses the workspace, once.
                await self._release(post.id, now, uncertain=uncertain)
                return _Delivered(Outcome.SKIPPED, lost=exc)
            except DeliveryUnknown as exc:
                self._log_failure(sub, exc)
                await self._release(post.id, now, uncertain=True)
                return _Delivered(Outcome.FAILED)
            except Exception as exc:
                self._log_failure(sub, exc)
                await self._release(post.id, now, uncertain=False)
                return _Delivered(Outcome.FAILED)
        return self._sent_post(post, message)

    async def _look_for(
        self, sub: Subscription, reply: Reply, key: PostKey, now: datetime
    ) -> PostedMessage | None:
        """The message if it exists, None if it does not. If the platform cannot tell us, the
        claim is released as unknown (a later run looks again) and _Unsure is raised."""
        try:
            port = self._ports[sub.channel.platform]
            return await self._unless_stopping(port.find_post(sub.channel, reply, key))
        except (_Stopped, WorkspaceUnavailable):
            raise
        except Exception as exc:
            log.error(
                "could not check whether post %s to %s channel %s (%s) was sent, will retry: %s",
                key.post_id,
                sub.channel.platform,
                sub.channel.channel_id,
                sub.channel.name,
                exc,
            )
            await self._release(key.post_id, now, uncertain=True)
            raise _Unsure from exc

    def _sent_post(self, post: Post, message: PostedMessage) -> _Delivered:
        sent = SentPost(post.id, message.message_id, message.thread_id, self._deps.clock.now())
        return _Delivered(Outcome.POSTED, sent)

    @staticmethod
    def _log_failure(sub: Subscription, exc: Exception) -> None:
        log.error(
            "daily post to %s channel %s (%s) failed, will retry: %s",
            sub.channel.platform,
            sub.channel.channel_id,
            sub.channel.name,
            exc,
        )

    async def workspace_lost(self, channel: ChannelAddress, reason: str) -> None:
        """Nothing more is posted to the channel's workspace until it is installed again."""
        await pause_workspace(self._deps, channel.platform, channel.workspace, reason)

    async def release_lost(self, post: Post, now: datetime) -> None:
        """A claim in a workspace found lost before it was sent: released, looked up on the
        next try if an earlier holder may have sent it."""
        await self._release(post.id, now, uncertain=post.fate_unknown)

    async def _release(self, post_id: int, now: datetime, *, uncertain: bool) -> None:
        async with self._deps.uow(write=True) as uow:
            if uncertain:
                await uow.posts.release_uncertain([post_id], now + RETRY_AFTER_FAILURE)
            else:
                await uow.posts.release([post_id], now + RETRY_AFTER_FAILURE)
            await uow.commit()

    async def release_on_stop(
        self, unsent: Sequence[int], unknown: Sequence[int], sent: Sequence[SentPost], now: datetime
    ) -> None:
        """A stopping process hands over at once: claims it had not started sending are free
        for the next run, ones mid-send are looked up by it, and sent ones are recorded."""
        async with self._deps.uow(write=True) as uow:
            await uow.posts.mark_posted(sent)
            await uow.posts.release(unsent, now)
            await uow.posts.release_uncertain(unknown, now)
            await uow.commit()

    async def claim(self, wish: _Wish) -> _Claimed | None:
        return await self._claims.submit(wish, self._claim_batch)

    async def writes_done(self) -> None:
        """Claims and records still being written (for callers that stopped) are finished."""
        await self._claims.idle()
        await self._sent.idle()

    async def record(self, sent: SentPost) -> None:
        await self._sent.submit(sent, self._record_sent)

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
        """Honour the platform's Retry-After a bounded number of times (a 429 was refused,
        so sending again cannot repeat the message)."""
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
        lost: set[_WorkspaceKey] = set()
        for post in posts:
            sub = subscriptions.get((post.channel_row_id, post.pack_id))
            if sub is None or sub.reveal_time is None or not self.serves(sub):
                continue
            if workspace_key(sub.channel) in lost:
                continue
            reveal_at = DailySchedule(sub.reveal_time, sub.schedule.timezone)
            if reveal_at.instant_on(post.local_date) > now:
                continue
            try:
                revealed += await self._reveal(sub, post, now)
            except WorkspaceUnavailable as exc:
                lost.add(workspace_key(sub.channel))
                await self.workspace_lost(sub.channel, exc.reason)
        return revealed

    async def reveal_post(self, sub: Subscription, post: Post, now: datetime) -> bool:
        """Reveal one post's answer publicly in its thread, once; False if already revealed
        (or if the channel's workspace turned out to have no installation: it is paused)."""
        try:
            return await self._reveal(sub, post, now)
        except WorkspaceUnavailable as exc:
            await self.workspace_lost(sub.channel, exc.reason)
            return False

    async def _reveal(self, sub: Subscription, post: Post, now: datetime) -> bool:
        """Raises WorkspaceUnavailable, with the reveal unclaimed, if the workspace is lost."""
        question = self._deps.catalog.question(QuestionRef(post.pack_id, post.question_id))
        if question is None or post.thread_id is None:
            return False
        async with self._deps.uow(write=True) as uow:
            mine = await uow.posts.claim_reveal(post.id, now)
            await uow.commit()
        if not mine:
            return False
        reply: Reply = daily_replies.public_answer_reply(question)
        thread_id = post.thread_id
        try:
            await self._send(lambda port: port.post_in_thread(sub.channel, thread_id, reply), sub)
        except Exception as exc:
            if not isinstance(exc, WorkspaceUnavailable):
                log.error("public reveal in %s failed, will retry: %s", sub.channel.name, exc)
            async with self._deps.uow(write=True) as uow:
                await uow.posts.unclaim_reveal(post.id)
                await uow.commit()
            if isinstance(exc, WorkspaceUnavailable):
                raise
            return False
        return True


class _FanOut:
    """One run over many due channels: claims in chunks just ahead of the senders, so claims
    stay fresh and each chunk is one transaction; sends with bounded concurrency; records what
    was sent in batches. It knows which claims it holds in which state, so that a stop
    (cancellation) hands each one over correctly instead of leaving it to its lease."""

    def __init__(
        self, poster: DailyPoster, due: Sequence[tuple[Subscription, date]], now: datetime
    ) -> None:
        self._poster = poster
        self._due = due
        self._now = now
        self._outcomes: list[tuple[str, Outcome]] = []
        self._ready: asyncio.Queue[_Ready | None] = asyncio.Queue(maxsize=2 * CLAIM_CHUNK)
        self._senders = max(1, min(poster.concurrency, len(due)))
        self._queued: dict[int, Post] = {}
        self._sending: set[int] = set()
        self._unrecorded: dict[int, SentPost] = {}
        self._recording: list[asyncio.Future[None]] = []
        self._claiming: asyncio.Future[list[_Claimed | None]] | None = None
        self._lost: set[_WorkspaceKey] = set()  # workspaces found without an installation

    async def run(self) -> list[tuple[str, Outcome]]:
        workers = [asyncio.ensure_future(self._claim_ahead())]
        workers += [asyncio.ensure_future(self._send_ready()) for _ in range(self._senders)]
        try:
            await asyncio.gather(*workers)
            await asyncio.gather(*self._recording)
        except (asyncio.CancelledError, Exception):
            await self._stop(workers)
            await self._hand_over()
            raise
        except BaseException:
            # Stands for the process dying (tests): nothing is handed over.
            await self._stop(workers)
            raise
        if self._poster.stopping:
            await self._hand_over()
        return self._outcomes

    @staticmethod
    async def _stop(workers: Sequence[asyncio.Future[None]]) -> None:
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

    async def _claim_ahead(self) -> None:
        for start in range(0, len(self._due), CLAIM_CHUNK):
            if self._poster.stopping:
                break
            chunk = self._skip_lost(self._due[start : start + CLAIM_CHUNK])
            # Shielded: if we are stopped meanwhile, the hand-over still learns what was claimed.
            self._claiming = asyncio.gather(
                *(self._poster.claim(_Wish(s, d, self._now)) for s, d in chunk)
            )
            claims = await asyncio.shield(self._claiming)
            self._claiming = None
            for (sub, _day), claimed in zip(chunk, claims, strict=True):
                if claimed is None:
                    self._outcomes.append((sub.channel.platform, Outcome.SKIPPED))
                else:
                    self._queued[claimed[0].id] = claimed[0]
                    await self._ready.put((sub, *claimed))
        for _ in range(self._senders):
            await self._ready.put(None)

    def _skip_lost(
        self, chunk: Sequence[tuple[Subscription, date]]
    ) -> Sequence[tuple[Subscription, date]]:
        """Channels of a workspace already found lost are not even claimed."""
        kept = [(sub, day) for sub, day in chunk if workspace_key(sub.channel) not in self._lost]
        for sub, _day in chunk:
            if workspace_key(sub.channel) in self._lost:
                self._outcomes.append((sub.channel.platform, Outcome.SKIPPED))
        return kept

    async def _lose(self, sub: Subscription, lost: WorkspaceUnavailable) -> None:
        """The first post to meet a lost workspace pauses it; later ones just skip."""
        key = workspace_key(sub.channel)
        if key in self._lost:
            return
        self._lost.add(key)
        await self._poster.workspace_lost(sub.channel, lost.reason)

    async def _send_ready(self) -> None:
        while (item := await self._ready.get()) is not None:
            sub, post, question = item
            if self._poster.stopping:
                continue  # stays queued: released unsent by the hand-over
            if workspace_key(sub.channel) in self._lost:
                await self._poster.release_lost(post, self._now)
                self._queued.pop(post.id, None)
                self._outcomes.append((sub.channel.platform, Outcome.SKIPPED))
                continue
            self._queued.pop(post.id, None)
            self._sending.add(post.id)
            delivered = await self._poster.deliver(sub, post, question, self._now)
            if delivered.untouched:
                self._sending.discard(post.id)
                self._queued[post.id] = post
                continue
            if delivered.outcome is None:
                continue  # abandoned mid-send: the hand-over leaves it to be looked up
            self._sending.discard(post.id)
            self._outcomes.append((sub.channel.platform, delivered.outcome))
            if delivered.lost is not None:
                await self._lose(sub, delivered.lost)
            if delivered.sent is not None:
                # The sender moves on at once; its record joins the next batch transaction.
                self._unrecorded[post.id] = delivered.sent
                self._recording.append(asyncio.ensure_future(self._record(delivered.sent)))

    async def _record(self, sent: SentPost) -> None:
        await self._poster.record(sent)
        self._unrecorded.pop(sent.post_id, None)

    async def _hand_over(self) -> None:
        """Shielded and bounded: the stop must not be held up for long by the database."""
        work = asyncio.ensure_future(self._settle_and_release())
        try:
            await asyncio.wait_for(asyncio.shield(work), CLEANUP_SECONDS)
        except (TimeoutError, asyncio.CancelledError):
            log.warning("stopped before the daily posts in flight were written down")
        except Exception as exc:
            log.error("could not write down the daily posts in flight at stop: %s", exc)
        else:
            log.info(
                "stopped mid fan-out: %d post(s) released unsent, %d left to be looked up, "
                "%d recorded",
                len(self._queued),
                len(self._sending),
                len(self._unrecorded),
            )

    async def _settle_and_release(self) -> None:
        """Claims made just as we stopped are released with the rest; writes still in flight
        finish before the release (and before the database may close)."""
        if self._claiming is not None:
            claims = await asyncio.gather(self._claiming, return_exceptions=True)
            for claimed in claims[0] if isinstance(claims[0], list) else []:
                if claimed is not None:
                    self._queued[claimed[0].id] = claimed[0]
        await self._poster.writes_done()
        await self._poster.release_on_stop(
            list(self._queued), list(self._sending), list(self._unrecorded.values()), self._now
        )
