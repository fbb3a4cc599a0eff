"""The core's forms as Discord modals, and a submitted modal read back into the core's values.

A modal holds at most five top-level components. Each field is a Label holding one input: a
paragraph text input for long text, a short text input for a time, a timezone or a number (a
modal cannot search hundreds of zones as a select would), a string select for a choice (several
may be picked for CHOICES). The form's intro, the question being answered, is a Text Display above
the fields when there is room. A form with more fields than fit shares one input between a time
and the timezone right after it ("09:00 Europe/Berlin", the typed command's own order), read back
as the first word and the rest; a form that still does not fit is not shown as a modal, and the
reply's text is shown instead.

Nothing is remembered between showing a modal and its submission, so one submitted after a
restart works: the modal's custom id is `form|kind|state`, and each input's custom id names the
field ids it holds and the label it was shown under (`post_time+timezone|Post at`), which is
what an error message needs to name it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.domain.forms import FieldErrors, FieldKind, Form, FormField, FormValues
from bot.domain.quoting import clipped, quoted
from bot.domain.replies import Markdown, Reply, Tone

PREFIX = "form"
SEPARATOR = "|"
JOINED = "+"
CUSTOM_ID_LIMIT = 100
MODAL_COMPONENTS = 5
TITLE_LIMIT = 45
LABEL_LIMIT = 45
DESCRIPTION_LIMIT = 100
TEXT_LIMIT = 4000
SELECT_OPTIONS = 25
OPTION_LIMIT = 100
_HALF_DAY = ("am", "pm")
_TEXT_KINDS = {FieldKind.TIME, FieldKind.TIMEZONE, FieldKind.NUMBER}
NOT_SAVED = "Nothing was saved"
FIX_AND_RESUBMIT = "Open the form again and change what is listed here:"


def modal_for(form: Form) -> discord.ui.Modal | None:
    """The modal for `form`, or None when Discord cannot show it (too many fields, a custom id
    that would not fit in 100 characters)."""
    custom_id = SEPARATOR.join((PREFIX, form.kind.value, form.state))
    slots = _slots(form)
    if len(custom_id) > CUSTOM_ID_LIMIT or slots is None:
        return None
    inputs = [_input(slot) for slot in slots]
    if any(item is None for item in inputs):
        return None
    modal = _FormModal(title=clipped(form.title, TITLE_LIMIT), custom_id=custom_id)
    if form.intro and len(slots) < MODAL_COMPONENTS:
        modal.add_item(discord.ui.TextDisplay(clipped(form.intro, TEXT_LIMIT)))
    for slot, item in zip(slots, inputs, strict=True):
        assert item is not None
        description = clipped(slot.description, DESCRIPTION_LIMIT) or None
        modal.add_item(discord.ui.Label(text=slot.label, component=item, description=description))
    # Not kept for its submission: discord.py stores a modal that is not finished until it is
    # submitted (forever, with no timeout). The client reads every submission from its ids.
    modal.stop()
    return modal


class _FormModal(discord.ui.Modal):
    """Only shown; its submission is handled by the client (QuizbotClient.on_interaction)."""


@dataclass(frozen=True)
class _Slot:
    """One input: a field, or a time and the timezone it is in."""

    fields: tuple[FormField, ...]

    @property
    def label(self) -> str:
        return clipped(self.fields[0].label, LABEL_LIMIT)

    @property
    def description(self) -> str:
        if len(self.fields) == 1:
            return self.fields[0].hint
        time, zone = self.fields
        hint = f"{time.hint}, then " if time.hint else ""
        return f"{hint}the {zone.label.lower()}, such as 09:00 Europe/Berlin"

    @property
    def custom_id(self) -> str:
        ids = JOINED.join(f.id for f in self.fields)
        room = CUSTOM_ID_LIMIT - len(ids) - len(SEPARATOR)
        return f"{ids}{SEPARATOR}{clipped(self.label, room)}"

    @property
    def initial(self) -> str:
        return " ".join(f.initial for f in self.fields if isinstance(f.initial, str) and f.initial)


def _slots(form: Form) -> list[_Slot] | None:
    slots = [_Slot((f,)) for f in form.fields]
    if len(slots) > MODAL_COMPONENTS:
        for index, (first, second) in enumerate(zip(form.fields, form.fields[1:], strict=False)):
            if first.kind is FieldKind.TIME and second.kind is FieldKind.TIMEZONE:
                slots[index : index + 2] = [_Slot((first, second))]
                break
    return slots if len(slots) <= MODAL_COMPONENTS else None


def _input(slot: _Slot) -> discord.ui.Item[Any] | None:
    first = slot.fields[0]
    required = any(f.required for f in slot.fields)
    if first.kind is FieldKind.LONG_TEXT:
        return discord.ui.TextInput(
            custom_id=slot.custom_id,
            style=discord.TextStyle.paragraph,
            default=slot.initial or None,
            required=required,
            max_length=min(first.max_length or TEXT_LIMIT, TEXT_LIMIT),
        )
    if first.kind in _TEXT_KINDS:
        return discord.ui.TextInput(
            custom_id=slot.custom_id, default=slot.initial or None, required=required
        )
    chosen = (first.initial,) if isinstance(first.initial, str) else first.initial
    if not 1 <= len(first.options) <= SELECT_OPTIONS:
        return None
    many = first.kind is FieldKind.CHOICES
    return discord.ui.Select(
        custom_id=slot.custom_id,
        options=[
            discord.SelectOption(
                label=clipped(option.label, OPTION_LIMIT),
                value=option.value,
                default=option.value in chosen,
            )
            for option in first.options
        ],
        min_values=1 if required else 0,
        max_values=len(first.options) if many else 1,
        required=required,
    )


@dataclass(frozen=True)
class Entered:
    """One input as submitted: its label, the fields it holds and what the person entered."""

    label: str
    field_ids: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Submission:
    kind: str
    state: str
    values: FormValues
    entered: tuple[Entered, ...] = field(default=())


def read_submission(data: Mapping[str, Any]) -> Submission | None:
    """A MODAL_SUBMIT's data as the core's field values; None if the modal is not one of ours."""
    prefix, sep, rest = str(data.get("custom_id") or "").partition(SEPARATOR)
    kind, sep2, state = rest.partition(SEPARATOR)
    if prefix != PREFIX or not sep or not sep2:
        return None
    values: dict[str, str | tuple[str, ...]] = {}
    entered: list[Entered] = []
    for item in _inputs(data.get("components") or []):
        ids_text, _, label = str(item.get("custom_id") or "").partition(SEPARATOR)
        field_ids = tuple(ids_text.split(JOINED))
        if "values" in item:
            chosen = tuple(str(v) for v in item.get("values") or ())
            values[field_ids[0]] = chosen
            entered.append(Entered(label, field_ids, ", ".join(chosen)))
            continue
        text = str(item.get("value") or "")
        entered.append(Entered(label, field_ids, text))
        if len(field_ids) == 1:
            values[field_ids[0]] = text
        else:
            time_id, zone_id = field_ids[:2]
            values[time_id], values[zone_id] = _time_and_zone(text)
    return Submission(kind, state, values, tuple(entered))


def _inputs(components: list[Any]) -> Iterator[Mapping[str, Any]]:
    """Every input, in order: inside Labels (`component`) and Action Rows (`components`)."""
    for component in components:
        if not isinstance(component, Mapping):
            continue
        if isinstance(component.get("component"), Mapping):
            yield component["component"]
        elif isinstance(component.get("components"), list):
            yield from _inputs(component["components"])
        elif "custom_id" in component:
            yield component


def _time_and_zone(text: str) -> tuple[str, str]:
    """ "09:00 Europe/Berlin" → ("09:00", "Europe/Berlin"); "5:30 pm UTC" keeps "5:30 pm"."""
    words = text.split()
    cut = 2 if len(words) > 1 and words[1].lower() in _HALF_DAY else 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def errors_reply(submission: Submission, refused: FieldErrors) -> Reply:
    """Each problem under the label the person saw, beside what they entered there (Discord
    shows no errors inside a modal, and closes it on submit)."""
    lines: list[str] = []
    named: set[str] = set()
    for entry in submission.entered:
        problems = [refused.errors[i] for i in entry.field_ids if i in refused.errors]
        named.update(entry.field_ids)
        if problems:
            what = f"you entered {quoted(entry.text)}" if entry.text else "left empty"
            lines.append(f"- **{entry.label}** ({what}): {' '.join(problems)}")
    lines += [f"- {problem}" for i, problem in refused.errors.items() if i not in named]
    return Reply(
        title=NOT_SAVED,
        blocks=(Markdown(FIX_AND_RESUBMIT + "\n" + "\n".join(lines)),),
        tone=Tone.ERROR,
    )
