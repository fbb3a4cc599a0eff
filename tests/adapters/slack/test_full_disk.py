"""A full disk as people on Slack meet it: every command and click still gets a private reply
saying nothing was saved, each failure is one log line with the database's own words (no
traceback), and not a row changes."""

from __future__ import annotations

import logging

import pytest

from tests.adapters.slack.conftest import ADMIN as SLACK_ADMIN
from tests.adapters.slack.conftest import SlackHarness, texts
from tests.faults import FULL, SORRY, disk_full, row_counts


def failures(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_slack_on_a_full_disk(slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    question = await slack.command("3")
    answer = await slack.click(question, "Reveal answer")
    engine = slack.runtime.engine
    before = await row_counts(engine)
    caplog.set_level(logging.WARNING)
    with disk_full(engine):
        shown_to_people = [
            await slack.command("junior"),
            await slack.command("2"),
            await slack.click(question, "Reveal answer"),
            await slack.click(answer, "Knew it"),
            await slack.command("level mid"),
            await slack.command("timezone Europe/Berlin"),
            await slack.command("remind on"),
            await slack.command("subscribe 09:00 UTC", user=SLACK_ADMIN),
            await slack.command("stats"),
            await slack.command("export"),
        ]
    for message in shown_to_people[:8]:
        assert message["response_type"] == "ephemeral"
        assert SORRY in texts(message)
    assert "Stats for" in texts(shown_to_people[8])  # reading works on a full disk
    assert await row_counts(engine) == before
    logged = failures(caplog)
    assert len(logged) == 8
    assert all(FULL[engine.dialect.name] in r.getMessage() for r in logged)
    assert all(r.exc_info is None for r in logged)
