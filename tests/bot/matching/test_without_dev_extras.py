"""The bot matches answers with its runtime dependencies alone: numpy and WordLlama come with
the dev extra (for the benchmark's embedding candidates) and must not be needed to run."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
sys.modules["numpy"] = None  # any import of numpy now fails
sys.modules["wordllama"] = None
from bot.content.loader import load_catalog
from bot.matching import CatalogMatcher
from bot.content.locations import default_content_root
catalog = load_catalog(default_content_root())
question = catalog.packs[0].by_number(12)
result = CatalogMatcher(catalog).assess(question, "TestClient calls the app in-process.")
print(result.total, result.suggested.value)
"""


def test_matching_imports_and_runs_without_numpy_or_wordllama() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    total, grade = done.stdout.split()
    assert int(total) >= 3
    assert grade in ("knew", "partly", "missed")
