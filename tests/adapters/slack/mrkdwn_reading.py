"""How a Slack client reads mrkdwn, enough to find the markers a reader would see literally.

Slack's formatting reference lists the markers (`*bold*`, `_italic_`, `~strike~`, `` `code` ``,
```` ``` ```` blocks, `<url|text>`) but gives no grammar. Clients apply a pair of markers only at
word edges, within one line: the opening one at the start of a line or after whitespace or
opening punctuation, and before a non-space; the closing one after a non-space, and before the
end of the line, whitespace or punctuation. Inside code nothing is formatted.
"""

from __future__ import annotations

import re

MARKERS = "*_~"
_FENCED = re.compile(r"```.*?```", re.S)
_CODE = re.compile(r"`[^`\n]+`")
_LINK = re.compile(r"<[^<>\n]+>")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_OPENS_AFTER = f"\\s([{{{_QUOTES}/-"
_CLOSES_BEFORE = f"\\s)\\]}}{_QUOTES}.,;:!?/\u2026-"


def _pair(marker: str) -> re.Pattern[str]:
    m = re.escape(marker)
    return re.compile(
        rf"(?:^|(?<=[{_OPENS_AFTER}])){m}([^\s{m}](?:[^{m}\n]*[^\s{m}])?){m}(?=$|[{_CLOSES_BEFORE}])",
        re.M,
    )


_PAIRS = {marker: _pair(marker) for marker in MARKERS}
_AT_AN_EDGE = {
    marker: re.compile(
        rf"(?:(?:^|(?<=[{_OPENS_AFTER}])){re.escape(marker)}(?=\S))"
        rf"|(?:(?<=\S){re.escape(marker)}(?=$|[{_CLOSES_BEFORE}]))",
        re.M,
    )
    for marker in MARKERS
}


def literal_markers(mrkdwn: str) -> list[str]:
    """The lines where a reader would see `**` or a marker that formats nothing; [] if none."""
    text = _LINK.sub("link", _CODE.sub("code", _FENCED.sub("", mrkdwn)))
    previous = None
    while previous != text:
        previous = text
        for pair in _PAIRS.values():
            text = pair.sub(lambda m: m.group(1), text)
    found: list[str] = []
    for line in text.splitlines():
        if "**" in line or any(_AT_AN_EDGE[m].search(line) for m in MARKERS):
            found.append(line)
    return found
