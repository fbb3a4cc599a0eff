"""Which bot token speaks for which Slack workspace.

A deployment serves one workspace with `SLACK_BOT_TOKEN`, or many that installed the app
through OAuth, each with its own token. Whatever Quizbot sends on its own initiative (daily
posts, reveals, reminders, Home refreshes) asks this for the token of the channel's or the
person's workspace; requests Slack sends in are authorised by Bolt itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Workspace:
    """A Slack team, or an Enterprise Grid organisation for an org-wide install."""

    team_id: str | None
    enterprise_id: str | None = None


class BotTokens(Protocol):
    async def token_for(self, workspace: Workspace) -> str | None:
        """The bot token installed in that workspace, or None when it has none (never
        installed, uninstalled, or its token was revoked)."""
        ...


@dataclass(frozen=True)
class SingleToken:
    """Single-workspace mode: the one token speaks for every workspace."""

    token: str

    async def token_for(self, workspace: Workspace) -> str | None:
        return self.token
