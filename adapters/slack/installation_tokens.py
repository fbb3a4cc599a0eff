"""`BotTokens` for many workspaces: each one's token from its OAuth installation.

The rows are the ones Bolt saved when the workspace installed the app (adapters.slack.installs)
and deleted when it uninstalled it or revoked the token, so a workspace that is gone has no
token. Looked up on every call, not cached: a token never outlives its uninstall here.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore

from adapters.slack.workspaces import Workspace


class InstallationTokens:
    def __init__(self, store: AsyncInstallationStore) -> None:
        self._store = store

    async def token_for(self, workspace: Workspace) -> str | None:
        """The workspace's own install, else its organisation's org-wide install."""
        bot = await self._store.async_find_bot(
            enterprise_id=workspace.enterprise_id, team_id=workspace.team_id
        )
        if bot is None and workspace.enterprise_id is not None and workspace.team_id is not None:
            bot = await self._store.async_find_bot(
                enterprise_id=workspace.enterprise_id, team_id=None, is_enterprise_install=True
            )
        return bot.bot_token if bot is not None else None
