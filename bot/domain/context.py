"""Who is asking and where: the only platform facts the core needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkspaceRef:
    """Which installation of the app a person or channel belongs to, in the platform's own
    terms and opaque to the core: on Slack a team id, and the Enterprise Grid organisation's
    id where Slack gives one (`workspace_id` None with an `enterprise_id` names a whole
    organisation). Platforms with one installation (Discord, the console) have none.

    The core only stores it, groups outbound work by it, and pauses or resumes a workspace's
    subscriptions when its installation goes away or comes back."""

    workspace_id: str | None
    enterprise_id: str | None = None

    def __str__(self) -> str:
        if self.workspace_id and self.enterprise_id:
            return f"{self.workspace_id} (org {self.enterprise_id})"
        if self.enterprise_id:
            return f"org {self.enterprise_id}"
        return self.workspace_id or "(none recorded)"


@dataclass(frozen=True)
class Actor:
    """`is_admin` is the adapter's verdict on whether this person may change channel settings;
    `timezone` is the platform's IANA timezone for them, when it has one."""

    platform: str
    user_id: str
    display_name: str
    is_admin: bool = False
    timezone: str | None = None
    workspace: WorkspaceRef | None = None


@dataclass(frozen=True)
class Place:
    platform: str
    channel_id: str
    name: str
    is_direct: bool = False
    workspace: WorkspaceRef | None = None


@dataclass(frozen=True)
class Context:
    actor: Actor
    place: Place
