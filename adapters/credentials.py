"""A platform refusing one of our credentials: the setting to fix, in one line, no traceback."""

from __future__ import annotations

from bot.domain.errors import QuizError

# Which setting brings each platform's posting on (what `post-due` asks for when it is missing).
POSTING_SETTINGS = {"slack": "SLACK_BOT_TOKEN", "discord": "DISCORD_TOKEN"}

_HOW_TO_FIX = {
    "SLACK_BOT_TOKEN": "copy the Bot User OAuth Token (xoxb-...) from your Slack app's "
    "OAuth & Permissions page",
    "SLACK_APP_TOKEN": "create an app-level token with the connections:write scope (xapp-...) "
    "under Basic Information > App-Level Tokens",
    "DISCORD_TOKEN": "reset the token under Bot in the Discord developer portal and copy it again",
}


class CredentialRejected(QuizError):
    """`setting` holds a token the platform refused; `reason` is the platform's own word."""

    def __init__(self, platform: str, setting: str, reason: str) -> None:
        super().__init__(
            f"{platform} rejected {setting} ({reason}): {_HOW_TO_FIX.get(setting, 'check it')}."
        )
        self.setting = setting
