"""`quizbot slack manifest --distribute`: the manifest of an app other workspaces install."""

from __future__ import annotations

import json

import pytest

from adapters.slack.home_payloads import BOT_EVENTS
from adapters.slack.manifest import manifest
from adapters.slack.scopes import bot_scopes
from bot.cli import main
from bot.content.loader import load_catalog
from tests.conftest import MINI_CONTENT

URL = "https://quiz.example.org/slack/events"


def test_a_distributed_app_has_its_redirect_url_and_the_uninstall_events() -> None:
    packs = load_catalog(MINI_CONTENT).packs
    shared = manifest(packs, request_url=URL, distribute=True)
    assert shared["oauth_config"] == {
        "scopes": {"bot": bot_scopes()},
        "redirect_urls": ["https://quiz.example.org/slack/oauth_redirect"],
    }
    events = shared["settings"]["event_subscriptions"]
    assert events["bot_events"] == [*BOT_EVENTS, "app_uninstalled", "tokens_revoked"]
    assert events["request_url"] == URL
    assert shared["settings"]["socket_mode_enabled"] is False
    assert shared["settings"]["token_rotation_enabled"] is False  # tokens are kept as given
    # Everything else is what the same app installed in one workspace has.
    alone = manifest(packs, request_url=URL)
    for key in ("display_information", "features"):
        assert shared[key] == alone[key]


def test_behind_a_path_prefix_the_redirect_url_keeps_it() -> None:
    shared = manifest([], request_url="https://host.example/quiz/slack/events", distribute=True)
    assert shared["oauth_config"]["redirect_urls"] == [
        "https://host.example/quiz/slack/oauth_redirect"
    ]


def test_without_distribute_the_manifest_is_as_before() -> None:
    for url in (None, URL):
        alone = manifest([], request_url=url)
        assert alone["oauth_config"] == {"scopes": {"bot": bot_scopes()}}
        assert alone["settings"]["event_subscriptions"]["bot_events"] == list(BOT_EVENTS)


def test_a_distributed_app_needs_its_request_url() -> None:
    with pytest.raises(ValueError, match="request_url"):
        manifest([], distribute=True)


def test_the_command_prints_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZBOT_CONTENT_DIR", str(MINI_CONTENT))
    assert main(["slack", "manifest", "--distribute", "--request-url", URL]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["oauth_config"]["redirect_urls"] == [
        "https://quiz.example.org/slack/oauth_redirect"
    ]
    assert printed["features"]["slash_commands"][0]["url"] == URL
    assert main(["slack", "manifest", "--request-url", URL]) == 0
    assert "redirect_urls" not in json.loads(capsys.readouterr().out)["oauth_config"]


def test_the_command_refuses_distribute_without_a_request_url(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["slack", "manifest", "--distribute"])
    assert exited.value.code == 2
    assert "--distribute needs --request-url" in capsys.readouterr().err
