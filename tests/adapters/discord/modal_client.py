"""What Discord's client sends when a person fills in a modal the app showed, and submits it.

The client shows each text input with its prefilled `value` and each select with its `default`
options; a test types over some of them. Like the real client, it will not submit what the
modal's own rules forbid (a required input left empty, text shorter than `min_length` or longer
than `max_length`, fewer than `min_values` or more than `max_values` options, an option the select
does not offer): a test that tries gets `NotSubmittable`, where a person would see the input
outlined in red.

The submission (interaction type 5, MODAL_SUBMIT) carries the modal's custom id and, per
top-level component, only ids and values, in the shape of Discord's "Component Interaction
Response Structures": a Label as `{type: 18, id, component: {type, id, custom_id, value}}` for a
text input or `values` for a select, a Text Display as `{type: 10, id}`, a deprecated Action Row as
`{type: 1, id, components: [...]}`. Components the app sent without ids are numbered in order, as
Discord does.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from tests.adapters.discord import limits
from tests.adapters.discord.lifecycle import MODAL_SUBMIT
from tests.adapters.discord.standin import interaction_base

Typed = Mapping[str, "str | list[str]"]


class NotSubmittable(Exception):
    """The Discord client would keep the modal open and mark this input."""


def submission(
    modal: dict[str, Any],
    typed: Typed,
    who: dict[str, Any],
    token: str,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The MODAL_SUBMIT interaction for `modal` (a MODAL callback's data) with `typed` applied
    by custom id; `message` is the message whose button opened the modal, if one did."""
    unknown = set(typed) - set(_custom_ids(modal["components"]))
    if unknown:
        raise KeyError(f"the modal has no input {sorted(unknown)}")
    ids = itertools.count(1)
    components = [_submitted(component, typed, ids) for component in modal["components"]]
    data = {"custom_id": modal["custom_id"], "components": components}
    payload = interaction_base(MODAL_SUBMIT, who, data, token)
    if message is not None:
        payload["message"] = message
    return payload


def fields_of(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each Label's child by custom id, with the label it is shown under as `shown_label`."""
    found: dict[str, dict[str, Any]] = {}
    for component in modal["components"]:
        if component["type"] == limits.LABEL_TYPE:
            child = component["component"]
            found[child["custom_id"]] = {**child, "shown_label": component["label"]}
        elif component["type"] == limits.ACTION_ROW:
            for child in component["components"]:
                found[child["custom_id"]] = {**child, "shown_label": child.get("label")}
    return found


def _custom_ids(components: list[dict[str, Any]]) -> Iterator[str]:
    for component in components:
        if component["type"] == limits.LABEL_TYPE:
            yield component["component"]["custom_id"]
        elif component["type"] == limits.ACTION_ROW:
            yield from (child["custom_id"] for child in component["components"])


def _submitted(
    component: dict[str, Any], typed: Typed, ids: itertools.count[int]
) -> dict[str, Any]:
    kind = component["type"]
    own_id = component.get("id") or next(ids)
    if kind == limits.LABEL_TYPE:
        return {"type": kind, "id": own_id, "component": _input(component["component"], typed, ids)}
    if kind == limits.ACTION_ROW:
        children = [_input(child, typed, ids) for child in component["components"]]
        return {"type": kind, "id": own_id, "components": children}
    return {"type": kind, "id": own_id}


def _input(item: dict[str, Any], typed: Typed, ids: itertools.count[int]) -> dict[str, Any]:
    custom_id = item["custom_id"]
    answer: dict[str, Any] = {"type": item["type"], "id": item.get("id") or next(ids)}
    answer["custom_id"] = custom_id
    if item["type"] == limits.TEXT_INPUT:
        value = typed.get(custom_id, item.get("value") or "")
        if not isinstance(value, str):
            raise TypeError(f"{custom_id} is a text input: type a string")
        _check_text(item, value)
        answer["value"] = value
    elif item["type"] == limits.STRING_SELECT:
        default = [o["value"] for o in item["options"] if o.get("default")]
        chosen = typed.get(custom_id, default)
        if isinstance(chosen, str):
            raise TypeError(f"{custom_id} is a select: choose a list of option values")
        _check_choice(item, list(chosen))
        answer["values"] = list(chosen)
    else:
        raise NotImplementedError(f"component type {item['type']} is not modelled")
    return answer


def _check_text(item: dict[str, Any], value: str) -> None:
    custom_id = item["custom_id"]
    if not value and item.get("required", True):
        raise NotSubmittable(f"{custom_id}: this field is required")
    if not value:
        return
    low = item.get("min_length") or 0
    high = item.get("max_length") or limits.TEXT_INPUT_LENGTH
    if not low <= len(value) <= high:
        raise NotSubmittable(f"{custom_id}: {len(value)} characters, allowed {low}-{high}")


def _check_choice(item: dict[str, Any], chosen: list[str]) -> None:
    custom_id = item["custom_id"]
    offered = {option["value"] for option in item["options"]}
    if set(chosen) - offered:
        raise NotSubmittable(f"{custom_id}: {sorted(set(chosen) - offered)} is not offered")
    required = item.get("required", True)
    low = item.get("min_values", 1)
    high = item.get("max_values", 1)
    if not chosen and not required:
        return
    if not max(low, 1 if required else 0) <= len(chosen) <= high:
        raise NotSubmittable(f"{custom_id}: {len(chosen)} chosen, allowed {low}-{high}")
