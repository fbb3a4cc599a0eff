"""Neutral Markdown to Slack mrkdwn or plain text, and splitting text to fit Block Kit's limits.

Code spans are set aside before anything else and put back last, so emphasis may span them
(`**Decorator `status_code`**` → `*Decorator `status_code`*`) while their insides stay literal.
"""

from __future__ import annotations

import re

from bot.domain.splitting import split_at_breaks

_CODE_SPAN = re.compile(r"`[^`\n]+`")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?![\s*])(.+?)(?<![\s*])\*(?![*\w])")
_BULLET = re.compile(r"^(\s*)[-*] ", re.M)
# A Markdown quote line; Slack reads a line-leading `>` as a quote, so that one stays unescaped.
_QUOTE = re.compile(r"^> ", re.M)
_ESCAPED_QUOTE = re.compile(r"^&gt; ", re.M)
# Python's dunder names in prose: Slack has no escape and would take their underscores for
# italics, so they are shown as code, which is what they are.
_DUNDER = re.compile(r"(?<!\w)__\w+__(?!\w)")
# Stand-ins for what is set aside; control characters never shown, so dropped from the input.
_UNSEEN = re.compile("[\x00-\x03]")
_BOLD_MARK = "\x00"
_LINK_SLOT = re.compile("\x01(\\d+)\x01")
_CODE_SLOT = re.compile("\x02(\\d+)\x02")
# What escape() produces; a cut must never fall inside one.
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_ENTITY_LONGEST = len("&amp;")
ELLIPSIS = "…"


def escape(text: str) -> str:
    """Slack treats &, < and > as control characters everywhere, code included."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(markdown: str) -> str:
    """**bold** → *bold*, *italic* → _italic_, [t](u) → <u|t>, `- ` → `• `, `> ` quotes kept;
    code spans kept."""
    text, spans = _set_code_aside(markdown)
    text = _DUNDER.sub(lambda m: _slot(spans, f"`{m.group(0)}`"), text)
    links: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        links.append(f"<{match.group(2)}|{_emphasis(escape(match.group(1)))}>")
        return f"\x01{len(links) - 1}\x01"

    text = _LINK.sub(keep_link, text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", escape(text))
    text = _ESCAPED_QUOTE.sub("> ", text)
    text = _emphasis(text)
    text = _LINK_SLOT.sub(lambda m: links[int(m.group(1))], text)
    return _CODE_SLOT.sub(lambda m: escape(spans[int(m.group(1))]), text)


def _emphasis(text: str) -> str:
    text = _BOLD.sub(lambda m: f"{_BOLD_MARK}{m.group(1)}{_BOLD_MARK}", text)
    text = _ITALIC.sub(lambda m: f"_{m.group(1)}_", text)
    return text.replace(_BOLD_MARK, "*")


def to_plain(markdown: str) -> str:
    """Readable text without Markdown's markers (for notifications and screen readers);
    not escaped, so that it can be clipped first."""
    text, spans = _set_code_aside(markdown)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _QUOTE.sub("", text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    text = _BOLD.sub(lambda m: m.group(1), text)
    text = _ITALIC.sub(lambda m: m.group(1), text)
    return _CODE_SLOT.sub(lambda m: spans[int(m.group(1))][1:-1], text)


def clip_words(text: str, limit: int) -> str:
    """At most `limit` characters: cut at the last word boundary that fits, with an ellipsis
    (mid-word only when that boundary would lose more than half)."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS)]
    last_space = re.search(r"\s\S*$", head)
    if not text[len(head)].isspace() and last_space and last_space.start() >= limit // 2:
        head = head[: last_space.start()]
    return head.rstrip().rstrip(",;:") + ELLIPSIS


def _set_code_aside(markdown: str) -> tuple[str, list[str]]:
    spans: list[str] = []
    text = _CODE_SPAN.sub(lambda m: _slot(spans, m.group(0)), _UNSEEN.sub("", markdown))
    return text, spans


def _slot(spans: list[str], code: str) -> str:
    spans.append(code)
    return f"\x02{len(spans) - 1}\x02"


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, broken at paragraphs, then lines, then words, and
    only then anywhere but inside an entity such as `&amp;`."""
    return split_at_breaks(text, limit, cut=_before_an_entity)


def _before_an_entity(text: str, limit: int) -> int:
    """Where to cut `text` near `limit` without cutting an entity in two."""
    near = _ENTITY.finditer(text, max(0, limit - _ENTITY_LONGEST), limit + _ENTITY_LONGEST)
    return next((e.start() for e in near if e.start() < limit < e.end()), limit)


def split_code(code: str, limit: int) -> list[str]:
    """Code fenced for mrkdwn, in pieces that each stay a whole fenced block within `limit`."""
    room = limit - len("```\n\n```")
    return [f"```\n{piece}\n```" for piece in split_text(escape(code), room)]
