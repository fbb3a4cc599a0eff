"""Logging the Discord client in: a refused DISCORD_TOKEN in one line; Discord out of reach is
waited out (adapters.reaching). A gateway session Discord refuses for its shard settings is
one line too, naming the setting to change."""

from __future__ import annotations

import aiohttp
import discord

from adapters.credentials import CredentialRejected
from adapters.reaching import Unreachable, until_reachable
from bot.domain.errors import QuizError

# Close codes of Discord's gateway that no reconnect can cure, and what the operator changes.
_SESSION_REFUSALS = {
    4010: "Discord refused the shard settings (4010 Invalid shard): DISCORD_SHARD_IDS must be "
    "below DISCORD_SHARD_COUNT, and a bot Discord moved to large bot sharding must run a "
    "multiple of the shard number Discord gave it.",
    4011: "Discord requires sharding (4011 Sharding required): the bot is in more servers than "
    "one gateway session may hold (2,500). Set DISCORD_SHARD_COUNT; see Large Discord bots in "
    "the README.",
}


async def log_in(client: discord.Client, token: str, *, attempts: int | None = None) -> None:
    async def attempt() -> None:
        try:
            await client.login(token)
        except discord.LoginFailure:
            raise CredentialRejected("Discord", "DISCORD_TOKEN", "401 Unauthorized") from None
        except (aiohttp.ClientError, TimeoutError, OSError, discord.DiscordServerError) as exc:
            raise Unreachable(f"Discord is not reachable ({type(exc).__name__}: {exc})") from None

    await until_reachable(attempt, attempts=attempts)


def refused_session(exc: discord.ConnectionClosed) -> QuizError | None:
    """What to tell the operator when Discord closed the session for good with this code."""
    reason = _SESSION_REFUSALS.get(exc.code)
    return QuizError(reason) if reason else None
