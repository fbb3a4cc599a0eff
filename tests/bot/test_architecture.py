"""House rule: bot/ is platform-neutral. Ruff's banned-api rule says the same at lint time."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

PLATFORM_MODULES = ("slack_bolt", "slack_sdk", "discord")
BOT_DIR = Path(bot.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_bot_imports_no_platform_library() -> None:
    files = sorted(BOT_DIR.rglob("*.py"))
    assert len(files) > 20
    offenders = {
        f"{path.relative_to(BOT_DIR)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in PLATFORM_MODULES
    }
    assert offenders == set()


def test_the_check_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import slack_sdk.web\nfrom discord import ui\n")
    assert {n.split(".")[0] for n in imported_modules(sample)} == {"slack_sdk", "discord"}
