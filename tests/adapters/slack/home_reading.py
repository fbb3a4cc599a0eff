"""A person's App Home as they see and use it: its text, its widgets, and what they do on it
(open the tab, click a button, pick a setting), delivered to the app as Slack delivers it."""

from __future__ import annotations

from typing import Any

from tests.adapters.slack.conftest import MEMBER, SlackUsers, texts
from tests.adapters.slack.standin import SlackStandIn, home_action_body, sign


def home_texts(view: dict[str, Any]) -> str:
    found = [texts(view)]
    for block in view["blocks"]:
        accessory = block.get("accessory") or {}
        if isinstance(accessory.get("text"), dict):
            found.append(accessory["text"]["text"])
    return "\n".join(found)


def element(view: dict[str, Any], action_id: str) -> dict[str, Any]:
    """The interactive element whose action id starts with `action_id`."""
    for block in view["blocks"]:
        for candidate in [*(block.get("elements") or []), block.get("accessory")]:
            if isinstance(candidate, dict) and str(candidate.get("action_id", "")).startswith(
                action_id
            ):
                return candidate
    raise AssertionError(f"no element {action_id} in the home")


def button(view: dict[str, Any], label: str) -> dict[str, Any]:
    for block in view["blocks"]:
        for candidate in [*(block.get("elements") or []), block.get("accessory")]:
            if (
                isinstance(candidate, dict)
                and candidate.get("type") == "button"
                and candidate["text"]["text"] == label
            ):
                return candidate
    raise AssertionError(f"no button {label!r} in the home")


def initial(view: dict[str, Any], setting: str) -> str:
    return str(element(view, f"quizbot.home.{setting}")["initial_option"]["value"])


def pictures(view: dict[str, Any]) -> list[str]:
    return [b["slack_file"]["id"] for b in view["blocks"] if b["type"] == "image"]


def published(standin: SlackStandIn, user: str = MEMBER) -> int:
    return len(standin.homes.get(user, []))


async def open_home(slack: SlackUsers, event_id: str, user: str = MEMBER) -> dict[str, Any]:
    """The person opens the Home tab (an `app_home_opened` over HTTP); the home published."""
    seen = published(slack.standin, user)
    event = slack.standin.home_opened(user)
    assert await slack.standin.deliver_http(slack.url, slack.secret, event, event_id) == 200
    await slack.standin.wait_for(lambda: published(slack.standin, user) > seen)
    return slack.standin.home_of(user)


async def on_home(
    slack: SlackUsers, element: dict[str, Any], chosen: str = "", user: str = MEMBER
) -> None:
    """Click a button, or choose an option, on the person's published home."""
    body = home_action_body(user, slack.standin.home_of(user), element, chosen)
    assert await slack.post(body, sign(slack.secret, body)) == 200


async def change(slack: SlackUsers, setting: str, value: str) -> dict[str, Any]:
    """The person picks `value` for `setting` on their home; the home published after it."""
    seen = published(slack.standin)
    await on_home(slack, element(slack.standin.home_of(MEMBER), f"quizbot.home.{setting}"), value)
    await slack.standin.wait_for(lambda: published(slack.standin) > seen)
    return slack.standin.home_of(MEMBER)
