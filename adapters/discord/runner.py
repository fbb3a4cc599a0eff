"""Run the Discord client as a task on the shared loop, and stop it cleanly."""

from __future__ import annotations

import asyncio

from adapters.discord.client import QuizbotClient

READY_TIMEOUT_SECONDS = 60.0


class DiscordRunner:
    def __init__(self, client: QuizbotClient, token: str) -> None:
        self.client = client
        self._token = token
        self._task: asyncio.Task[None] | None = None

    @property
    def mode(self) -> str:
        return "gateway"

    async def start(self) -> None:
        """Log in, connect, sync commands; returns once READY, or raises what went wrong."""
        self._task = asyncio.create_task(self.client.start(self._token))
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {self._task, ready}, timeout=READY_TIMEOUT_SECONDS, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self._task in done:
                self._task.result()  # raises the login or connection error
            raise TimeoutError("Discord did not become ready in time")

    async def stop(self) -> None:
        await self.client.close()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
