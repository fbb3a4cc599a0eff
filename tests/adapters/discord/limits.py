"""Discord's documented limits on what an app sends, answered the way Discord answers them.

A body that breaks a limit gets 400 with code 50035 ("Invalid Form Body") and an error tree that
names the field, e.g. `{"embeds": {"0": {"description": {"_errors": [...]}}}}`. The figures are
Discord's developer docs, checked against its OpenAPI description (discord/discord-api-spec,
`specs/openapi.json` at commit 74fda0f): IncomingWebhookRequestPartial and
IncomingWebhookUpdateRequestPartial (content 2000, 10 embeds, 10 attachments), RichEmbed* (title
256, description 4096, author name 256, footer 2048, 25 fields of 256/1024),
ActionRowComponentForMessageRequest (1-5 items), ButtonComponentForMessageRequest (custom_id
1-100, label 80), ModalInteractionCallbackRequestData (title 1-45) and the autocomplete choices
(25, name 1-100). Where the two disagree the stricter figure is used: string choice values
(docs 100, spec 6000) and action rows in a message without the components-v2 flag (docs 5, spec
40). Application commands follow the docs' Application Commands page: names 1-32 characters and
lower case where a letter has a lower case, descriptions 1-100, 25 options, 25 choices, and
4,000 characters across a command's names, descriptions and choice values.

Modals (the MODAL callback, type 9) follow the docs' Components reference and the spec's
ModalInteractionCallbackRequestData, LabelComponentForModalRequest,
TextInputComponentForModalRequest, StringSelectComponentForModalRequest and
TextDisplayComponentForModalRequest: title 1-45, custom_id 1-100, 1-5 top-level components (the
spec allows 40; the docs' 5 is stricter), each a Label (label 1-45, description 1-100, one child),
a Text Display (content 1-4000) or a deprecated Action Row holding one Text Input; a Text Input
has custom_id 1-100, style 1 or 2, label 1-45 (required only in an Action Row), placeholder up to
100, min_length 0-4000, max_length 1-4000, value up to 4000; a String Select has 1-25 options
(label and value 1-100, description up to 100), placeholder up to 150, min_values 0-25 (at least 1
while required), max_values 1-25, and may not be disabled in a modal. Custom ids are unique within
the modal. Other Label children (user, role, channel selects, file uploads, radio and checkbox
groups) are checked for their custom_id only: Quizbot sends none of them.
"""

from __future__ import annotations

import re
from typing import Any

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_AUTHOR_NAME = 256
EMBED_FOOTER = 2048
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBEDS_TOTAL = 6000
ACTION_ROWS = 5
ROW_ITEMS = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
ATTACHMENTS = 10
MODAL_TITLE = 45
MODAL_COMPONENTS = 5
LABEL = 45
LABEL_DESCRIPTION = 100
TEXT_INPUT_LENGTH = 4000
TEXT_INPUT_PLACEHOLDER = 100
TEXT_DISPLAY = 4000
SELECT_OPTIONS = 25
SELECT_PLACEHOLDER = 150
OPTION_TEXT = 100
ACTION_ROW, STRING_SELECT, TEXT_INPUT, TEXT_DISPLAY_TYPE, LABEL_TYPE = 1, 3, 4, 10, 18
TEXT_INPUT_STYLES = {1, 2}
# What a Label may hold besides text inputs and string selects: user, role, mentionable and
# channel selects, file upload, radio group, checkbox group, checkbox.
OTHER_LABEL_CHILDREN = {5, 6, 7, 8, 19, 21, 22, 23}
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
THREAD_NAME = 100
COMPONENTS_V2 = 1 << 15
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
COMMAND_TOTAL = 4000
# Discord's pattern is ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$; \w is Python's nearest.
COMMAND_NAME_PATTERN = re.compile(r"[-_'\w]{1,32}")
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
BUTTON_STYLES = {1, 2, 3, 4, 5, 6}
LINK = 5

ErrorTree = dict[str, Any]


def invalid_form_body(errors: ErrorTree) -> dict[str, Any]:
    return {"message": "Invalid Form Body", "code": 50035, "errors": errors}


def message_errors(body: dict[str, Any]) -> ErrorTree:
    """Problems with a message body (create or edit); empty when Discord would accept it."""
    errors: ErrorTree = {}
    content = body.get("content")
    if content is not None:
        _max_length(errors, ["content"], content, CONTENT)
    embeds = body.get("embeds") or []
    if len(embeds) > EMBEDS:
        _put(errors, ["embeds"], _too_many(EMBEDS))
    for index, embed in enumerate(embeds):
        _embed_errors(errors, ["embeds", str(index)], embed)
    if sum(embed_size(e) for e in embeds) > EMBEDS_TOTAL:
        _put(
            errors,
            ["embeds"],
            {
                "code": "MAX_EMBED_SIZE_EXCEEDED",
                "message": f"Embed size exceeds maximum size of {EMBEDS_TOTAL}",
            },
        )
    components = body.get("components") or []
    v2 = bool((body.get("flags") or 0) & COMPONENTS_V2)
    if not v2 and len(components) > ACTION_ROWS:
        _put(errors, ["components"], _too_many(ACTION_ROWS))
    seen: set[str] = set()
    for index, row in enumerate(components):
        _row_errors(errors, ["components", str(index)], row, seen)
    attachments = body.get("attachments") or []
    if len(attachments) > ATTACHMENTS:
        _put(errors, ["attachments"], _too_many(ATTACHMENTS))
    return errors


def empty_message() -> dict[str, Any]:
    return {"message": "Cannot send an empty message", "code": 50006}


def embed_size(embed: dict[str, Any]) -> int:
    """What counts towards the 6000: title, description, field names and values, footer, author."""
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    size += len((embed.get("author") or {}).get("name") or "")
    size += len((embed.get("footer") or {}).get("text") or "")
    for field in embed.get("fields") or []:
        size += len(field.get("name") or "") + len(field.get("value") or "")
    return size


def autocomplete_errors(data: dict[str, Any]) -> ErrorTree:
    errors: ErrorTree = {}
    choices = data.get("choices") or []
    if len(choices) > CHOICES:
        _put(errors, ["data", "choices"], _too_many(CHOICES))
    for index, choice in enumerate(choices):
        path = ["data", "choices", str(index)]
        _length(errors, [*path, "name"], choice.get("name") or "", 1, CHOICE_NAME)
        value = choice.get("value")
        if isinstance(value, str):
            _length(errors, [*path, "value"], value, 0, CHOICE_VALUE)
    return errors


def command_errors(command: dict[str, Any]) -> ErrorTree:
    """Problems with a slash command (type 1) as synced; empty when Discord would accept it."""
    errors: ErrorTree = {}
    _command_node_errors(errors, [], command)
    if command_size(command) > COMMAND_TOTAL:
        _put(errors, [], _error("APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size"))
    return errors


def command_size(node: dict[str, Any]) -> int:
    """Names, descriptions and choice names and values, across every option and subcommand."""
    size = len(node.get("name") or "") + len(node.get("description") or "")
    for choice in node.get("choices") or []:
        size += len(choice.get("name") or "") + len(str(choice.get("value", "")))
    return size + sum(command_size(option) for option in node.get("options") or [])


def _command_node_errors(errors: ErrorTree, path: list[str], node: dict[str, Any]) -> None:
    name = node.get("name") or ""
    if not COMMAND_NAME_PATTERN.fullmatch(name) or name != name.lower():
        _put(errors, [*path, "name"], _error("APPLICATION_COMMAND_INVALID_NAME", "Invalid name"))
    description = node.get("description")
    _length(errors, [*path, "description"], description or "", 1, COMMAND_DESCRIPTION)
    options = node.get("options") or []
    if len(options) > COMMAND_OPTIONS:
        _put(errors, [*path, "options"], _too_many(COMMAND_OPTIONS))
    for index, option in enumerate(options):
        _command_node_errors(errors, [*path, "options", str(index)], option)
    choices = node.get("choices") or []
    if len(choices) > CHOICES:
        _put(errors, [*path, "choices"], _too_many(CHOICES))
    for index, choice in enumerate(choices):
        where = [*path, "choices", str(index)]
        _length(errors, [*where, "name"], choice.get("name") or "", 1, CHOICE_NAME)
        if isinstance(choice.get("value"), str):
            _length(errors, [*where, "value"], choice["value"], 1, CHOICE_VALUE)


def modal_errors(data: dict[str, Any]) -> ErrorTree:
    """Problems with a MODAL callback's data; empty when Discord would show the modal."""
    errors: ErrorTree = {}
    _length(errors, ["data", "title"], data.get("title") or "", 1, MODAL_TITLE)
    _length(errors, ["data", "custom_id"], data.get("custom_id") or "", 1, CUSTOM_ID)
    components = data.get("components") or []
    if not 1 <= len(components) <= MODAL_COMPONENTS:
        _put(errors, ["data", "components"], _bad_length(1, MODAL_COMPONENTS))
    seen: set[str] = set()
    for index, component in enumerate(components):
        path = ["data", "components", str(index)]
        kind = component.get("type")
        if kind == LABEL_TYPE:
            _label_errors(errors, path, component, seen)
        elif kind == TEXT_DISPLAY_TYPE:
            _length(errors, [*path, "content"], component.get("content") or "", 1, TEXT_DISPLAY)
        elif kind == ACTION_ROW:
            items = component.get("components") or []
            if len(items) != 1 or items[0].get("type") != TEXT_INPUT:
                _put(errors, [*path, "components"], _bad_length(1, 1))
            for number, item in enumerate(items):
                where = [*path, "components", str(number)]
                if item.get("label") is None:
                    _put(errors, [*where, "label"], _required())
                _text_input_errors(errors, where, item, seen)
        else:
            _put(errors, [*path, "type"], _not_allowed_here())
    return errors


def _label_errors(
    errors: ErrorTree, path: list[str], label: dict[str, Any], seen: set[str]
) -> None:
    _length(errors, [*path, "label"], label.get("label") or "", 1, LABEL)
    description = label.get("description")
    if description is not None:
        _length(errors, [*path, "description"], description, 1, LABEL_DESCRIPTION)
    child = label.get("component")
    where = [*path, "component"]
    if not isinstance(child, dict):
        _put(errors, where, _required())
        return
    kind = child.get("type")
    if kind == TEXT_INPUT:
        _text_input_errors(errors, where, child, seen)
    elif kind == STRING_SELECT:
        _string_select_errors(errors, where, child, seen)
    elif kind in OTHER_LABEL_CHILDREN:
        _custom_id_errors(errors, where, child, seen)
    else:
        _put(errors, [*where, "type"], _not_allowed_here())


def _text_input_errors(
    errors: ErrorTree, path: list[str], item: dict[str, Any], seen: set[str]
) -> None:
    _custom_id_errors(errors, path, item, seen)
    if item.get("style") not in TEXT_INPUT_STYLES:
        _put(errors, [*path, "style"], _error("BASE_TYPE_CHOICES", "Value must be a style."))
    if item.get("label") is not None:
        _length(errors, [*path, "label"], item["label"], 1, LABEL)
    if item.get("placeholder") is not None:
        _max_length(errors, [*path, "placeholder"], item["placeholder"], TEXT_INPUT_PLACEHOLDER)
    if item.get("value") is not None:
        _max_length(errors, [*path, "value"], item["value"], TEXT_INPUT_LENGTH)
    low, high = item.get("min_length"), item.get("max_length")
    if low is not None:
        _number_between(errors, [*path, "min_length"], low, 0, TEXT_INPUT_LENGTH)
    if high is not None:
        _number_between(errors, [*path, "max_length"], high, 1, TEXT_INPUT_LENGTH)


def _string_select_errors(
    errors: ErrorTree, path: list[str], item: dict[str, Any], seen: set[str]
) -> None:
    _custom_id_errors(errors, path, item, seen)
    if item.get("disabled"):
        _put(
            errors,
            [*path, "disabled"],
            _error("COMPONENT_DISABLED_IN_MODAL", "Modal components cannot be disabled."),
        )
    if item.get("placeholder") is not None:
        _max_length(errors, [*path, "placeholder"], item["placeholder"], SELECT_PLACEHOLDER)
    options = item.get("options") or []
    if not 1 <= len(options) <= SELECT_OPTIONS:
        _put(errors, [*path, "options"], _bad_length(1, SELECT_OPTIONS))
    for index, option in enumerate(options):
        where = [*path, "options", str(index)]
        _length(errors, [*where, "label"], option.get("label") or "", 1, OPTION_TEXT)
        _length(errors, [*where, "value"], option.get("value") or "", 1, OPTION_TEXT)
        if option.get("description") is not None:
            _max_length(errors, [*where, "description"], option["description"], OPTION_TEXT)
    low, high = item.get("min_values"), item.get("max_values")
    if low is not None:
        _number_between(errors, [*path, "min_values"], low, 0, SELECT_OPTIONS)
        if low == 0 and item.get("required", True):
            _put(
                errors,
                [*path, "min_values"],
                _error("BASE_TYPE_MIN_VALUE", "A required select needs min_values of 1 or more."),
            )
    if high is not None:
        _number_between(errors, [*path, "max_values"], high, 1, SELECT_OPTIONS)


def _custom_id_errors(
    errors: ErrorTree, path: list[str], item: dict[str, Any], seen: set[str]
) -> None:
    custom_id = item.get("custom_id")
    if custom_id is None:
        _put(errors, [*path, "custom_id"], _required())
        return
    _length(errors, [*path, "custom_id"], custom_id, 1, CUSTOM_ID)
    if custom_id in seen:
        _put(errors, [*path, "custom_id"], _duplicated())
    seen.add(custom_id)


def thread_errors(body: dict[str, Any]) -> ErrorTree:
    errors: ErrorTree = {}
    _length(errors, ["name"], body.get("name") or "", 1, THREAD_NAME)
    return errors


def _embed_errors(errors: ErrorTree, path: list[str], embed: dict[str, Any]) -> None:
    for key, limit in (("title", EMBED_TITLE), ("description", EMBED_DESCRIPTION)):
        if embed.get(key) is not None:
            _max_length(errors, [*path, key], embed[key], limit)
    author = embed.get("author") or {}
    if author.get("name") is not None:
        _max_length(errors, [*path, "author", "name"], author["name"], EMBED_AUTHOR_NAME)
    footer = embed.get("footer") or {}
    if footer.get("text") is not None:
        _max_length(errors, [*path, "footer", "text"], footer["text"], EMBED_FOOTER)
    fields = embed.get("fields") or []
    if len(fields) > EMBED_FIELDS:
        _put(errors, [*path, "fields"], _too_many(EMBED_FIELDS))
    for index, field in enumerate(fields):
        where = [*path, "fields", str(index)]
        _max_length(errors, [*where, "name"], field.get("name") or "", FIELD_NAME)
        _max_length(errors, [*where, "value"], field.get("value") or "", FIELD_VALUE)


def _row_errors(errors: ErrorTree, path: list[str], row: dict[str, Any], seen: set[str]) -> None:
    items = row.get("components") or []
    if row.get("type") != 1:
        return  # components v2 layouts are not used by Quizbot; their rules are not modelled
    if not 1 <= len(items) <= ROW_ITEMS:
        _put(errors, [*path, "components"], _bad_length(1, ROW_ITEMS))
    for index, item in enumerate(items):
        where = [*path, "components", str(index)]
        if item.get("type") != 2:
            continue
        if item.get("style") not in BUTTON_STYLES:
            _put(errors, [*where, "style"], _error("BASE_TYPE_CHOICES", "Value must be a style."))
        label = item.get("label")
        if label is not None:
            _max_length(errors, [*where, "label"], label, BUTTON_LABEL)
        if item.get("style") == LINK:
            continue
        custom_id = item.get("custom_id")
        if custom_id is None:
            _put(errors, [*where, "custom_id"], _required())
            continue
        _length(errors, [*where, "custom_id"], custom_id, 1, CUSTOM_ID)
        if custom_id in seen:
            _put(errors, [*where, "custom_id"], _duplicated())
        seen.add(custom_id)


def is_empty(body: dict[str, Any], files: int) -> bool:
    """A new message needs content, an embed, a component, a sticker, a poll or a file."""
    return not (
        body.get("content")
        or body.get("embeds")
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or files
    )


def _max_length(errors: ErrorTree, path: list[str], value: str, limit: int) -> None:
    if len(value) > limit:
        _put(errors, path, _error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."))


def _length(errors: ErrorTree, path: list[str], value: str, low: int, high: int) -> None:
    if not low <= len(value) <= high:
        _put(errors, path, _bad_length(low, high))


def _number_between(errors: ErrorTree, path: list[str], value: Any, low: int, high: int) -> None:
    if not isinstance(value, int) or value < low:
        _put(errors, path, _error("NUMBER_TYPE_MIN", f"Must be greater than or equal to {low}."))
    elif value > high:
        _put(errors, path, _error("NUMBER_TYPE_MAX", f"Must be less than or equal to {high}."))


def _required() -> dict[str, str]:
    return _error("BASE_TYPE_REQUIRED", "This field is required")


def _duplicated() -> dict[str, str]:
    return _error("COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")


def _not_allowed_here() -> dict[str, str]:
    return _error("UNION_TYPE_CHOICES", 'Value of field "type" must be one of the allowed types.')


def _too_many(limit: int) -> dict[str, str]:
    return _error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _bad_length(low: int, high: int) -> dict[str, str]:
    return _error("BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")


def _error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def _put(errors: ErrorTree, path: list[str], error: dict[str, str]) -> None:
    node = errors
    for key in path:
        node = node.setdefault(key, {})
    node.setdefault("_errors", []).append(error)
