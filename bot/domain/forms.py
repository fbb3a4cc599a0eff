"""Forms: what a person fills in instead of typing command syntax.

The core describes a form once (its fields, their current values and limits) and reads the
values back; each adapter shows it natively: a Slack modal, a Discord modal, prompts in the
console. The core, not the adapter, decides whether the values are good, field by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class FormKind(StrEnum):
    ANSWER = "answer"  # a written answer to one question
    SUBSCRIBE = "subscribe"  # a channel's daily question


class FieldKind(StrEnum):
    LONG_TEXT = "long_text"  # several lines
    TIME = "time"  # a time of day, HH:MM
    TIMEZONE = "timezone"  # an IANA name, searched as one types
    CHOICE = "choice"  # one of `options`
    CHOICES = "choices"  # any of `options`, at least one
    NUMBER = "number"  # a whole number from `min_value` to `max_value`


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    kind: FieldKind
    required: bool = True
    # The value shown when the form opens: text for most kinds, option values for CHOICES.
    initial: str | tuple[str, ...] = ""
    options: tuple[Option, ...] = ()
    hint: str = ""  # a placeholder or a line of help
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class Form:
    kind: FormKind
    title: str  # at most 24 characters: Slack's limit for a modal title
    submit: str  # the submit button's label, at most 24 characters
    fields: tuple[FormField, ...]
    # What the submission needs back besides the values (the pack, the question), opaque to
    # adapters: they hand it back as they got it.
    state: str = ""
    intro: str = ""  # Markdown shown above the fields (the question being answered)

    def field(self, field_id: str) -> FormField:
        for candidate in self.fields:
            if candidate.id == field_id:
                return candidate
        raise KeyError(field_id)


# What an adapter hands back: one string per field, or a tuple for CHOICES; a field left
# empty may be missing or "".
FormValues = Mapping[str, "str | tuple[str, ...]"]


# The key of a refusal about no one field (only admins may change the schedule): adapters
# show it above or under the first field, without a field's label.
WHOLE_FORM = ""


@dataclass(frozen=True)
class FieldErrors:
    """The submission was refused and nothing was saved: why, per field id (or WHOLE_FORM)."""

    errors: Mapping[str, str] = field(default_factory=dict)


TITLE_LIMIT = 24
