"""A Slack app manifest generated from the installed packs, for "Create app from manifest"."""

from __future__ import annotations

from typing import Any

from adapters.slack.home_payloads import BOT_EVENTS
from adapters.slack.installs import REDIRECT_PATH, REMOVAL_EVENTS
from adapters.slack.runner import EVENTS_PATH
from adapters.slack.scopes import bot_scopes
from bot.domain.content import Pack


def manifest(
    packs: list[Pack],
    *,
    request_url: str | None = None,
    name: str = "Quizbot",
    distribute: bool = False,
) -> dict[str, Any]:
    """Socket Mode unless a public `request_url` (ending in /slack/events) is given.

    `distribute`: an app other workspaces install through OAuth (Add to Slack). Its redirect
    URL is /slack/oauth_redirect beside the request URL, and it subscribes the events Slack
    sends when a workspace uninstalls it or revokes its token. Needs a `request_url`: the
    install pages are served over HTTP."""
    if distribute and not request_url:
        raise ValueError("a distributed app is served over HTTP: give its request_url")
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
    oauth_config: dict[str, Any] = {"scopes": {"bot": bot_scopes()}}
    if distribute:
        assert request_url is not None
        events["bot_events"] += list(REMOVAL_EVENTS)
        oauth_config["redirect_urls"] = [redirect_url(request_url)]
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
        "oauth_config": oauth_config,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }


def redirect_url(request_url: str) -> str:
    """Where Slack sends the installer back: /slack/oauth_redirect on the request URL's host
    (and behind the same path prefix, if any)."""
    if not request_url.endswith(EVENTS_PATH):
        raise ValueError(f"{request_url!r} does not end in {EVENTS_PATH}")
    return request_url.removesuffix(EVENTS_PATH) + REDIRECT_PATH
