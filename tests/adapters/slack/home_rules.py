"""Slack's published rules for App Home views (`views.publish`), as the stand-in enforces them.

Beyond every view's rules (slack_rules.view_problems: slack_sdk's `View` model, at most 100
blocks, unique block and action ids), from the views.publish, Block Kit and App Home
references: the view must be of type `home`, a select's or radio buttons' `initial_option`
must be among its options (wherever the element is, not only in input blocks), and an `image`
shows a `slack_file` only when that file exists in the workspace (uploaded, completed, not
deleted). Slack answers `invalid_arguments` with the problems in `response_metadata.messages`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import Any

from tests.adapters.slack.slack_rules import view_problems

WITH_OPTIONS = frozenset({"static_select", "radio_buttons", "checkboxes"})


def home_view_problems(view: object, files: Collection[str]) -> list[str]:
    """[] when Slack would publish this home view; `files` are the workspace's file ids.
    Any view's rules first (`slack_rules.view_problems`), then the home's."""
    problems = view_problems(view)
    if problems:
        return problems
    parsed = json.loads(view) if isinstance(view, str) else view
    assert isinstance(parsed, dict)
    if parsed.get("type") != "home":
        return [f"views.publish takes a home view, not {parsed.get('type')!r} [/view/type]"]
    for index, block in enumerate(parsed.get("blocks") or []):
        where = f"[/view/blocks/{index}]"
        problems += [f"{p} {where}" for p in _option_problems(block)]
        if block.get("type") == "image" and "slack_file" in block:
            file_id = (block.get("slack_file") or {}).get("id")
            if file_id not in files:
                problems.append(f"invalid slack file {file_id!r} {where}/slack_file")
    return problems


def _option_problems(block: dict[str, Any]) -> Iterator[str]:
    for element in _elements(block):
        if element.get("type") in WITH_OPTIONS and "initial_option" in element:
            values = [option.get("value") for option in element.get("options") or []]
            initial = (element.get("initial_option") or {}).get("value")
            if initial not in values:
                yield f"initial_option {initial!r} is not one of the options"


def _elements(block: dict[str, Any]) -> Iterator[dict[str, Any]]:
    candidates = [*(block.get("elements") or []), block.get("accessory"), block.get("element")]
    yield from (c for c in candidates if isinstance(c, dict))
