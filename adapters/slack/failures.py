"""Slack failing us, as opposed to a bug in our code, and how to say so in one log line."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError

from adapters.slack import timeouts

SLACK_FAILURES = (SlackClientError, aiohttp.ClientError, TimeoutError)


def describe(exc: BaseException) -> str:
    """One line about a failure to talk to Slack."""
    if isinstance(exc, SlackApiError):
        needed = exc.response.get("needed")
        detail = f" (needs {needed})" if needed else ""
        return f"Slack answered {exc.response.get('error')}{detail}"
    if isinstance(exc, TimeoutError):
        return f"Slack did not answer within {timeouts.SLACK_TIMEOUT_SECONDS} s"
    return f"{type(exc).__name__}: {exc}"
