"""A console session: read a line, turn it into a core call, print the rendered reply.

Buttons are numbered; typing the number presses the button. Anything else is the text of the
pack's slash command, with or without the `/command` in front.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from adapters.console.render import Style, render_reply
from bot.domain.context import Actor, Context, Place
from bot.domain.replies import Button, Reply
from bot.domain.subscriptions import ChannelAddress
from bot.quizbot import Quizbot

PLATFORM = "console"
CHANNEL = ChannelAddress(PLATFORM, "console", "console")
QUIT_WORDS = frozenset({"quit", "exit", "q", ":q"})


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
            f"Quizbot console. You are {self.user}. Commands: {commands} "
            "(the slash is optional: try `help`, `junior`, `stats`). "
            "Type a button's number to press it, `quit` to leave."
        )

    async def run(self) -> None:
        self.greet()
        while True:
            self.stdout.write(self.prompt)
            self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if not line:
                self._print("")
                return
            text = line.strip()
            if self.echo:
                self._print(text)
            if text.lower() in QUIT_WORDS:
                return
            if text:
                await self.handle_line(text)

    async def handle_line(self, text: str) -> Reply | None:
        if text.isdigit() and self._buttons:
            index = int(text) - 1
            if not 0 <= index < len(self._buttons):
                self._print(f"There is no button {text}. Choose 1 to {len(self._buttons)}.")
                return None
            button = self._buttons[index]
            reply = await self.quizbot.handle_action(self.context, button.action_id, button.value)
        else:
            command, args = self._split_command(text)
            reply = await self.quizbot.handle_text(self.context, command, args)
        self.show(reply)
        return reply

    def show(self, reply: Reply) -> None:
        """Print a reply; its buttons become the ones that numbers press; files are saved."""
        self._buttons = reply.buttons
        self._print(render_reply(reply, self.style))
        for attachment in reply.files:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / attachment.filename
            path.write_bytes(attachment.data)
            self._print(f"Saved {attachment.title or attachment.filename} to {path}")

    def show_post(self, header: str, reply: Reply) -> None:
        """A post that arrived while waiting for input: shown, its buttons pressable."""
        self._print("")
        self._print(self.style.dim(header))
        self.show(reply)
        self.stdout.write(self.prompt)
        self.stdout.flush()

    def _split_command(self, text: str) -> tuple[str, str]:
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            return command, args
        return self.default_command, text

    def _print(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()
