"""The OAuth stores on our own database (SQLite and PostgreSQL, tables from our migrations):
a state is spent once even when it comes back many times at once, expired states are refused
and cleared away, and `InstallationTokens` finds each workspace's bot token."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.slack.installation_tokens import InstallationTokens
from adapters.slack.installs import installation_store
from adapters.slack.oauth_states import SingleUseStates
from adapters.slack.workspaces import Workspace
from bot.composition import open_database
from bot.config import Settings
from bot.storage.schema import slack_oauth_states

CLIENT_ID = "1111.2222"


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    opened = await open_database(settings)
    yield opened
    await opened.dispose()


async def stored_states(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        query = select(func.count()).select_from(slack_oauth_states)
        return int((await connection.execute(query)).scalar_one())


async def test_a_state_sent_back_many_times_at_once_is_spent_once(engine: AsyncEngine) -> None:
    """slack_sdk's own store let 5 of 8 such consumes through on PostgreSQL."""
    states = SingleUseStates(expiration_seconds=600, engine=engine)
    for _ in range(10):
        state = await states.async_issue()
        spent = await asyncio.gather(*(states.async_consume(state) for _ in range(8)))
        assert sorted(spent) == [False] * 7 + [True]
    assert await states.async_consume("never-issued") is False
    assert await stored_states(engine) == 0


async def test_an_expired_state_is_refused_and_cleared_at_the_next_issue(
    engine: AsyncEngine,
) -> None:
    short = SingleUseStates(expiration_seconds=1, engine=engine)
    old = await short.async_issue()
    await asyncio.sleep(1.1)
    assert await short.async_consume(old) is False
    stale = await short.async_issue()
    await asyncio.sleep(1.1)
    fresh = await SingleUseStates(expiration_seconds=600, engine=engine).async_issue()
    assert await stored_states(engine) == 1  # `stale` went when `fresh` was issued
    assert await short.async_consume(stale) is False
    assert await short.async_consume(fresh) is True


def installation(
    team: str | None, token: str, *, enterprise: str | None = None, age_minutes: int = 0
) -> Installation:
    return Installation(
        app_id="A1",
        enterprise_id=enterprise,
        team_id=team,
        bot_token=token,
        bot_id=f"B{team}",
        bot_user_id=f"UBOT{team}",
        bot_scopes="commands,chat:write",
        user_id="UINSTALLER",
        is_enterprise_install=team is None,
        installed_at=time.time() - age_minutes * 60,
    )


async def test_installation_tokens_finds_each_workspaces_newest_token(
    engine: AsyncEngine, settings: Settings
) -> None:
    store = installation_store(settings.model_copy(update={"slack_client_id": CLIENT_ID}), engine)
    await store.async_save(installation("T1", "xoxb-T1-old", age_minutes=60))
    await store.async_save(installation("T1", "xoxb-T1-new"))
    await store.async_save(installation("T2", "xoxb-T2"))
    await store.async_save(installation("T3", "xoxb-T3-in-org", enterprise="E1"))
    await store.async_save(installation(None, "xoxb-org-wide", enterprise="E2"))
    tokens = InstallationTokens(store)
    assert await tokens.token_for(Workspace("T1")) == "xoxb-T1-new"
    assert await tokens.token_for(Workspace("T2")) == "xoxb-T2"
    assert await tokens.token_for(Workspace("T3", "E1")) == "xoxb-T3-in-org"
    # A workspace of an organisation that installed the app org-wide uses that install.
    assert await tokens.token_for(Workspace("T4", "E2")) == "xoxb-org-wide"
    assert await tokens.token_for(Workspace(None, "E2")) == "xoxb-org-wide"
    assert await tokens.token_for(Workspace("T4", "E1")) is None
    assert await tokens.token_for(Workspace("T9")) is None
    await store.async_delete_all(enterprise_id=None, team_id="T1")
    assert await tokens.token_for(Workspace("T1")) is None
    assert await tokens.token_for(Workspace("T2")) == "xoxb-T2"
