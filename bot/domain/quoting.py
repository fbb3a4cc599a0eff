"""Quoting what someone typed back to them: enough to recognise it, never a wall of text."""

from __future__ import annotations

QUOTE_LIMIT = 60


def quoted(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` as inline code, cut to `limit` characters with an ellipsis. Backticks inside
    become quotes so the span cannot end early and swallow the rest of the message."""
    inner = clipped(text, limit).replace("`", "'")
    return f"`{inner}`"


def clipped(text: str, limit: int = QUOTE_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
