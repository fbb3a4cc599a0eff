"""A content problem names its file and line, so an author can jump straight to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentProblem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised when packs cannot be served because at least one file is invalid."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = sorted(problems)
        listing = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} content problem(s):\n{listing}")
