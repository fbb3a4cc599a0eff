"""Logging the Discord client in: a refused DISCORD_TOKEN in one line; Discord out of reach is
waited out (adapters.reaching)."""

from __future__ import annotations

import aiohttp
import discord

from adapters.credentials import CredentialRejected
from adapters.reaching import Unreachable, until_reachable


async def log_in(client: discord.Client, token: str, *, attempts: int | None = None) -> None:
    async def attempt() -> None:
        try:
            await client.login(token)
        except discord.LoginFailure:
            raise CredentialRejected("Discord", "DISCORD_TOKEN", "401 Unauthorized") from None
        except (aiohttp.ClientError, TimeoutError, OSError, discord.DiscordServerError) as exc:
            raise Unreachable(f"Discord is not reachable ({type(exc).__name__}: {exc})") from None

    await until_reachable(attempt, attempts=attempts)
