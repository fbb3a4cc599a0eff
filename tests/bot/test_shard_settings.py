"""DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS: read from the environment as an operator writes
them, and a bad value named in one line by the executable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.domain.errors import QuizError
from tests.bot.test_bad_input_executable import quizbot


@pytest.fixture(autouse=True)
def no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the environment only: run where no .env is."""
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_SHARD_COUNT", "DISCORD_SHARD_IDS"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("count", "ids", "held"),
    [
        ("2", "0,1", (0, 1)),
        ("4", "0-3", (0, 1, 2, 3)),
        ("16", " 0-2, 7 ,9-10", (0, 1, 2, 7, 9, 10)),
        ("2", "1", (1,)),
        ("2", "", None),  # every shard of the count
        ("2", None, None),
    ],
)
def test_shard_settings_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, count: str, ids: str | None, held: tuple[int, ...] | None
) -> None:
    monkeypatch.setenv("DISCORD_SHARD_COUNT", count)
    if ids is not None:
        monkeypatch.setenv("DISCORD_SHARD_IDS", ids)
    settings = load_settings()
    assert settings.discord_shard_count == int(count)
    assert settings.discord_shard_ids == held


def test_without_them_there_is_no_sharding() -> None:
    settings = Settings(_env_file=None)
    assert (settings.discord_shard_count, settings.discord_shard_ids) == (None, None)


@pytest.mark.parametrize(
    ("count", "ids", "problem"),
    [
        ("0", None, "Setting DISCORD_SHARD_COUNT: Input should be greater than or equal to 1."),
        ("two", None, "Setting DISCORD_SHARD_COUNT: Input should be a valid integer"),
        (None, "0", "Setting DISCORD_SHARD_IDS: Value error, set DISCORD_SHARD_COUNT too"),
        ("2", "0-3", "shard 2 does not exist with DISCORD_SHARD_COUNT=2 (shards are numbered 0"),
        ("2", "2", "shard 2 does not exist with DISCORD_SHARD_COUNT=2"),
        ("4", "a", "list shard numbers from 0 like 0,1 or give a range like 0-3"),
        ("4", "-1", "list shard numbers from 0 like 0,1"),
        ("4", "1-", "list shard numbers from 0 like 0,1"),
        ("4", "0;1", "list shard numbers from 0 like 0,1"),
        ("4", "3-1", "runs backwards; write 1-3"),
        ("4", "0,0-1", "shard 0 is listed twice"),
    ],
)
def test_a_bad_shard_setting_says_what_to_write(
    monkeypatch: pytest.MonkeyPatch, count: str | None, ids: str | None, problem: str
) -> None:
    if count is not None:
        monkeypatch.setenv("DISCORD_SHARD_COUNT", count)
    if ids is not None:
        monkeypatch.setenv("DISCORD_SHARD_IDS", ids)
    with pytest.raises(QuizError) as refused:
        load_settings()
    assert problem in refused.value.message
    assert len(refused.value.message.splitlines()) == 1


def test_the_executable_names_a_bad_shard_setting_in_one_line(tmp_path: Path) -> None:
    result = quizbot(["db", "upgrade"], tmp_path, DISCORD_SHARD_COUNT="2", DISCORD_SHARD_IDS="1,2")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Setting DISCORD_SHARD_IDS: Value error, shard 2 does not exist with "
        "DISCORD_SHARD_COUNT=2 (shards are numbered 0 to 1)."
    ]
    assert not (tmp_path / "data").exists()
