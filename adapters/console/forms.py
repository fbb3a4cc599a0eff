"""Forms at the prompt: the console's modal. Each field is asked in turn, then the core judges.

Enter keeps the value shown in brackets, the one the form opened with: a form that opens on the
channel's settings changes only what is typed over, and a field asked again after a refusal
offers that value again rather than the refused one (the error quotes that). Options are
chosen by number, value or label; several are separated by commas or spaces. Typing is
translated here and nothing more: a wrong time, zone or day goes to the core as typed and the
core's message for it comes back. A refused submission asks again for the fields in error
only, keeping the others; nothing is saved until every field is good. A line with only `.` or
`cancel`, or the end of input, cancels the form.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from adapters.console.render import Style, render_field, render_line, render_reply
from bot.domain.forms import FieldErrors, FieldKind, Form, FormField, FormValues
from bot.domain.replies import Markdown, Reply, Tone

Ask = Callable[[str], Awaitable[str | None]]  # a prompt → the line typed, None at end of input
Say = Callable[[str], None]
Submit = Callable[[FormValues], Awaitable[Reply | FieldErrors]]
Value = str | tuple[str, ...]

CANCEL_WORDS = frozenset({".", "cancel"})
EMPTY = "-"  # typed alone, empties an optional field
PROMPT = "> "
CANCELLED = "Form cancelled: nothing was changed."
_NUMBER = re.compile(r"[0-9]{1,3}")


@dataclass(frozen=True)
class FormPrompts:
    form: Form
    ask: Ask
    say: Say
    style: Style

    async def fill(self, submit: Submit) -> Reply | None:
        """What the accepted submission replies, or None when the person cancelled or the
        whole form was refused (both already said)."""
        self.say(self._header())
        values: dict[str, Value] = {f.id: f.initial for f in self.form.fields}
        pending = self.form.fields
        while True:
            for form_field in pending:
                value = await self._value(form_field, form_field.initial)
                if value is None:
                    self.say(render_line(CANCELLED, self.style))
                    return None
                values[form_field.id] = value
            outcome = await submit(values)
            if isinstance(outcome, Reply):
                return outcome
            self.say(self._errors(outcome.errors))
            pending = tuple(f for f in self.form.fields if f.id in outcome.errors)
            if not pending:  # a refusal of the whole form (not an admin): asking again won't help
                return None

    def _header(self) -> str:
        intro = (Markdown(self.form.intro),) if self.form.intro else ()
        header = render_reply(Reply(intro, title=self.form.title, tone=Tone.QUESTION), self.style)
        count = len(self.form.fields)
        fields = "one field" if count == 1 else f"{count} fields"
        help_line = (
            f"{fields.capitalize()}, then the form is sent ({self.form.submit}). Enter keeps the "
            "value in [brackets]; a line with only `.` or `cancel` (or Ctrl-D) cancels."
        )
        return header + "\n" + render_line(help_line, self.style, dim=True)

    def _errors(self, errors: Mapping[str, str]) -> str:
        labels = {f.id: f.label for f in self.form.fields}
        lines = [
            f"**{labels[field_id]}:** {m}" if field_id in labels else m
            for field_id, m in errors.items()
        ]
        to_fix = "1 field" if len(lines) == 1 else f"{len(lines)} fields"
        title = f"Not saved: {to_fix} to fix"
        errors_reply = Reply((Markdown("\n".join(lines)),), title, tone=Tone.ERROR)
        return render_reply(errors_reply, self.style)

    async def _value(self, form_field: FormField, current: Value) -> Value | None:
        """What the person typed for one field, `current` if they only pressed Enter."""
        self.say(self._field(form_field, current))
        if form_field.kind is FieldKind.LONG_TEXT:
            return await self._long_text(current)
        line = await self._line()
        if line is None:
            return None
        typed = line.strip()
        if not typed:
            return current
        if typed == EMPTY and not form_field.required:
            return () if form_field.kind is FieldKind.CHOICES else ""
        if form_field.kind is FieldKind.CHOICE:
            return option_value(form_field, typed) or typed
        if form_field.kind is FieldKind.CHOICES:
            return option_values(form_field, typed)
        return typed

    async def _long_text(self, current: Value) -> Value | None:
        """Lines until an empty one; an empty first line keeps `current`."""
        lines: list[str] = []
        while True:
            line = await self._line()
            if line is None:
                return None
            if not line.strip():
                return "\n".join(lines) if lines else current
            lines.append(line.rstrip())

    async def _line(self) -> str | None:
        """The next line, or None when the person cancels: a cancel word, or end of input."""
        line = await self.ask(PROMPT)
        if line is None:
            self.say("")  # end the line the prompt left open
            return None
        return None if line.strip().lower() in CANCEL_WORDS else line

    def _field(self, form_field: FormField, current: Value) -> str:
        notes = [form_field.hint] if form_field.hint else []
        shown = ",".join(current) if isinstance(current, tuple) else current
        options = [_option_text(o.label, o.value) for o in form_field.options]
        if form_field.kind is FieldKind.LONG_TEXT:
            notes.append("An empty line ends it.")
            shown = _first_line(shown)
        elif form_field.kind is FieldKind.CHOICE:
            notes.append("One of these, by number or name.")
        elif form_field.kind is FieldKind.CHOICES:
            notes.append("Any of these, by number or name, separated by commas: 1,3,5.")
        elif form_field.kind is FieldKind.TIMEZONE:
            notes.append("Area/City, such as Europe/Berlin or America/New_York.")
        if not form_field.required and shown:
            notes.append(f"`{EMPTY}` empties it.")
        return render_field(form_field.label, shown, notes, options, self.style)


def option_value(form_field: FormField, typed: str) -> str | None:
    """The option meant by its value, its label or its number as shown; None if none is."""
    word = typed.strip().casefold()
    for option in form_field.options:
        if word in (option.value.casefold(), option.label.casefold()):
            return option.value
    if _NUMBER.fullmatch(word) and 1 <= int(word) <= len(form_field.options):
        return form_field.options[int(word) - 1].value
    return None


def option_values(form_field: FormField, typed: str) -> tuple[str, ...]:
    """Several options, separated by commas or spaces, each kept once. A word that names no
    option is handed on as typed, for the core to say why it is not one."""
    chosen: list[str] = []
    for item in (part.strip() for part in typed.split(",")):
        found = option_value(form_field, item) if item else None
        if found is not None:
            chosen.append(found)
        else:
            chosen += [option_value(form_field, word) or word for word in item.split()]
    return tuple(dict.fromkeys(chosen))


def _option_text(label: str, value: str) -> str:
    return label if label.casefold() == value.casefold() else f"{label} ({value})"


def _first_line(text: str, limit: int = 40) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= limit and first == text.strip() else first[: limit - 1] + "…"
