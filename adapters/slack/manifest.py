"""A Slack app manifest generated from the installed packs, for "Create app from manifest"."""

from __future__ import annotations

from typing import Any

from adapters.slack.home_payloads import BOT_EVENTS
from adapters.slack.scopes import bot_scopes
from bot.domain.content import Pack


def manifest(
    packs: list[Pack], *, request_url: str | None = None, name: str = "Quizbot"
) -> dict[str, Any]:
    """Socket Mode unless a public `request_url` (ending in /slack/events) is given."""
    commands = []
    for pack in packs:
        command: dict[str, Any] = {
            "command": f"/{pack.command}",
            "description": (pack.description or pack.title)[:100],
            "usage_hint": "[level] [topic] [number] | answer N … | mock | review | stats | help",
            "should_escape": False,
        }
        if request_url:
            command["url"] = request_url
        commands.append(command)
    interactivity: dict[str, Any] = {"is_enabled": True}
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    if request_url:
        interactivity["request_url"] = request_url
        # Where Slack asks for a searchable select's options (the timezone in forms).
        interactivity["message_menu_options_url"] = request_url
        events["request_url"] = request_url
    return {
        "display_information": {
            "name": name,
            "description": "Interview practice with spaced repetition",
            "background_color": "#2c2d30",
        },
        "features": {
            # The Home tab is each person's page (progress and settings); mock interviews
            # and the home's questions run in the Messages tab, where people type too.
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": name.lower(), "always_online": True},
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": bot_scopes()}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }
