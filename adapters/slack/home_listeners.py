"""The App Home's Slack events and clicks in, `SlackHome` calls out. Translation only.

`app_home_opened` is acknowledged by Bolt before this runs; a retry of an event already
handled is dropped here (`SeenEvents`). Clicks on the home are acknowledged at once: a setting
change re-publishes the home, a button posts its reply in the person's direct messages. The
timezone select's search is answered in the acknowledgement, as Slack requires.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from adapters.slack import home_payloads, home_view, modals, payloads
from adapters.slack.event_ids import SeenEvents
from adapters.slack.failures import SLACK_FAILURES, describe
from adapters.slack.home import SlackHome
from adapters.slack.home_payloads import HOME_OPENED
from adapters.slack.payloads import Malformed
from adapters.slack.request_workspace import request_workspace
from bot.daily.ports import WorkspaceUnavailable

log = logging.getLogger(__name__)


def register(app: AsyncApp, home: SlackHome, seen: SeenEvents | None = None) -> None:
    seen = seen or SeenEvents()

    async def on_home_opened(body: dict[str, Any], context: AsyncBoltContext) -> None:
        try:
            event_id = home_payloads.event_id(body)
            opened = home_payloads.home_opened(_event(body))
        except Malformed as exc:
            log.warning("Ignored a malformed %s event from Slack: %s", HOME_OPENED, exc)
            return
        if not seen.first_time(event_id):
            log.info("Event %s was handled already; its retry is dropped", event_id)
            return
        if opened.tab != "home":
            return  # the Messages tab: nothing to publish
        workspace = request_workspace(context)
        await _logged(home.opened(opened.user_id, opened.channel_id, workspace), "open the home")

    async def on_home_action(
        ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        await ack()
        try:
            clicks = home_payloads.home_clicks(body)
        except Malformed as exc:
            log.warning("Ignored a malformed click on the home: %s", exc)
            return
        user, pack = clicks.user_id, clicks.pack_id
        workspace = request_workspace(context)
        for chosen in clicks.chosen:
            action = home_view.read_action(chosen.action_id, chosen.value)
            if action is None:
                log.warning("Ignored an unknown action %r on the home", chosen.action_id[:80])
            elif action.setting_id is not None:
                change = home.change(user, pack, action.setting_id, action.value, workspace)
                await _logged(change, "change a setting on the home")
            elif action.action_id is not None:
                press = home.press(user, pack, action.action_id, action.value, workspace)
                await _logged(press, "answer a button on the home")

    async def on_timezone_search(ack: AsyncAck, body: dict[str, Any]) -> None:
        """The home's timezone select searches the same zones as the forms' one."""
        try:
            typed = payloads.suggestion_query(body)
        except Malformed as exc:
            log.warning("Ignored a malformed options request from the home: %s", exc)
            typed = ""
        await ack(options=modals.timezone_options(typed) if typed.strip() else [])

    app.event(HOME_OPENED)(on_home_opened)
    app.action(home_view.HOME_ACTIONS)(on_home_action)
    app.block_suggestion(home_view.TIMEZONE_ACTION)(on_timezone_search)


def _event(body: Mapping[str, Any]) -> Mapping[str, Any]:
    event = body.get("event")
    if not isinstance(event, dict):
        raise Malformed("event_callback without an event")
    return event


async def _logged(work: Awaitable[None], what: str) -> None:
    """Run it; a failure is logged once (one line when Slack failed us)."""
    try:
        await work
    except WorkspaceUnavailable as exc:
        log.error("Could not %s: %s", what, exc)
    except SLACK_FAILURES as exc:
        log.error("Could not %s: %s", what, describe(exc))
    except Exception:
        log.exception("Could not %s", what)
