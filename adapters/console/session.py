"""A console session: read a line, turn it into a core call, print the rendered reply.

Buttons are numbered, `[1] Reveal answer`, and typing a shown button's number presses it. Any
other text is the pack's slash command, with or without the `/command` in front, so a number
that is not a shown button asks that question (`12` is question 12, `#1` always question 1).
A reply that carries a form (Write my answer, `subscribe` alone) is filled in at the prompt,
field by field (adapters.console.forms), and what its submission replies is shown as usual.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from adapters.console.forms import FormPrompts
from adapters.console.render import Style, render_line, render_reply
from adapters.console.stdin import LineReader
from bot.domain.context import Actor, Context, Place
from bot.domain.forms import FieldErrors, FormValues
from bot.domain.quoting import clipped
from bot.domain.replies import Button, Reply, Tone
from bot.domain.subscriptions import ChannelAddress
from bot.quizbot import Quizbot

PLATFORM = "console"
CHANNEL = ChannelAddress(PLATFORM, "console", "console")
QUIT_WORDS = frozenset({"quit", "exit", "q", ":q"})
# Digits 0-9 only (`²` and `٣` are digits to str.isdigit, and int() refuses the first); no
# reply has a thousand buttons, so a longer number is never one.
_BUTTON_NUMBER = re.compile(r"[0-9]{1,3}")
NUMBERS_RULE = (
    "Type a button's number to press it (`1` presses [1]); any other number asks that "
    "question (`12` is question 12; `#1` is always question 1)."
)


@dataclass
class ConsoleSession:
    """The person at the terminal owns it, so they are the console channel's admin."""

    quizbot: Quizbot
    user: str
    stdin: TextIO
    stdout: TextIO
    style: Style
    echo: bool = False
    prompt: str = "quizbot> "
    timezone: str | None = None
    files_dir: Path = Path("data") / "files"
    _buttons: tuple[Button, ...] = field(default=(), init=False)
    _reader: LineReader | None = field(default=None, init=False)
    _waiting_at: str = field(default="", init=False)  # the prompt being answered, if any

    @property
    def context(self) -> Context:
        return Context(
            Actor(PLATFORM, self.user, self.user, is_admin=True, timezone=self.timezone),
            Place(PLATFORM, CHANNEL.channel_id, CHANNEL.name),
        )

    @property
    def default_command(self) -> str:
        return self.quizbot.packs[0].command

    def greet(self) -> None:
        commands = ", ".join(f"/{p.command}" for p in self.quizbot.packs)
        self._print(
            render_line(
                f"Quizbot console. You are {self.user}. Commands: {commands} (the slash is "
                f"optional: try `help`, `junior`, `stats`). {NUMBERS_RULE} `quit` or Ctrl-D "
                "leaves.",
                self.style,
            )
        )

    async def run(self) -> None:
        """Until `quit` or the end of input. Cancelled (Ctrl-C), it says goodbye and stops at
        once: reading input holds no thread that would have to finish first."""
        self.greet()
        try:
            while True:
                line = await self.ask(self.prompt)
                if line is None:
                    self._print("")
                    return
                text = line.strip()
                if text.lower() in QUIT_WORDS:
                    return
                if text:
                    await self.handle_line(text)
        except asyncio.CancelledError:
            self._print("\nGoodbye.")
            raise

    async def ask(self, prompt: str) -> str | None:
        """The next line typed at `prompt`, without its line ending; None at the end of input.

        At a terminal, Ctrl-D ends only the wait it was typed in: cancelling a form leaves the
        session running, while a pipe that has ended stays ended."""
        if self._reader is None:
            self._reader = LineReader(self.stdin)
        self._waiting_at = prompt
        self.stdout.write(prompt)
        self.stdout.flush()
        try:
            line = await self._reader.readline()
        finally:
            self._waiting_at = ""
        if not line:
            return None
        line = line.rstrip("\r\n")
        if self.echo:
            self._print(clipped(line.strip()))
        return line

    async def handle_line(self, text: str) -> Reply:
        button = self._button(text)
        if button is not None:
            reply = await self.quizbot.handle_action(self.context, button.action_id, button.value)
            return await self.present(reply)
        command, args = self._split_command(text)
        reply = await self.present(await self.quizbot.handle_text(self.context, command, args))
        if args.strip().lower() == "help" and reply.tone is not Tone.ERROR:
            self._print(render_line(f"Console: {NUMBERS_RULE}", self.style))
        return reply

    async def present(self, reply: Reply) -> Reply:
        """Show a reply; one with a form is filled in first and what its submission replies is
        shown instead. A cancelled form changed nothing, so the buttons before it still work."""
        form = reply.form
        if form is None:
            self.show(reply)
            return reply

        async def submit(values: FormValues) -> Reply | FieldErrors:
            return await self.quizbot.submit_form(self.context, form.kind, form.state, values)

        outcome = await FormPrompts(form, self.ask, self._print, self.style).fill(submit)
        return reply if outcome is None else await self.present(outcome)

    def show(self, reply: Reply) -> None:
        """Print a reply; its buttons become the ones that numbers press (a refusal changed
        nothing, so the buttons before it still work); files are saved."""
        if reply.buttons or reply.tone is not Tone.ERROR:
            self._buttons = reply.buttons
        self._print(render_reply(reply, self.style))
        for attachment in reply.files:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / attachment.filename
            path.write_bytes(attachment.data)
            self._print(f"{attachment.title or attachment.filename}: saved to {path}")

    def show_post(self, header: str, reply: Reply) -> None:
        """A post that arrived while waiting for input: shown, its buttons pressable."""
        self._print("")
        self._print(render_line(header, self.style, dim=True))
        self.show(reply)
        self.stdout.write(self._waiting_at)
        self.stdout.flush()

    def _button(self, text: str) -> Button | None:
        if not _BUTTON_NUMBER.fullmatch(text):
            return None
        number = int(text)
        return self._buttons[number - 1] if 1 <= number <= len(self._buttons) else None

    def _split_command(self, text: str) -> tuple[str, str]:
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            return command, args
        return self.default_command, text

    def _print(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()
