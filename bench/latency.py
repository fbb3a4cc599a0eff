"""Interaction latency: signed slash commands and button clicks over loopback HTTP, 50 clients,
5,000 requests, through Quizbot's Slack app and through a bare Bolt app that only acks; each app
in its own process. Measured: the HTTP ack, and (Quizbot) the time until the reply reaches the
Web API stand-in."""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import time

import aiohttp
from aiohttp import web

from bench.common import Figure, percentile
from tests.adapters.slack.standin import action_body, command_body, sign

REQUESTS = 5_000
CLIENTS = 50
SECRET = "bench-secret"


class Receiver:
    """The Web API and response_url stand-in: answers auth.test and users.info, times replies."""

    def __init__(self) -> None:
        self.replies: dict[str, float] = {}
        self.port = 0

    async def start(self) -> web.AppRunner:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{token}", self._respond)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        self.port = runner.addresses[0][1]
        return runner

    async def _api(self, request: web.Request) -> web.Response:
        await request.read()
        if request.match_info["method"] == "users.info":
            return web.json_response({"ok": True, "user": {"id": "U1", "name": "bench"}})
        return web.json_response({"ok": True, "user_id": "UBOT", "team_id": "T1"})

    async def _respond(self, request: web.Request) -> web.Response:
        await request.read()
        self.replies.setdefault(request.match_info["token"], time.perf_counter())
        return web.Response(text="ok")


async def load(port: int, receiver: Receiver) -> tuple[list[float], list[float]]:
    url = f"http://127.0.0.1:{port}/slack/events"
    sent: dict[str, float] = {}
    acks: list[float] = []
    counter = itertools.count()

    async def client(session: aiohttp.ClientSession) -> None:
        while (n := next(counter)) < REQUESTS:
            token = f"r{n}"
            reply_url = f"http://127.0.0.1:{receiver.port}/respond/{token}"
            user = f"U{n % 500}"
            if n % 2:
                body = action_body(
                    "quizbot.reveal#0", "fastapi:what-is-fastapi", user, "C1", reply_url
                )
            else:
                body = command_body("/fastapi-quiz", str(1 + n % 70), user, "C1", reply_url)
            started = time.perf_counter()
            sent[token] = started
            async with session.post(url, data=body, headers=sign(SECRET, body)) as response:
                await response.read()
                assert response.status == 200
            acks.append(time.perf_counter() - started)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=CLIENTS)) as session:
        await asyncio.gather(*(client(session) for _ in range(CLIENTS)))
    deadline = time.perf_counter() + 180
    while len(receiver.replies) < len(sent) and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    replies = [receiver.replies[t] - sent[t] for t in sent if t in receiver.replies]
    return acks, replies


async def measure(kind: str) -> tuple[list[float], list[float]]:
    """Bare acks only; Quizbot's replies are waited for (up to 3 minutes) so none is missed."""
    receiver = Receiver()
    runner = await receiver.start()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.slack_app", kind, f"http://127.0.0.1:{receiver.port}/api/"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = json.loads(process.stdout.readline())["port"]
        return await load(port, receiver)
    finally:
        process.terminate()
        process.wait(timeout=10)
        await runner.cleanup()


async def run() -> list[Figure]:
    bare_acks, _ = await measure("bare")
    acks, replies = await measure("quizbot")
    ratio = percentile(acks, 99) / percentile(bare_acks, 99)
    ms = 1000
    return [
        Figure(
            "Slack ack latency, 50 clients, 5,000 requests",
            f"p50 {percentile(acks, 50) * ms:.1f} / p99 {percentile(acks, 99) * ms:.1f} ms; "
            f"bare p50 {percentile(bare_acks, 50) * ms:.1f} / "
            f"p99 {percentile(bare_acks, 99) * ms:.1f} ms",
            ratio,
            "p99 <= 1.5 x bare",
            ratio <= 1.5,
        ),
        Figure(
            "Slack reply reaches Web API (Quizbot only)",
            f"p50 {percentile(replies, 50) * ms:.1f} / p99 {percentile(replies, 99) * ms:.1f} ms; "
            f"{len(replies)}/{REQUESTS} replies",
            percentile(replies, 99) / percentile(bare_acks, 99),
            "reported (ratio to bare ack p99)",
            len(replies) == REQUESTS,
        ),
    ]
