"""Add to Slack: workspaces install Quizbot through OAuth, each with its own bot token.

Bolt runs the flow. `/slack/install` sends the person's browser to Slack's consent page with a
`state` that is kept in our database and in a cookie of that browser; `/slack/oauth_redirect`
checks both, spends the state, exchanges Slack's code for the workspace's token
(`oauth.v2.access`) and saves it with slack_sdk's SQLAlchemy installation store, in the tables
our migrations create (never `create_tables`). Requests from a workspace are then answered with
its own token: Bolt looks it up by the request's team. When a workspace uninstalls the app or
revokes its token, its rows are deleted.

What Quizbot does besides (pausing a removed workspace's daily posts, resuming them on a
reinstall) is not decided here: it is handed in as `InstallHooks`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.oauth_states import SingleUseStates
from adapters.slack.scopes import bot_scopes
from adapters.slack.workspaces import Workspace
from bot.config import Settings
from bot.storage.engine import BEGIN_OPTION

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# How long a person has between opening /slack/install and approving on Slack's page.
STATE_SECONDS = 10 * 60
# Slack's consent page, on the same host as the Web API (slack.com, or a stand-in in tests).
AUTHORIZE_PATH = "/oauth/v2/authorize"
# What Slack sends (to an app that subscribes them) when a workspace removes the app.
UNINSTALLED = "app_uninstalled"
TOKENS_REVOKED = "tokens_revoked"
REMOVAL_EVENTS = (UNINSTALLED, TOKENS_REVOKED)
# Failures the person caused themselves (they pressed Cancel on Slack's page).
CANCELLED = "access_denied"

WorkspaceHook = Callable[[Workspace], Awaitable[None]]

log = logging.getLogger(__name__)


async def _nothing(workspace: Workspace) -> None:
    return None


@dataclass(frozen=True)
class InstallHooks:
    """What else happens when a workspace installs Quizbot (again) or removes it. Both may be
    called more than once for one change (Slack retries, and sends `app_uninstalled` and
    `tokens_revoked` for one uninstall, in any order): they must be idempotent."""

    on_installed: WorkspaceHook = _nothing
    on_removed: WorkspaceHook = _nothing


@dataclass(frozen=True)
class SlackOAuth:
    """Everything the Bolt app needs to serve many workspaces (see `make_app`)."""

    settings: AsyncOAuthSettings
    authorize: AsyncInstallationStoreAuthorize
    store: AsyncSQLAlchemyInstallationStore
    hooks: InstallHooks = field(default_factory=InstallHooks)

    def app_arguments(self) -> dict[str, Any]:
        return {"oauth_settings": self.settings, "authorize": self.authorize}

    def register(self, app: AsyncApp) -> None:
        """Forget a workspace that uninstalled the app or revoked its bot token."""
        app.event(UNINSTALLED)(self._uninstalled)
        app.event(TOKENS_REVOKED)(self._tokens_revoked)

    async def _uninstalled(self, context: AsyncBoltContext) -> None:
        await self._remove(context, "uninstalled")

    async def _tokens_revoked(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        tokens = event.get("tokens")
        tokens = tokens if isinstance(tokens, dict) else {}
        team_id = _team_id(context)
        for user_id in tokens.get("oauth") or ():
            await self.store.async_delete_installation(
                enterprise_id=context.enterprise_id, team_id=team_id, user_id=str(user_id)
            )
        if tokens.get("bot"):
            await self._remove(context, "revoked its bot token")

    async def _remove(self, context: AsyncBoltContext, how: str) -> None:
        workspace = Workspace(_team_id(context), context.enterprise_id)
        await self.store.async_delete_all(
            enterprise_id=workspace.enterprise_id, team_id=workspace.team_id
        )
        log.info("Slack workspace %s %s; its installation is deleted", _named(workspace), how)
        await self.hooks.on_removed(workspace)


def slack_oauth(
    settings: Settings,
    engine: AsyncEngine,
    client: AsyncWebClient,
    hooks: InstallHooks | None = None,
) -> SlackOAuth:
    """The OAuth flow on our database. `client` is the app's token-less Web API client: its
    base URL (SLACK_API_URL) is where `oauth.v2.access` and `auth.test` go."""
    assert settings.slack_client_id is not None
    assert settings.slack_client_secret is not None
    client_id = settings.slack_client_id
    client_secret = settings.slack_client_secret.get_secret_value()
    hooks = hooks or InstallHooks()
    store = installation_store(settings, engine)
    # Saving an install reads, then writes, in one transaction; on SQLite one that began
    # deferred fails at once ("database is locked") if anything else wrote in between, so the
    # flow's saves take the write lock up front. Reads and single deletes need not.
    saving = AsyncSQLAlchemyInstallationStore(
        client_id, engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}), logger=log
    )
    oauth_settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=bot_scopes(),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # /slack/install goes straight on to Slack's consent page: the "Add to Slack" button
        # is wherever the operator links to /slack/install.
        install_page_rendering_enabled=False,
        authorization_url=authorize_url(settings.slack_api_url),
        installation_store=saving,
        installation_store_bot_only=True,
        state_store=SingleUseStates(expiration_seconds=STATE_SECONDS, engine=engine, logger=log),
        state_expiration_seconds=STATE_SECONDS,
        callback_options=_callbacks(hooks),
        logger=log,
    )
    # Quizbot asks for no user scopes, so the bot row is all a request needs; its auth.test is
    # remembered per token, so only a workspace's first request waits for it before the ack.
    authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        installation_store=store,
        client_id=client_id,
        client_secret=client_secret,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return SlackOAuth(oauth_settings, authorize, store, hooks)


def installation_store(settings: Settings, engine: AsyncEngine) -> AsyncSQLAlchemyInstallationStore:
    """The installations of this app (SLACK_CLIENT_ID) on our database: what `InstallationTokens`
    reads, also in processes that serve no install pages (a worker, `post-due`)."""
    assert settings.slack_client_id is not None
    return AsyncSQLAlchemyInstallationStore(settings.slack_client_id, engine, logger=log)


def authorize_url(api_url: str) -> str:
    """Slack's consent page on the Web API's host: https://slack.com/oauth/v2/authorize."""
    return urljoin(api_url, AUTHORIZE_PATH)


def _callbacks(hooks: InstallHooks) -> AsyncCallbackOptions:
    """Bolt's own pages, plus the hook on success and a log line on failure."""

    async def installed(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        workspace = Workspace(
            None if installation.is_enterprise_install else installation.team_id,
            installation.enterprise_id,
        )
        try:
            await hooks.on_installed(workspace)
        except Exception:
            log.exception("Installed in Slack workspace %s, but resuming it failed", workspace)
            failed = AsyncFailureArgs(
                request=args.request,
                reason="internal_error",
                suggested_status_code=500,
                settings=args.settings,
                default=args.default,
            )
            return await args.default.failure(failed)
        log.info("Quizbot was installed in Slack workspace %s", _named(workspace))
        return await args.default.success(args)

    async def failed(args: AsyncFailureArgs) -> BoltResponse:
        level = logging.INFO if args.reason == CANCELLED else logging.WARNING
        log.log(level, "A Slack install did not complete: %s", args.reason)
        return await args.default.failure(args)

    return AsyncCallbackOptions(success=installed, failure=failed)


def _team_id(context: AsyncBoltContext) -> str | None:
    """An org-wide install is stored without a team (as slack_sdk's store keeps it)."""
    return None if context.is_enterprise_install else context.team_id


def _named(workspace: Workspace) -> str:
    if workspace.team_id is None:
        return f"(organisation {workspace.enterprise_id})"
    if workspace.enterprise_id is None:
        return workspace.team_id
    return f"{workspace.team_id} (organisation {workspace.enterprise_id})"
