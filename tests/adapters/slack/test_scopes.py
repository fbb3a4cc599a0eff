"""Scopes are derived: from the methods the Slack code calls, to the manifest and the README."""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient

import adapters.slack
from adapters.slack.manifest import manifest
from adapters.slack.scopes import WEB_API_METHODS, bot_scopes
from bot.content.loader import load_catalog
from tests.conftest import MINI_CONTENT

README = Path(__file__).parents[3] / "README.md"
SLACK_CODE = Path(adapters.slack.__file__).parent
CLIENT_METHODS = {
    name
    for name, member in vars(AsyncWebClient).items()
    if inspect.iscoroutinefunction(member) and not name.startswith("_") and name != "api_call"
}


@cache
def web_api_methods_of(client_method: str) -> frozenset[str]:
    """The Web API methods one slack_sdk client method sends, following its own calls
    (`files_upload_v2` is three requests, two of them Web API methods)."""
    source = inspect.getsource(getattr(AsyncWebClient, client_method))
    found = set(re.findall(r'api_call\(\s*"([\w.]+)"', source))
    for inner in re.findall(r"self\.(\w+)\(", source):
        if inner in CLIENT_METHODS and inner != client_method:
            found |= web_api_methods_of(inner)
    return frozenset(found)


def web_api_methods_called() -> dict[str, str]:
    """Every Web API method the Slack adapter's code calls, with the file that calls it."""
    called: dict[str, str] = {}
    for path in sorted(SLACK_CODE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CLIENT_METHODS
            ):
                for method in web_api_methods_of(node.func.attr):
                    called.setdefault(method, path.name)
    return called


def test_every_web_api_method_the_slack_code_calls_is_in_the_scope_table() -> None:
    called = web_api_methods_called()
    # The calls this adapter is known to make; the list grows with the code, never shrinks
    # silently.
    assert {
        "users.info",
        "chat.postMessage",
        "conversations.open",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
        "views.open",
        "chat.postEphemeral",
    } <= set(called)
    in_table = {entry.method for entry in WEB_API_METHODS}
    missing = {method: where for method, where in called.items() if method not in in_table}
    assert missing == {}, f"add these to adapters/slack/scopes.py: {missing}"


def test_manifest_asks_for_exactly_the_scopes_of_the_table() -> None:
    asked = manifest(load_catalog(MINI_CONTENT).packs)["oauth_config"]["scopes"]["bot"]
    assert asked == bot_scopes()
    assert len(asked) == len(set(asked))
    assert {"commands", "chat:write", "im:write", "files:write", "channels:history"} <= set(asked)


def test_readme_lists_exactly_the_manifest_scopes() -> None:
    section = README.read_text().split("## Connect to Slack", 1)[1].split("\n## ", 1)[0]
    listed = section.split("bot scopes:", 1)[1].split("\n\n", 1)[0]
    named = re.findall(r"`([a-z]+:[a-z.:]+|commands)`", listed)
    assert sorted(set(named)) == sorted(bot_scopes())


def test_quizbot_slack_manifest_prints_the_scopes_of_the_table(tmp_path: Path) -> None:
    """`quizbot slack manifest`, the README's first step, as a real process."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    printed = subprocess.run(
        [str(Path(sys.executable).with_name("quizbot")), "slack", "manifest"],
        capture_output=True,
        text=True,
        env=clean | {"QUIZBOT_CONTENT_DIR": str(MINI_CONTENT)},
        cwd=tmp_path,
        timeout=60,
        check=True,
    ).stdout
    assert json.loads(printed)["oauth_config"]["scopes"]["bot"] == bot_scopes()
