"""The core's Home as a Slack App Home view (`views.publish`), within Block Kit's limits.

Layout: header and subtitle, a notice (what the last setting change said), "Ask me a question",
one section per part of the home (its button beside it), the 12-week picture as an `image`
block whose `slack_file` is an uploaded file, then the settings: a choice of up to two
options as radio buttons, a longer one as a select, a timezone as a searchable
`external_select` whose options another listener serves.

Action ids: a setting is `quizbot.home.<setting id>` (the timezone's, `quizbot.home.timezone`,
gets its options from the home's own options listener); a button is
`quizbot.home.press.<core action id>#<n>`.
The pack the home shows travels in the view's `private_metadata`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from adapters.slack.blocks import ACTION_SEPARATOR, action_id_of
from adapters.slack.mrkdwn import split_code, split_text, to_mrkdwn
from bot.domain.forms import FieldKind, FormField, Option
from bot.domain.home import Home
from bot.domain.replies import Button, ButtonStyle, Markdown, Reply, Tone

HOME_PREFIX = "quizbot.home."
PRESS_PREFIX = HOME_PREFIX + "press."
HOME_ACTIONS = re.compile(r"^quizbot\.home\.")
TIMEZONE_ACTION = HOME_PREFIX + "timezone"  # the searchable timezone select
CALLBACK_ID = "quizbot.home"

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
OPTION_TEXT_LIMIT = 75
BUTTON_TEXT_LIMIT = 75
CONTEXT_TEXT_LIMIT = 2000
BLOCK_ID_LIMIT = 255
RADIO_MAX_OPTIONS = 2  # more than this shows as a select

_TONE_ICON = {Tone.ERROR: ":warning: ", Tone.SUCCESS: ":white_check_mark: "}


@dataclass(frozen=True)
class HomeAction:
    """What a click on the home means: a setting's new value, or a core button."""

    setting_id: str | None  # set for a setting
    action_id: str | None  # the core's action id, for a button
    value: str


def read_action(slack_action_id: str, value: str) -> HomeAction | None:
    """None for an action id this module never renders."""
    if slack_action_id.startswith(PRESS_PREFIX):
        core = action_id_of(slack_action_id.removeprefix(PRESS_PREFIX))
        return HomeAction(None, core, value) if core else None
    setting = slack_action_id.removeprefix(HOME_PREFIX)
    if slack_action_id.startswith(HOME_PREFIX) and setting and "." not in setting:
        return HomeAction(setting, None, value)
    return None


def render(
    home: Home | Reply, *, notice: Reply | None = None, picture_file: str | None = None
) -> dict[str, Any]:
    """The view to publish. A Reply in place of a home (it could not be built) shows alone."""
    if isinstance(home, Reply):
        return _view(_reply_blocks(home, title="Quizbot"), "")
    blocks: list[dict[str, Any]] = [_header(home.title)]
    if home.subtitle:
        blocks.append(_context(to_mrkdwn(home.subtitle)))
    if notice is not None:
        blocks += _reply_blocks(notice)
    buttons = _Buttons()
    if home.buttons:
        blocks.append({"type": "actions", "elements": [buttons.element(b) for b in home.buttons]})
    blocks.append({"type": "divider"})
    for part in home.sections:
        text = f"*{to_mrkdwn(part.title)}*\n{to_mrkdwn(part.text)}"
        pieces = [p for p in split_text(text, SECTION_LIMIT) if p.strip()]
        section_blocks = [_section(p) for p in pieces]
        if len(part.buttons) == 1:
            section_blocks[-1]["accessory"] = buttons.element(part.buttons[0])
        elif part.buttons:
            section_blocks.append(
                {"type": "actions", "elements": [buttons.element(b) for b in part.buttons]}
            )
        blocks += section_blocks
    if picture_file is not None and home.picture is not None:
        title = home.picture.title or "Your progress"
        blocks.append(
            {
                "type": "image",
                "block_id": "home.picture",
                "slack_file": {"id": picture_file},
                "alt_text": f"{title}: a 12-week calendar of questions graded, and recall "
                "by level and by topic",
                "title": {"type": "plain_text", "text": _clip(title, HEADER_LIMIT)},
            }
        )
    if home.settings:
        blocks += [{"type": "divider"}, _header(home.settings_title)]
        for field in home.settings:
            blocks += _setting(field)
    return _view(blocks, home.pack_id)


def _view(blocks: list[dict[str, Any]], pack_id: str) -> dict[str, Any]:
    return {
        "type": "home",
        "callback_id": CALLBACK_ID,
        "private_metadata": pack_id,
        "blocks": blocks,
    }


def _setting(field: FormField) -> list[dict[str, Any]]:
    section = _section(f"*{to_mrkdwn(field.label)}*")
    # Slack keeps what a person last picked in a block across publishes of a view unless the
    # block id changes: naming the current value in it shows a change made elsewhere (a typed
    # command, a refused value put back) as the selection.
    current = field.initial if isinstance(field.initial, str) else ",".join(field.initial)
    section["block_id"] = _clip(f"home.setting.{field.id}.{current}", BLOCK_ID_LIMIT)
    section["accessory"] = _widget(field)
    blocks = [section]
    if field.hint:
        blocks.append(_context(to_mrkdwn(field.hint)))
    return blocks


def _widget(field: FormField) -> dict[str, Any]:
    action_id = HOME_PREFIX + field.id
    initial = field.initial if isinstance(field.initial, str) else ""
    if field.kind is FieldKind.TIMEZONE:
        widget: dict[str, Any] = {
            "type": "external_select",
            "action_id": action_id,
            "placeholder": _plain("Search for a city or zone"),
            "min_query_length": 1,
        }
        if initial:
            widget["initial_option"] = _option(Option(initial, initial))
        return widget
    if field.kind is not FieldKind.CHOICE:
        raise ValueError(f"a home setting of kind {field.kind} has no Slack widget yet")
    options = [_option(o) for o in field.options]
    chosen = next((o for o in field.options if o.value == initial), None)
    if len(options) <= RADIO_MAX_OPTIONS:
        widget = {"type": "radio_buttons", "action_id": action_id, "options": options}
    else:
        widget = {
            "type": "static_select",
            "action_id": action_id,
            "placeholder": _plain(f"Choose {field.label.lower()}"),
            "options": options,
        }
    if chosen is not None:
        widget["initial_option"] = _option(chosen)
    return widget


class _Buttons:
    """Buttons of one view, numbered so that every action id in it is unique."""

    def __init__(self) -> None:
        self._count = 0

    def element(self, button: Button) -> dict[str, Any]:
        element: dict[str, Any] = {
            "type": "button",
            "text": _plain(_clip(button.label, BUTTON_TEXT_LIMIT)),
            "action_id": f"{PRESS_PREFIX}{button.action_id}{ACTION_SEPARATOR}{self._count}",
            "value": button.value,
        }
        self._count += 1
        if button.style is not ButtonStyle.DEFAULT:
            element["style"] = button.style.value
        return element


def _reply_blocks(reply: Reply, title: str | None = None) -> list[dict[str, Any]]:
    """A reply's words (no buttons: it is a notice on the home)."""
    blocks: list[dict[str, Any]] = []
    heading = reply.title or title
    if heading:
        blocks.append(_header(heading))
    icon = _TONE_ICON.get(reply.tone, "")
    for index, block in enumerate(reply.blocks):
        if isinstance(block, Markdown):
            text = (icon if index == 0 else "") + to_mrkdwn(block.text)
            pieces = split_text(text, SECTION_LIMIT)
        else:
            pieces = split_code(block.code, SECTION_LIMIT)
        blocks += [_section(p) for p in pieces if p.strip()]
    return blocks


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": _plain(_clip(text, HEADER_LIMIT))}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": _clip(text, CONTEXT_TEXT_LIMIT)}],
    }


def _option(option: Option) -> dict[str, Any]:
    return {"text": _plain(_clip(option.label, OPTION_TEXT_LIMIT)), "value": option.value}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
