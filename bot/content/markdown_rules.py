"""The Markdown a question may use, checked with a CommonMark parser (docs/content-format.md).

Bodies are rendered natively by every adapter (Slack mrkdwn, Discord embeds, the terminal), and
each of them knows paragraphs, `**bold**`, `*italic*`, `` `code` ``, lists, https links and code
fences at the start of a line: nothing else. Problems name the line in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.content.problems import ContentProblem

ANSWER_WORDS = range(80, 301)  # 80 to 300 words, code blocks not counted
OPENING_SENTENCES = 2
FENCE = "```"
RUNNABLE = "runnable"
RUNNABLE_LANGUAGE = "python"
_LANGUAGE = re.compile(r"^[a-z0-9][a-z0-9+#._-]*$")
# A sentence ends at . ! or ? (closing quotes and brackets may follow) before more text.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=\S)")
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf)\.", re.IGNORECASE)
# Text with none of Markdown's inline marks, not starting like a list item: nothing to check.
_PLAIN = re.compile(r"^(?!\d+[.)]\s|[-+]\s)[^<>*_`\[\]!&~#|\\\n]*$")

_BLOCKS_REFUSED = {
    "html_block": "raw HTML: Slack, Discord and the terminal show it as text; write Markdown",
    "table_open": "a table: Slack, Discord and the terminal cannot show one; use a list",
    "heading_open": "a heading: a question has only `## Question` and `## Answer`; use **bold**",
    "blockquote_open": "a block quote (`>`): not part of the format; write a paragraph",
    "hr": "a horizontal rule: not part of the format; leave a blank line",
    "code_block": f"an indented code block: put code between {FENCE} fences",
}
_INLINE_REFUSED = {
    "html_inline": "raw HTML `{content}`: Slack, Discord and the terminal show it as text",
    "image": "an image: no platform shows one in a reply; link to it instead",
    "s_open": "strikethrough (`~~`): not part of the format",
}


@dataclass(frozen=True)
class Section:
    """Lines of one part of a question file and the 1-based file line of each."""

    path: Path
    lines: Sequence[str]
    numbers: Sequence[int]

    def line(self, index: int) -> int:
        """The file line of the section's 0-based line `index` (clamped to the section)."""
        if not self.numbers:
            return 0
        return self.numbers[max(0, min(index, len(self.numbers) - 1))]

    def problem(self, index: int, message: str) -> ContentProblem:
        return ContentProblem(self.path, self.line(index), message)


@cache
def _parser() -> MarkdownIt:
    """CommonMark with raw HTML recognised, plus the GFM tables and strikethrough authors try,
    so they can be refused; entities and escapes stay separate tokens (no text join)."""
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .disable("text_join")
    )


def body_problems(section: Section, *, answer_heading: int | None = None) -> list[ContentProblem]:
    """Everything in a `## Question` or `## Answer` body outside the allowed Markdown; for the
    answer (`answer_heading` is its heading's line), also its length and opening."""
    tokens = _parser().parse("\n".join(section.lines))
    problems: list[ContentProblem] = []
    for token in tokens:
        start = token.map[0] if token.map else 0
        if token.type in _BLOCKS_REFUSED:
            problems.append(section.problem(start, _BLOCKS_REFUSED[token.type]))
        elif token.type == "fence":
            problems += _fence_problems(section, token)
        elif token.type == "inline":
            problems += [
                section.problem(start + offset, message) for offset, message in _inline(token)
            ]
    if answer_heading is not None:
        problems += _answer_problems(section, tokens, answer_heading)
    return problems


def _answer_problems(
    section: Section, tokens: Sequence[Token], heading_line: int
) -> list[ContentProblem]:
    """The answer's length and its opening: a direct answer of one or two sentences."""
    problems: list[ContentProblem] = []
    words = sum(
        len(child.content.split())
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type in ("text", "code_inline", "text_special")
    )
    if words not in ANSWER_WORDS:
        problems.append(
            ContentProblem(
                section.path,
                heading_line,
                f"the answer has {words} word{'s' if words != 1 else ''}; answers have "
                f"{ANSWER_WORDS.start}-"
                f"{ANSWER_WORDS.stop - 1} (code blocks not counted)",
            )
        )
    first = next((t for t in tokens if t.block and t.type != "paragraph_close"), None)
    if first is None:
        return problems
    where = first.map[0] if first.map else 0
    if first.type != "paragraph_open":
        problems.append(
            section.problem(
                where, "the answer must open with a paragraph: a one- or two-sentence answer"
            )
        )
        return problems
    opening = tokens[tokens.index(first) + 1]
    sentences = _sentences(_plain(opening))
    if sentences > OPENING_SENTENCES:
        problems.append(
            section.problem(
                where,
                f"the opening paragraph has {sentences} sentences; open with a one- or "
                "two-sentence direct answer and give the detail after it",
            )
        )
    return problems


def inline_problems(path: Path, text: str, line: int, field: str) -> list[ContentProblem]:
    """A key point or the follow-up: one line of the same inline Markdown as the bodies."""
    if _PLAIN.match(text):
        return []  # nothing Markdown could read as markup: most key points, parsed for nothing
    tokens = _parser().parse(text)
    if [t.type for t in tokens] != ["paragraph_open", "inline", "paragraph_close"]:
        return [
            ContentProblem(
                path, line, f"`{field}` must be plain text with inline Markdown (no list, heading…)"
            )
        ]
    return [ContentProblem(path, line, f"`{field}`: {m}") for _, m in _inline(tokens[1])]


def _fence_problems(section: Section, token: Token) -> list[ContentProblem]:
    start, end = token.map if token.map else (0, 0)
    opening, closing = section.lines[start], section.lines[end - 1] if end > start + 1 else ""
    if token.markup[0] not in closing:
        return []  # never closed: the loader reports that
    if token.markup != FENCE or not opening.startswith(FENCE) or closing.rstrip() != FENCE:
        return [
            section.problem(
                start,
                f"a code block is fenced by {FENCE} at the start of a line, above and below it "
                "(no indent, no ~~~, no longer fences): adapters split code out by these fences",
            )
        ]
    words = token.info.split()
    if not words:
        return []
    language, *rest = words
    problems: list[ContentProblem] = []
    if not _LANGUAGE.match(language):
        problems.append(
            section.problem(
                start, f"code language `{language}` must be one lowercase word, like `python`"
            )
        )
    if rest == [RUNNABLE] and language != RUNNABLE_LANGUAGE:
        problems.append(
            section.problem(
                start,
                f"only `{RUNNABLE_LANGUAGE} {RUNNABLE}` blocks are run by the test suite; "
                f"`{language} {RUNNABLE}` would never run",
            )
        )
    elif rest and rest != [RUNNABLE]:
        extra = " ".join(rest)
        problems.append(
            section.problem(
                start,
                f"unknown `{extra}` after the code language: only `{RUNNABLE}` may follow it",
            )
        )
    return problems


def _inline(token: Token) -> Iterator[tuple[int, str]]:
    """(line offset within the paragraph, message) for each refused inline construct."""
    offset = 0
    html_lines: set[int] = set()  # `<b>x</b>` is one mistake, not two
    children = token.children or []
    for index, child in enumerate(children):
        if child.type in ("softbreak", "hardbreak"):
            offset += 1
        elif child.type == "html_inline":
            if offset not in html_lines:
                html_lines.add(offset)
                yield offset, _INLINE_REFUSED[child.type].format(content=child.content.strip())
        elif child.type in _INLINE_REFUSED:
            yield offset, _INLINE_REFUSED[child.type].format(content=child.content.strip())
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if child.markup == "autolink":
                yield offset, f"write the link as [text]({href})"
            elif not href.startswith("https://"):
                yield offset, f"link to `{href}`: links are full https:// addresses"
        elif child.type in ("strong_open", "em_open") and child.markup[0] == "_":
            marked = f"{child.markup}{_inner_text(children, index)}{child.markup}"
            message = (
                f"`{marked}` is Markdown emphasis (Discord underlines it and drops the "
                "underscores): put names in backticks; bold is **text**, italic *text*"
            )
            yield offset, message
        elif child.type == "text_special" and child.info == "entity":
            yield offset, f"HTML entity `{child.markup}`: write the character itself"


def _inner_text(children: Sequence[Token], opening: int) -> str:
    """The text between an opening token and its closing one."""
    closing = children[opening].type.replace("_open", "_close")
    text = []
    for child in children[opening + 1 :]:
        if child.type == closing:
            break
        text.append(child.content)
    return "".join(text)


def _plain(inline: Token) -> str:
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "text_special"):
            parts.append(child.content)
        elif child.type == "code_inline":
            parts.append("code")
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(_ABBREVIATIONS.sub("abbr", text.strip()))) + 1
