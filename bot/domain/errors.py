"""Errors a user can cause: each carries the friendly message shown to them, and changes nothing."""

from __future__ import annotations


class QuizError(Exception):
    """A request the core refuses; `message` is what the user reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
