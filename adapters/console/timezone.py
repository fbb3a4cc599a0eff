"""The terminal's IANA timezone, as a default for `subscribe` in the console."""

from __future__ import annotations

import os
from pathlib import Path

from bot.domain.schedule import canonical_timezone


def local_timezone() -> str | None:
    """`TZ` if set, else the zone /etc/localtime points at; None when neither says. `Etc/UTC`
    and its other names are `UTC`, as everywhere else."""
    name = _named_zone()
    return canonical_timezone(name) if name else None


def _named_zone() -> str | None:
    if name := os.environ.get("TZ", "").lstrip(":"):
        return name
    try:
        target = Path("/etc/localtime").resolve()
    except OSError:
        return None
    parts = target.parts
    if "zoneinfo" in parts:
        return "/".join(parts[parts.index("zoneinfo") + 1 :]) or None
    return None
