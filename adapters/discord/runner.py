"""Run the Discord client as a task on the shared loop, and stop it cleanly."""

from __future__ import annotations

import asyncio
import logging

import discord

from adapters.discord.client import QuizbotClient
from adapters.discord.startup import log_in, refused_session
from adapters.one_line import one_line_errors

# After this long without READY we say so (discord.py keeps retrying with back-off).
SLOW_READY_SECONDS = 30.0
CLOSE_SECONDS = 1.0

log = logging.getLogger(__name__)


class DiscordRunner:
    def __init__(self, client: QuizbotClient, token: str) -> None:
        self.client = client
        self._token = token
        one_line_errors(logging.getLogger("discord.client"))
        one_line_errors(logging.getLogger("discord.shard"))
        self._task: asyncio.Task[None] | None = None

    @property
    def mode(self) -> str:
        shards = self.client.shards_held
        return "gateway" if shards is None else f"gateway, {shards}"

    @property
    def finished(self) -> asyncio.Future[None] | None:
        """Done when the client stopped on its own (its exception says why)."""
        return self._task

    async def start(self) -> None:
        """Log in (a refused DISCORD_TOKEN ends here), connect, sync commands; returns once
        READY. Cancel it to give up connecting."""
        await log_in(self.client, self._token)
        self._task = asyncio.create_task(self._connect())
        ready = asyncio.create_task(self.client.wait_until_ready())
        try:
            done, _ = await asyncio.wait(
                {self._task, ready}, timeout=SLOW_READY_SECONDS, return_when=asyncio.FIRST_COMPLETED
            )
            if not done:
                log.warning("Discord is not ready yet; still connecting")
                await asyncio.wait({self._task, ready}, return_when=asyncio.FIRST_COMPLETED)
            if not ready.done():
                self._task.result()  # raises what ended the connection
        finally:
            ready.cancel()

    async def _connect(self) -> None:
        """The client's session(s) until they end; a refusal no reconnect cures is one line."""
        try:
            await self.client.connect(reconnect=True)
        except discord.ConnectionClosed as exc:
            refusal = refused_session(exc)
            if refusal is None:
                raise
            raise refusal from None

    async def stop(self) -> None:
        """Close, and give the client a moment to notice; one sleeping between reconnects
        (discord.py backs off up to two minutes) is cancelled instead of waited for."""
        await self.client.close()
        if self._task is not None:
            await asyncio.wait({self._task}, timeout=CLOSE_SECONDS)
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
