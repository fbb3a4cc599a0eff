"""The bot scopes Quizbot needs, derived from the Slack Web API methods it calls.

This is the one place that knows them: the manifest is generated from it, the README's list is
checked against it, and a test fails when the Slack code calls a method missing from it.
Scopes per method are from Slack's method reference ("Required scopes", bot token).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MethodScopes:
    method: str
    scopes: tuple[str, ...]
    why: str


WEB_API_METHODS: tuple[MethodScopes, ...] = (
    MethodScopes("auth.test", (), "Bolt checks the token on the first request"),
    MethodScopes(
        "users.info", ("users:read",), "display names, timezones and who is a workspace admin"
    ),
    MethodScopes(
        "chat.postMessage",
        ("chat:write", "chat:write.public"),
        "daily questions, answers in their thread and reminders; `chat:write.public` posts in "
        "public channels the bot was never invited to",
    ),
    MethodScopes(
        "chat.postEphemeral",
        ("chat:write",),
        "a submitted form's reply, privately, once the response_url that opened it has expired",
    ),
    MethodScopes("views.open", (), "opens a form (a modal) on a button or a bare command"),
    MethodScopes(
        "conversations.open",
        ("im:write",),
        "opens the direct message that gets pictures, exports and reminders",
    ),
    MethodScopes(
        "files.getUploadURLExternal", ("files:write",), "uploads the stats picture and the export"
    ),
    MethodScopes(
        "files.completeUploadExternal",
        ("files:write",),
        "shares an upload in the direct message, or keeps a home's picture unshared",
    ),
    MethodScopes("files.delete", ("files:write",), "deletes a home picture no home shows any more"),
    MethodScopes("views.publish", (), "publishes each person's App Home"),
    MethodScopes(
        "conversations.history",
        ("channels:history", "groups:history"),
        "finds a daily post whose fate a crash left unknown (public and private channels)",
    ),
    MethodScopes(
        "conversations.join",
        ("channels:join",),
        "joins a public channel it posted in uninvited, to read that history",
    ),
    MethodScopes(
        "apps.connections.open",
        (),
        "Socket Mode; called with the app-level token (`connections:write`), not a bot scope",
    ),
)

# Not Web API methods: slash commands and buttons (interactivity) need `commands`.
FEATURE_SCOPES: tuple[MethodScopes, ...] = (
    MethodScopes("slash commands and buttons", ("commands",), "the /quiz commands and buttons"),
    MethodScopes("app_home_opened event", (), "publishes the home when someone opens it"),
)


def scopes_for(method: str) -> tuple[str, ...]:
    """The bot scopes one Web API method needs; KeyError for a method not in the table."""
    for entry in WEB_API_METHODS:
        if entry.method == method:
            return entry.scopes
    raise KeyError(method)


def bot_scopes() -> list[str]:
    """Every bot scope, each once, in the order first needed (as the manifest lists them)."""
    ordered: dict[str, None] = {}
    for entry in FEATURE_SCOPES + WEB_API_METHODS:
        ordered.update(dict.fromkeys(entry.scopes))
    return list(ordered)
