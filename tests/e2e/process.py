"""Running the real `quizbot` executable as an operator would: env in, output and exit out."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import MINI_CONTENT

QUIZBOT = str(Path(sys.executable).with_name("quizbot"))


def closed_port() -> int:
    """A loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(**settings: str) -> dict[str, str]:
    """The test's environment without platform settings, plus `settings`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "QUIZBOT_", "DATABASE_URL", "PORT"))
    }
    return env | {"QUIZBOT_CONTENT_DIR": str(MINI_CONTENT)} | settings


@dataclass
class Quizbot:
    """One `quizbot` process; its output is collected in files so it never blocks."""

    args: list[str]
    env: dict[str, str]
    cwd: Path
    process: subprocess.Popen[bytes] | None = None
    out: Path = field(init=False)
    err: Path = field(init=False)

    def __post_init__(self) -> None:
        name = "-".join(self.args).replace("/", "_")[:40]
        stamp = time.monotonic_ns()
        self.out = self.cwd / f"{name}-{stamp}.out"
        self.err = self.cwd / f"{name}-{stamp}.err"

    def start(self) -> Quizbot:
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [QUIZBOT, *self.args],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=self.env,
                cwd=self.cwd,
            )
        return self

    @property
    def stdout(self) -> str:
        return self.out.read_text()

    @property
    def stderr(self) -> str:
        return self.err.read_text()

    async def wait_for_output(self, text: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while text not in self.stdout + self.stderr:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(
                    f"quizbot exited ({self.process.returncode}) before printing {text!r}:\n"
                    f"{self.stdout}\n{self.stderr}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"quizbot did not print {text!r}:\n{self.stdout}\n{self.stderr}"
                )
            await asyncio.sleep(0.05)

    async def exit_code(self, seconds: float = 60) -> int:
        assert self.process is not None
        deadline = time.monotonic() + seconds
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"quizbot still running after {seconds} s:\n{self.stderr}")
            await asyncio.sleep(0.02)
        return self.process.returncode

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> tuple[int, float]:
        """Send `sig`; the exit code and how many seconds the process took to exit."""
        assert self.process is not None
        started = time.monotonic()
        self.process.send_signal(sig)
        code = await self.exit_code(seconds=30)
        return code, time.monotonic() - started

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


def stopped_cleanly(bot: Quizbot) -> None:
    """Exited with 0 and nothing crashed on the way (a Traceback is a bug, even if caught)."""
    assert bot.process is not None
    assert bot.process.returncode == 0, bot.stderr
    assert "Traceback" not in bot.stderr, bot.stderr


async def run_to_end(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    bot = Quizbot(args, env, cwd).start()
    code = await bot.exit_code()
    return code, bot.stdout, bot.stderr
