"""Who is asking and where: the only platform facts the core needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    platform: str
    user_id: str
    display_name: str


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
