"""`quizbot run` stops like a service: SIGTERM and SIGINT end it within 10 s in every state,
and a platform that cannot be reached never produces a traceback."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.e2e.process import Quizbot, clean_env, closed_port

# Docker, Kubernetes and PaaS hosts send SIGKILL about 10 s after SIGTERM.
STOP_DEADLINE = 10.0


def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'quizbot.sqlite3'}"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_stops_while_slack_cannot_be_reached(tmp_path: Path, sig: signal.Signals) -> None:
    env = clean_env(
        DATABASE_URL=database(tmp_path),
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL=f"http://127.0.0.1:{closed_port()}/api/",
        PORT=str(closed_port()),
    )
    bot = Quizbot(["run"], env, tmp_path).start()
    await bot.wait_for_output("Slack is not reachable")
    code, seconds = await bot.stop(sig)
    assert code == 0
    assert seconds < STOP_DEADLINE
    assert "Stopped before Quizbot was up." in bot.stdout
    assert "Traceback" not in bot.stderr
    print(f"{sig.name} while connecting to Slack: stopped in {seconds:.2f} s")


async def test_stops_while_discord_cannot_be_reached(tmp_path: Path) -> None:
    env = clean_env(
        DATABASE_URL=database(tmp_path),
        DISCORD_TOKEN="discord-token",
        DISCORD_API_URL=f"http://127.0.0.1:{closed_port()}/api/v10",
        DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{closed_port()}/",
    )
    bot = Quizbot(["run", "--worker"], env, tmp_path).start()
    await bot.wait_for_output("Discord is not reachable")
    code, seconds = await bot.stop()
    assert code == 0
    assert seconds < STOP_DEADLINE
    assert "Traceback" not in bot.stderr
    print(f"SIGTERM while connecting to Discord: stopped in {seconds:.2f} s")


async def test_post_due_gives_up_on_an_unreachable_platform_in_one_line(tmp_path: Path) -> None:
    env = clean_env(
        DATABASE_URL=database(tmp_path),
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=f"http://127.0.0.1:{closed_port()}/api/",
    )
    bot = Quizbot(["post-due"], env, tmp_path).start()
    assert await bot.exit_code() == 2
    assert bot.stderr.splitlines()[-1].startswith("Slack is not reachable (ClientConnectorError")
    assert bot.stderr.splitlines()[-1].endswith("gave up after 4 attempts.")
    assert "Traceback" not in bot.stderr
