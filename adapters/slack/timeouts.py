"""How long Quizbot waits for Slack: one bound for Web API calls, uploads and response_url posts.

Without it aiohttp's default (300 s) applies to a shared session and a stalled Slack holds a
worker, and the person waiting, for five minutes. Tests lower it.
"""

from __future__ import annotations

import aiohttp

SLACK_TIMEOUT_SECONDS = 30


def session_timeout() -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=SLACK_TIMEOUT_SECONDS)
