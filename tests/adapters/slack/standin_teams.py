"""The stand-in's workspaces: which team each bot token speaks for, and what it may touch.

Slack issues every workspace's installation its own bot token. A token only sees its own
workspace: a channel, a person or a file of another workspace does not exist for it (Slack
answers `channel_not_found`, `user_not_found`, `file_not_found`, or `invalid_arguments` for a
home view), and it names its own team in `auth.test`. A token Slack never issued is
`invalid_auth`; one that was revoked (the app uninstalled, the token rotated away) is
`token_revoked`. Channels, people and files belong to the first workspace (`DEFAULT_TEAM`)
unless a test places them elsewhere.

Kept apart from the rest of the stand-in; the OAuth flow's `oauth.v2.access` adds the tokens it
issues to `token_teams` in the same shape.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TEAM = "T1"
# Web API methods whose `channel` argument must be in the token's workspace.
CHANNEL_METHODS = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.update",
        "conversations.history",
        "conversations.join",
    }
)
# ...and those whose person must be.
USER_ARGUMENTS = {"users.info": "user", "conversations.open": "users", "views.publish": "user_id"}


@dataclass
class SlackTeams:
    token_teams: dict[str, str] = field(default_factory=dict)  # bot token → team id
    channel_teams: dict[str, str] = field(default_factory=dict)  # channel → team id
    user_teams: dict[str, str] = field(default_factory=dict)  # person → team id
    file_teams: dict[str, str] = field(default_factory=dict)  # uploaded file → team id
    revoked_tokens: set[str] = field(default_factory=set)

    def revoke(self, token: str) -> None:
        """The token stops working, as when the workspace uninstalls the app."""
        self.revoked_tokens.add(token)

    def team_of_token(self, token: str) -> str:
        return self.token_teams[token]

    def team_of_user(self, user: str) -> str:
        return self.user_teams.get(user, DEFAULT_TEAM)

    def team_of_channel(self, channel: str) -> str:
        """A direct message with the app (`D` + the person's id here) is their workspace's."""
        if channel in self.channel_teams:
            return self.channel_teams[channel]
        if channel.startswith("D") and len(channel) > 1:
            return self.team_of_user(channel[1:])
        return DEFAULT_TEAM

    def token_refusal(self, token: str) -> dict[str, Any] | None:
        """A bot token Slack issued and has not revoked, or why not."""
        if token in self.revoked_tokens:
            return {"ok": False, "error": "token_revoked"}
        if token not in self.token_teams:
            return {"ok": False, "error": "invalid_auth"}
        return None

    def workspace_refusal(
        self, method: str, args: dict[str, Any], token: str
    ) -> dict[str, Any] | None:
        """What Slack answers a token for a channel, person or file of another workspace."""
        team = self.team_of_token(token)
        channel = str(args.get("channel") or args.get("channel_id") or "")
        in_channel = method in CHANNEL_METHODS or method.startswith("files.")
        if channel and in_channel and self.team_of_channel(channel) != team:
            return {"ok": False, "error": "channel_not_found"}
        user_argument = USER_ARGUMENTS.get(method)
        user = str(args.get(user_argument) or "") if user_argument else ""
        if user and self.team_of_user(user) != team:
            if method == "views.publish":
                return _invalid_arguments(["invalid `user_id`"])
            return {"ok": False, "error": "user_not_found"}
        if method == "chat.postEphemeral" and self.team_of_user(str(args.get("user"))) != team:
            return {"ok": False, "error": "user_not_in_channel"}
        if method == "files.delete" and self._foreign_file(str(args.get("file")), team):
            return {"ok": False, "error": "file_not_found"}
        if method == "files.completeUploadExternal":
            listed = _json(args.get("files")) or []
            if any(self._foreign_file(str(f.get("id")), team) for f in listed):
                return {"ok": False, "error": "file_not_found"}
        if method == "views.publish":
            foreign = [f for f in _slack_files(args.get("view")) if self._foreign_file(f, team)]
            if foreign:
                return _invalid_arguments([f"invalid slack file {f!r}" for f in foreign])
        return None

    def uploaded(self, file_id: str, token: str) -> None:
        """A file belongs to the workspace whose token uploaded it."""
        self.file_teams[file_id] = self.team_of_token(token)

    def _foreign_file(self, file_id: str, team: str) -> bool:
        return file_id in self.file_teams and self.file_teams[file_id] != team


def _invalid_arguments(problems: list[str]) -> dict[str, Any]:
    return {
        "ok": False,
        "error": "invalid_arguments",
        "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
    }


def _json(value: object) -> Any:
    return json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value


def _slack_files(view: object) -> list[str]:
    parsed = _json(view)
    if not isinstance(parsed, dict):
        return []
    return [
        str((block.get("slack_file") or {}).get("id"))
        for block in parsed.get("blocks") or []
        if isinstance(block, dict) and block.get("type") == "image" and "slack_file" in block
    ]
