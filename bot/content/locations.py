"""Where the packaged content lives: inside the wheel when installed, beside bot/ in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_content_root() -> Path:
    installed = _PACKAGE_DIR / "_packaged_content"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "content"
