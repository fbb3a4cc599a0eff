"""How a person rates their own recall after reading an answer."""

from __future__ import annotations

from enum import StrEnum


class Grade(StrEnum):
    KNEW = "knew"
    PARTLY = "partly"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return {Grade.KNEW: "Knew it", Grade.PARTLY: "Partly", Grade.MISSED: "Missed"}[self]
