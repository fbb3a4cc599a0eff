"""What a workspace installing or removing Quizbot does to its data: its channels' daily posts
and its people's reminders are paused when it removes the app (or revokes its token), and
resume when it installs the app again. Nothing is deleted: progress stays until `forget-me`.
"""

from __future__ import annotations

from adapters.slack.clients import ref_of
from adapters.slack.identity import PLATFORM
from adapters.slack.installs import InstallHooks
from adapters.slack.workspaces import Workspace
from bot.usecases.deps import Deps
from bot.usecases.workspaces import pause_workspace, resume_workspace

REMOVED = "uninstalled, or its bot token revoked"


def install_hooks(deps: Deps) -> InstallHooks:
    """Idempotent, as InstallHooks must be: a second pause or resume changes nothing."""

    async def installed(workspace: Workspace) -> None:
        await resume_workspace(deps, PLATFORM, ref_of(workspace))

    async def removed(workspace: Workspace) -> None:
        await pause_workspace(deps, PLATFORM, ref_of(workspace), REMOVED)

    return InstallHooks(on_installed=installed, on_removed=removed)
