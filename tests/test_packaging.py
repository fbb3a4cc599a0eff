"""The wheel carries the packs and the migrations, so an installed quizbot is complete."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_content_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("quizbot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packaged = {n for n in names if n.startswith("bot/_packaged_content/")}
    source = {
        "bot/_packaged_content/" + p.relative_to(ROOT / "content").as_posix()
        for p in (ROOT / "content").rglob("*")
        if p.is_file()
    }
    assert packaged == source
    assert "bot/storage/migrations/env.py" in names
    assert any(n.startswith("bot/storage/migrations/versions/0001") for n in names)
    assert "adapters/console/session.py" in names
