"""Neutral Markdown to Slack mrkdwn, and splitting text to fit Block Kit's limits."""

from __future__ import annotations

import re

_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?![\s*])(.+?)(?<![\s*])\*(?![*\w])")
_BULLET = re.compile(r"^(\s*)[-*] ", re.M)
_BOLD_MARK = "\x00"


def escape(text: str) -> str:
    """Slack treats &, < and > as control characters everywhere, code included."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    """**bold** → *bold*, *italic* → _italic_, [t](u) → <u|t>, `- ` → `• `; code spans kept."""
    parts = _CODE_SPAN.split(markdown)
    return "".join(escape(p) if i % 2 else _convert_prose(p) for i, p in enumerate(parts))


def _convert_prose(text: str) -> str:
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(f"<{match.group(2)}|{escape(match.group(1))}>")
        return f"\x01{len(links) - 1}\x01"

    text = _LINK.sub(keep_link, text)
    text = escape(text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    text = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(1)}{_BOLD_MARK}", text)
    text = _ITALIC.sub(lambda m: f"_{m.group(1)}_", text)
    text = text.replace(_BOLD_MARK, "*")
    return re.sub("\x01(\\d+)\x01", lambda m: links[int(m.group(1))], text)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, broken at paragraphs, then lines, then words."""
    if len(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        pieces = _pack(text.split(separator), separator, limit)
        if pieces is not None:
            return pieces
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def _pack(parts: list[str], separator: str, limit: int) -> list[str] | None:
    if any(len(p) > limit for p in parts):
        return None
    chunks: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{separator}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = part
    chunks.append(current)
    return chunks


def split_code(code: str, limit: int) -> list[str]:
    """Code fenced for mrkdwn, in pieces that each stay a whole fenced block within `limit`."""
    room = limit - len("```\n\n```")
    return [f"```\n{piece}\n```" for piece in split_text(escape(code), room)]
