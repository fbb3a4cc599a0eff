"""A platform's workspaces, each with its own installation of the app (Slack teams).

Channels and people record the workspace a request came from. When a workspace's installation
goes away (uninstalled, its token revoked or missing), everything the bot would send there on
its own is paused: daily posts, reveals and reminders. Nothing is deleted, progress least of
all; installing the app again resumes it. Both are idempotent and log one line when they
change something, so several processes noticing the same loss log it once between them.

Adoption: rows written before workspaces were recorded have none. A single-workspace
deployment knows which one they belong to (its one token's), and hands it in at start.
"""

from __future__ import annotations

import logging

from bot.domain.context import WorkspaceRef
from bot.storage.repositories.workspaces import Changed
from bot.usecases.deps import Deps

log = logging.getLogger(__name__)


async def adopt_workspace(deps: Deps, platform: str, workspace: WorkspaceRef) -> int:
    """Channels and people of `platform` that record no workspace get this one. How many."""
    async with deps.uow(write=True) as uow:
        channels, people = await uow.workspaces.adopt(platform, workspace)
        await uow.commit()
    if channels or people:
        log.warning(
            "%s workspace %s: recorded it on %d channel(s) and %d person(s) from before "
            "workspaces were recorded",
            platform,
            workspace,
            channels,
            people,
        )
    return channels + people


async def pause_workspace(
    deps: Deps, platform: str, workspace: WorkspaceRef | None, reason: str
) -> Changed:
    """Stop sending anything to the workspace until `resume_workspace`: its subscriptions
    are paused (they keep their settings) and so are its people's reminders. `reason` is
    for the log (`token_revoked`, `uninstalled`). None: the rows that record no workspace."""
    named = _named(workspace)
    async with deps.uow(write=True) as uow:
        changed = await uow.workspaces.pause(platform, named, deps.clock.now())
        await uow.commit()
    for subscription_id in changed.subscription_ids:
        deps.schedule_signal.notify(subscription_id)
    if changed:
        log.warning(
            "%s workspace %s has no working installation (%s): paused its %d subscription(s) "
            "and %d person(s)' reminders until the app is installed there again",
            platform,
            named,
            reason,
            len(changed.subscription_ids),
            changed.people,
        )
    return changed


async def resume_workspace(deps: Deps, platform: str, workspace: WorkspaceRef | None) -> Changed:
    """The workspace is installed again: what `pause_workspace` paused posts again."""
    named = _named(workspace)
    return await _resume(deps, platform, named, f"workspace {named}")


async def resume_platform(deps: Deps, platform: str) -> Changed:
    """Every paused workspace of `platform` posts again: a deployment that serves it with one
    installation (single-token Slack) has just found that installation working, and it
    speaks for every workspace its rows record."""
    return await _resume(deps, platform, None, "installation")


async def _resume(deps: Deps, platform: str, workspace: WorkspaceRef | None, what: str) -> Changed:
    async with deps.uow(write=True) as uow:
        changed = await uow.workspaces.resume(platform, workspace)
        await uow.commit()
    for subscription_id in changed.subscription_ids:
        deps.schedule_signal.notify(subscription_id)
    if changed:
        log.warning(
            "%s %s works again: resumed %d paused subscription(s) and %d person(s)' reminders",
            platform,
            what,
            len(changed.subscription_ids),
            changed.people,
        )
    return changed


def _named(workspace: WorkspaceRef | None) -> WorkspaceRef:
    return workspace if workspace is not None else WorkspaceRef(None)
