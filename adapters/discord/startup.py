"""Logging the Discord client in: a refused DISCORD_TOKEN in one line; Discord out of reach is
waited out (one log line per attempt), or given up on after `attempts` for a cron job."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from adapters.credentials import CredentialRejected
from bot.domain.errors import QuizError

FIRST_RETRY_SECONDS = 1.0
LONGEST_RETRY_SECONDS = 30.0

log = logging.getLogger(__name__)


async def log_in(client: discord.Client, token: str, *, attempts: int | None = None) -> None:
    delay = FIRST_RETRY_SECONDS
    tried = 0
    while True:
        tried += 1
        try:
            await client.login(token)
            return
        except discord.LoginFailure:
            raise CredentialRejected("Discord", "DISCORD_TOKEN", "401 Unauthorized") from None
        except (aiohttp.ClientError, TimeoutError, OSError, discord.DiscordServerError) as exc:
            problem = f"Discord is not reachable ({type(exc).__name__}: {exc})"
        if attempts is not None and tried >= attempts:
            raise QuizError(f"{problem}; gave up after {tried} attempts.")
        log.warning("%s; trying again in %.0f s", problem, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, LONGEST_RETRY_SECONDS)
