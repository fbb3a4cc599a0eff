"""Workspaces that installed the app earlier: their rows written as Bolt's OAuth flow saves them
(slack_sdk's SQLAlchemy store), for tests that start from there, such as `post-due`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from slack_sdk.oauth.installation_store import Installation

from adapters.slack.installs import installation_store
from bot.config import Settings
from bot.storage.engine import create_engine

SCOPES = "commands,chat:write,chat:write.public"


async def save_installations(settings: Settings, tokens: Mapping[str, str]) -> None:
    """One installation per team id → bot token, on settings' DATABASE_URL (SLACK_CLIENT_ID)."""
    engine = create_engine(settings.database_url)
    try:
        store = installation_store(settings, engine)
        for team, token in tokens.items():
            await store.async_save(
                Installation(
                    app_id="A1",
                    enterprise_id=None,
                    team_id=team,
                    bot_token=token,
                    bot_id=f"B{team}",
                    bot_user_id=f"UBOT{team}",
                    bot_scopes=SCOPES,
                    user_id="UINSTALLER",
                    installed_at=datetime.now(UTC).timestamp(),
                )
            )
    finally:
        await engine.dispose()
