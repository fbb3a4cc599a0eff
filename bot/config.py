"""Settings from the environment or `.env`; secrets are SecretStr so they never reach a log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.content.locations import default_content_root
from bot.domain.errors import QuizError
from bot.storage.engine import DEFAULT_DATABASE_URL

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    # hide_input_in_errors: a rule across settings would otherwise print all of them, secrets too.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", hide_input_in_errors=True)

    database_url: str = DEFAULT_DATABASE_URL
    content_dir: Path | None = Field(
        default=None, validation_alias=AliasChoices("QUIZBOT_CONTENT_DIR", "content_dir")
    )
    log_level: str = Field(
        default="WARNING", validation_alias=AliasChoices("QUIZBOT_LOG_LEVEL", "log_level")
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    # "Add to Slack": workspaces install the app through OAuth, each with its own token.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_rate_limit: float | None = Field(
        default=None,
        gt=0,
        description="Web API calls per second Slack allows this app for posting; when set, "
        "posting paces itself just under it instead of meeting 429s",
    )
    port: int = 3000
    quizbot_admins: str = Field(
        default="", description="comma-separated platform user ids allowed to change channels"
    )

    discord_token: SecretStr | None = None
    discord_api_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg/"
    discord_guild_id: int | None = None
    discord_shard_count: int | None = Field(
        default=None,
        ge=1,
        description="total number of Discord shards across every process; set it to run "
        "discord.py's AutoShardedClient",
    )
    discord_shard_ids: Annotated[tuple[int, ...] | None, NoDecode] = Field(
        default=None,
        description="the shards this process holds, as `0,1`, `0-3` or `0-3,8` (default: all "
        "of DISCORD_SHARD_COUNT)",
    )

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"use one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @model_validator(mode="after")
    def _one_slack_mode(self) -> Settings:
        """One workspace (SLACK_BOT_TOKEN) or many (the OAuth client id and secret), never a
        mix: a half-set pair or both modes at once is named before anything starts."""
        has_id = self.slack_client_id is not None
        has_secret = self.slack_client_secret is not None
        if has_id != has_secret:
            given, missing = (
                ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
                if has_id
                else ("SLACK_CLIENT_SECRET", "SLACK_CLIENT_ID")
            )
            raise ValueError(
                f"{given} is set but {missing} is not: set both (your Slack app's Basic "
                "Information > App Credentials) to let workspaces install Quizbot, or neither"
            )
        if has_id and self.slack_bot_token is not None:
            raise ValueError(
                "SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are both set: keep "
                "SLACK_BOT_TOKEN to serve one workspace, or the client id and secret to let "
                "workspaces install Quizbot (Add to Slack), not both"
            )
        if has_id and self.slack_app_token is not None:
            raise ValueError(
                "SLACK_APP_TOKEN (Socket Mode) cannot be used with SLACK_CLIENT_ID/"
                "SLACK_CLIENT_SECRET: workspaces install Quizbot through its web pages, so Slack "
                "is served over HTTP; unset SLACK_APP_TOKEN"
            )
        return self

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _read_shard_ids(cls, value: Any) -> Any:
        return read_shard_ids(value) if isinstance(value, str) else value

    @field_validator("discord_shard_ids")
    @classmethod
    def _shards_within_count(
        cls, value: tuple[int, ...] | None, info: ValidationInfo
    ) -> tuple[int, ...] | None:
        if value is None:
            return None
        if "discord_shard_count" not in info.data:
            return value  # the count itself is wrong, and is reported
        count = info.data["discord_shard_count"]
        if count is None:
            raise ValueError("set DISCORD_SHARD_COUNT too (the number of shards in all processes)")
        past = [shard for shard in value if shard >= count]
        if past:
            raise ValueError(
                f"shard {past[0]} does not exist with DISCORD_SHARD_COUNT={count} "
                f"(shards are numbered 0 to {count - 1})"
            )
        return value

    @property
    def content_root(self) -> Path:
        return self.content_dir or default_content_root()

    @property
    def admin_ids(self) -> frozenset[str]:
        return frozenset(part.strip() for part in self.quizbot_admins.split(",") if part.strip())

    @property
    def slack_socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def slack_oauth(self) -> bool:
        """Many workspaces, each installed through OAuth with its own token (Add to Slack)."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    @property
    def has_slack(self) -> bool:
        return self.slack_bot_token is not None or self.slack_oauth

    @property
    def has_discord(self) -> bool:
        return self.discord_token is not None


def read_shard_ids(text: str) -> tuple[int, ...] | None:
    """`0,1`, `0-3` or `0-3,8` as shard numbers in order; blank is None (every shard)."""
    if not text.strip():
        return None
    shards: list[int] = []
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        if not first.strip().isdigit() or (dash and not last.strip().isdigit()):
            raise ValueError(
                "list shard numbers from 0 like 0,1 or give a range like 0-3 (or both: 0-3,8)"
            )
        low, high = int(first), int(last) if dash else int(first)
        if high < low:
            raise ValueError(f"the range {low}-{high} runs backwards; write {high}-{low}")
        for shard in range(low, high + 1):
            if shard in shards:
                raise ValueError(f"shard {shard} is listed twice")
            shards.append(shard)
    return tuple(shards)


def load_settings() -> Settings:
    """Settings from the environment and .env; a bad value is named in one line per setting
    (never its value: it may be a secret)."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            if not error["loc"]:  # a rule across settings names them itself
                lines.append(f"{error['msg'].removeprefix('Value error, ')}.")
                continue
            where = error["loc"][0]
            lines.append(f"Setting {str(where).upper()}: {error['msg']}.")
        raise QuizError("\n".join(lines)) from None
