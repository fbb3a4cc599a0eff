"""Who is asking and where: the only platform facts the core needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """`is_admin` is the adapter's verdict on whether this person may change channel settings;
    `timezone` is the platform's IANA timezone for them, when it has one."""

    platform: str
    user_id: str
    display_name: str
    is_admin: bool = False
    timezone: str | None = None


@dataclass(frozen=True)
class Place:
    platform: str
    channel_id: str
    name: str
    is_direct: bool = False


@dataclass(frozen=True)
class Context:
    actor: Actor
    place: Place
