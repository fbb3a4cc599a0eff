"""The Slack stand-in's views desk: trigger ids, modals opened with them, and what a person
does in a modal (submit it, search a select), built as Slack would send it to the app.

Slack's rules, from the views reference: `views.open` and `views.push` take a trigger_id that
Slack issued with an interaction, once (`exchanged_trigger_id`), within 3 s
(`expired_trigger_id`); an id Slack never issued is `invalid_trigger_id`. Every view must pass
slack_sdk's models (`invalid_arguments` otherwise). A person's modal client never submits what
its inputs forbid (an empty required input, a number out of range, text over max_length): the
desk refuses to build such a submission, so no test pretends Slack would send it.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.adapters.slack.slack_rules import TRIGGER_SECONDS, view_problems

OPENING_METHODS = frozenset({"views.open", "views.push"})


class NotSubmittable(AssertionError):
    """A submission Slack's modal would not let the person send."""


@dataclass
class Trigger:
    user_id: str
    issued: float
    used: bool = False


@dataclass
class OpenedView:
    id: str
    user_id: str
    view: dict[str, Any]  # as Slack keeps it: the app's view plus id, state and hash
    closed: bool = False


@dataclass
class ViewsDesk:
    clock: Callable[[], float] = time.monotonic
    triggers: dict[str, Trigger] = field(default_factory=dict)
    opened: list[OpenedView] = field(default_factory=list)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def mint(self, user_id: str, age: float = 0.0) -> str:
        """A trigger_id, as Slack puts in a command or click by `user_id`, `age` seconds ago."""
        trigger = f"{next(self._numbers)}.{int(time.time())}.{'ab12' * 4}"
        self.triggers[trigger] = Trigger(user_id, self.clock() - age)
        return trigger

    def open_views(self) -> list[OpenedView]:
        return [v for v in self.opened if not v.closed]

    def by_id(self, view_id: str) -> OpenedView:
        (found,) = [v for v in self.opened if v.id == view_id]
        return found

    # --- The Web API side -----------------------------------------------------------------

    def refusal(self, method: str, args: Mapping[str, Any]) -> dict[str, Any] | None:
        """The error a views.* method answers, or None when Slack would take the call."""
        problems = view_problems(args.get("view"))
        if problems:
            error = "view_too_large" if problems == ["view_too_large"] else "invalid_arguments"
            return {
                "ok": False,
                "error": error,
                "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
            }
        if method in OPENING_METHODS:
            return self._trigger_refusal(str(args.get("trigger_id") or ""))
        if method == "views.update":
            known = {v.id for v in self.open_views()}
            if args.get("view_id") not in known:
                return {"ok": False, "error": "not_found"}
        return None

    def _trigger_refusal(self, trigger_id: str) -> dict[str, Any] | None:
        if not trigger_id:
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": ["[ERROR] missing required field: trigger_id"]},
            }
        trigger = self.triggers.get(trigger_id)
        if trigger is None:
            return {"ok": False, "error": "invalid_trigger_id"}
        if trigger.used:
            return {"ok": False, "error": "exchanged_trigger_id"}
        if self.clock() - trigger.issued > TRIGGER_SECONDS:
            return {"ok": False, "error": "expired_trigger_id"}
        return None

    def answer(self, method: str, args: Mapping[str, Any]) -> dict[str, Any]:
        """views.open, views.push or views.update that passed `refusal`."""
        view = _json(args["view"])
        if method == "views.update":
            kept = self.by_id(str(args["view_id"]))
            kept.view = self._kept(view, kept.id)
            return {"ok": True, "view": kept.view}
        trigger = self.triggers[str(args["trigger_id"])]
        trigger.used = True
        view_id = f"V{len(self.opened) + 1:04d}"
        kept = OpenedView(view_id, trigger.user_id, self._kept(view, view_id))
        self.opened.append(kept)
        return {"ok": True, "view": kept.view}

    @staticmethod
    def _kept(view: dict[str, Any], view_id: str) -> dict[str, Any]:
        return view | {
            "id": view_id,
            "team_id": "T1",
            "app_id": "A1",
            "bot_id": "BBOT",
            "root_view_id": view_id,
            "state": {"values": {}},
            "hash": f"{time.time():.6f}",
        }

    # --- What the person does in an open modal ----------------------------------------------

    def submission(
        self, view_id: str, changes: Mapping[str, object] | None = None
    ) -> dict[str, Any]:
        """The view_submission payload for the modal as the person leaves it: every input
        holds its initial value unless `changes` sets it (by block id: text, a time, an
        option value, a list of option values for checkboxes; None empties it)."""
        opened = self.by_id(view_id)
        assert not opened.closed, f"view {view_id} was closed"
        changes = dict(changes or {})
        values: dict[str, Any] = {}
        for block in opened.view["blocks"]:
            if block["type"] != "input":
                continue
            block_id, element = block["block_id"], block["element"]
            chosen = changes.pop(block_id) if block_id in changes else _initial(element)
            _check_submittable(block, chosen)
            values[block_id] = {element["action_id"]: _state(element, chosen)}
        assert not changes, f"no such input blocks: {sorted(changes)}"
        user = opened.user_id
        return {
            "type": "view_submission",
            "team": {"id": "T1", "domain": "t"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T1"},
            "api_app_id": "A1",
            "token": "legacy",
            "trigger_id": self.mint(user),
            "view": opened.view | {"state": {"values": values}},
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }

    def suggestion(self, view_id: str, block_id: str, typed: str) -> dict[str, Any]:
        """The block_suggestion payload Slack sends as the person types into an external
        select (only from its min_query_length on)."""
        opened = self.by_id(view_id)
        (element,) = [b["element"] for b in opened.view["blocks"] if b.get("block_id") == block_id]
        assert element["type"] == "external_select"
        assert len(typed) >= element.get("min_query_length", 3), "Slack would not ask yet"
        user = opened.user_id
        return {
            "type": "block_suggestion",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T1"},
            "container": {"type": "view", "view_id": view_id},
            "api_app_id": "A1",
            "token": "legacy",
            "action_id": element["action_id"],
            "block_id": block_id,
            "value": typed,
            "team": {"id": "T1", "domain": "t"},
            "view": opened.view,
        }

    def acknowledged(self, view_id: str, ack: object) -> None:
        """The app acked a submission: a plain or `clear` ack closes the modal; `errors` keep
        it open; `update` replaces it."""
        opened = self.by_id(view_id)
        action = ack.get("response_action") if isinstance(ack, dict) else None
        if action in (None, "clear"):
            opened.closed = True
        elif action == "update" and isinstance(ack, dict):
            opened.view = self._kept(ack["view"], view_id)


def _json(value: object) -> dict[str, Any]:
    parsed = json.loads(value) if isinstance(value, str) else value
    assert isinstance(parsed, dict)
    return parsed


def _initial(element: Mapping[str, Any]) -> object:
    kind = element["type"]
    if kind == "timepicker":
        return element.get("initial_time")
    if kind in ("static_select", "external_select"):
        option = element.get("initial_option")
        return option["value"] if option else None
    if kind == "checkboxes":
        return [option["value"] for option in element.get("initial_options", [])]
    return element.get("initial_value")


def _check_submittable(block: Mapping[str, Any], chosen: object) -> None:
    element, label = block["element"], block["label"]["text"]
    empty = chosen is None or chosen == "" or chosen == []
    if empty and not block.get("optional"):
        raise NotSubmittable(f"{label!r} is required: Slack's modal would not submit")
    if empty:
        return
    kind = element["type"]
    if kind == "number_input":
        number = float(str(chosen))
        if not element.get("is_decimal_allowed") and not number.is_integer():
            raise NotSubmittable(f"{label!r} takes whole numbers only")
        low, high = element.get("min_value"), element.get("max_value")
        if (low is not None and number < float(low)) or (high is not None and number > float(high)):
            raise NotSubmittable(f"{label!r} must be from {low} to {high}")
    if kind == "plain_text_input" and len(str(chosen)) > int(element.get("max_length", 3000)):
        raise NotSubmittable(f"{label!r} is longer than its max_length")
    if kind in ("static_select", "checkboxes"):
        listed = {option["value"] for option in element["options"]}
        picked = chosen if isinstance(chosen, list) else [chosen]
        if not set(picked) <= listed:
            raise NotSubmittable(f"{label!r} offers no option {picked!r}")


def _state(element: Mapping[str, Any], chosen: object) -> dict[str, Any]:
    kind = element["type"]
    if kind == "timepicker":
        return {"type": kind, "selected_time": chosen or None}
    if kind in ("static_select", "external_select"):
        return {"type": kind, "selected_option": _option(element, chosen) if chosen else None}
    if kind == "checkboxes":
        picked = chosen if isinstance(chosen, list) else []
        return {"type": kind, "selected_options": [_option(element, v) for v in picked]}
    return {"type": kind, "value": None if chosen in (None, "") else str(chosen)}


def _option(element: Mapping[str, Any], value: object) -> dict[str, Any]:
    for option in element.get("options", []):
        if option["value"] == value:
            return dict(option)
    return {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}
