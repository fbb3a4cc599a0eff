"""What the stand-ins were given: daily posts per channel, and the settings that reach them."""

from __future__ import annotations

from collections import Counter

from tests.adapters.discord.standin import DiscordStandIn
from tests.adapters.slack.standin import SlackStandIn
from tests.e2e.process import clean_env, closed_port


def slack_daily_posts(slack: SlackStandIn) -> Counter[str]:
    """Top-level messages carrying a daily post's key, per channel."""
    return Counter(
        channel
        for channel, messages in slack.messages.items()
        for message in messages
        if (message.get("metadata") or {}).get("event_type") == "quizbot_daily_post"
    )


def discord_daily_posts(discord: DiscordStandIn) -> Counter[str]:
    """Messages created in the subscribed channels (a retried nonce creates none)."""
    return Counter(
        channel
        for channel, messages in discord.by_channel.items()
        if channel in discord.text_channels
        for _message in messages
    )


def slack_env(database_url: str, slack: SlackStandIn, **more: str) -> dict[str, str]:
    """Slack over HTTP (the worker role does not listen; PORT is a closed one regardless)."""
    return clean_env(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET="signing-secret",
        SLACK_API_URL=slack.api_url,
        PORT=str(closed_port()),
        **more,
    )


def discord_env(database_url: str, discord: DiscordStandIn, **more: str) -> dict[str, str]:
    return clean_env(
        DATABASE_URL=database_url,
        DISCORD_TOKEN=discord.bot_token,
        DISCORD_API_URL=discord.api_url,
        DISCORD_GATEWAY_URL=discord.gateway_url,
        **more,
    )
