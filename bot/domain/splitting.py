"""Long text in pieces that fit a platform's size limit, broken where a reader expects a break.

Slack sections and Discord embeds both hold a few thousand characters; an answer that is longer
continues in the next one rather than being cut off.
"""

from __future__ import annotations

from collections.abc import Callable

# Paragraphs, then lines, then words; only a single word longer than the limit is cut inside.
BREAKS = ("\n\n", "\n", " ")

# Where to cut a run of text with no break in it: an index in 1..limit.
Cut = Callable[[str, int], int]


def anywhere(text: str, limit: int) -> int:
    return limit


def split_at_breaks(
    text: str, limit: int, *, breaks: tuple[str, ...] = BREAKS, cut: Cut = anywhere
) -> list[str]:
    """Pieces of at most `limit` characters. Each piece is as long as the largest break allows;
    a part too long for one piece is split at the next, smaller break. A break where text is
    split is dropped (the pieces are shown apart anyway)."""
    if len(text) <= limit:
        return [text]
    if not breaks:
        return _cut(text, limit, cut)
    separator, smaller = breaks[0], breaks[1:]
    pieces: list[str] = []
    current = ""
    for part in text.split(separator):
        candidate = f"{current}{separator}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        *whole, current = split_at_breaks(part, limit, breaks=smaller, cut=cut)
        pieces += whole
    pieces.append(current)
    return pieces


def _cut(text: str, limit: int, cut: Cut) -> list[str]:
    pieces: list[str] = []
    while len(text) > limit:
        end = min(max(cut(text, limit), 1), limit)
        pieces.append(text[:end])
        text = text[end:]
    pieces.append(text)
    return pieces
