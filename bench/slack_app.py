"""A Slack HTTP app in its own process for the latency benchmark: Quizbot's, or a bare Bolt app
whose listeners only ack. Prints its port, then serves until killed."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import tempfile
from pathlib import Path

from pydantic import SecretStr
from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.app import SlackApp, make_app, open_parts
from adapters.slack.runner import SlackRunner
from bench.common import runtime_for, sqlite_url
from bot.config import Settings
from bot.content.locations import default_content_root
from bot.process_tuning import tune_for_serving

SECRET = "bench-secret"


async def main(kind: str, api_url: str) -> None:
    app: SlackApp
    if kind == "bare":
        # The same endpoint in front of both apps: signature and shape checked before Bolt.
        app = SlackApp(
            client=AsyncWebClient(token="xoxb-bench", base_url=api_url), signing_secret=SECRET
        )

        async def only_ack(ack: AsyncAck) -> None:
            await ack()

        app.command("/fastapi-quiz")(only_ack)
        app.action(re.compile(r"^quizbot\."))(only_ack)
    else:
        url = sqlite_url(Path(tempfile.mkdtemp(prefix="quizbot-bench-")))
        settings = Settings(
            _env_file=None,
            database_url=url,
            content_dir=default_content_root(),
            slack_bot_token=SecretStr("xoxb-bench"),
            slack_signing_secret=SecretStr(SECRET),
            slack_api_url=api_url,
        )
        parts = await open_parts(settings)
        runtime = await runtime_for(url, ports={"slack": parts.port})
        app = make_app(settings, runtime.quizbot, parts)
    runner = SlackRunner(app, app_token=None, host="127.0.0.1", port=0)
    await runner.start()
    tune_for_serving()  # as `quizbot run` does, for both apps alike
    print(json.dumps({"port": runner.bound_port}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
