"""What Slack sends about the App Home, checked and typed before anything acts on it: the
`app_home_opened` event, and clicks on the home (which, unlike clicks on a message, carry no
channel and no response_url)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.slack.payloads import Malformed, actions_of

HOME_OPENED = "app_home_opened"
# The Events API event types Quizbot handles: the manifest subscribes exactly these.
BOT_EVENTS = (HOME_OPENED,)
SELECTS = frozenset({"static_select", "external_select", "radio_buttons"})


@dataclass(frozen=True)
class HomeOpened:
    user_id: str
    channel_id: str  # the person's direct messages with the app; "" if Slack left it out
    tab: str  # "home" or "messages"


@dataclass(frozen=True)
class Chosen:
    action_id: str
    value: str


@dataclass(frozen=True)
class HomeClicks:
    user_id: str
    user_name: str
    pack_id: str  # from the view's private_metadata; "" for the first pack
    chosen: tuple[Chosen, ...]


def event_id(body: Mapping[str, Any]) -> str:
    """Every Events API delivery names its event; retries of one event carry the same id."""
    value = body.get("event_id")
    if not isinstance(value, str) or not value:
        raise Malformed("event_callback without an event_id")
    return value


def home_opened(event: Mapping[str, Any]) -> HomeOpened:
    user = event.get("user")
    if not isinstance(user, str) or not user:
        raise Malformed("app_home_opened without a user")
    channel = event.get("channel", "")
    tab = event.get("tab", "home")  # events from before the Messages tab existed had none
    if not isinstance(channel, str) or not isinstance(tab, str):
        raise Malformed("app_home_opened with a channel or tab that is not text")
    return HomeOpened(user, channel, tab)


def home_clicks(body: Mapping[str, Any]) -> HomeClicks:
    """A block_actions payload from the home tab: buttons, selects and radio buttons."""
    user = body.get("user")
    view = body.get("view")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not user["id"]:
        raise Malformed("the click has no user.id")
    if not isinstance(view, dict) or view.get("type") != "home":
        raise Malformed("a home action must come from a home view")
    pack_id = view.get("private_metadata") or ""
    if not isinstance(pack_id, str):
        raise Malformed("private_metadata must be text")
    name = user.get("name") or user.get("username") or ""
    chosen = tuple(_chosen(action) for action in actions_of(body))
    return HomeClicks(user["id"], name if isinstance(name, str) else "", pack_id, chosen)


def _chosen(action: Mapping[str, Any]) -> Chosen:
    kind = action.get("type")
    action_id = str(action["action_id"])
    if kind == "button":
        value = action.get("value", "")
        if not isinstance(value, str):
            raise Malformed("a button's value must be text")
        return Chosen(action_id, value)
    if kind in SELECTS:
        option = action.get("selected_option")
        if not isinstance(option, dict) or not isinstance(option.get("value"), str):
            raise Malformed(f"a {kind} without a selected option")
        return Chosen(action_id, option["value"])
    raise Malformed(f"unexpected element {str(kind)[:40]!r} on the home")
