"""Every rule of docs/content-format.md is enforced by `quizbot content check`, with file and line.

Each case is a small pack: the mini pack plus one question that breaks one rule in a known place.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.loader import check_root
from tests.conftest import MINI_CONTENT

# Lines 1-18 of every sample; the answer starts on line 19 and the filler paragraph is line 21.
HEAD = """\
---
id: sample
number: 7
level: mid
topics: [basics]
key_points:
  - One point.
  - Two things.
  - Three things.
follow_up: And then what?
---

## Question

Why?

## Answer

"""
OPENING = "Because it is. That is the short answer."
FILLER = (
    "The detail follows the direct answer, as the format asks, and this paragraph is long "
    "enough on its own to carry any sample past the eighty words an answer needs. It talks "
    "about nothing in particular, names `code` and **bold** text, and keeps going in plain "
    "words so that each test can add the one thing it is about below it, on a line whose "
    "number the test knows. Two more sentences make sure of the count. Here they are, ending "
    "the paragraph now."
)
ADDED = 23  # the first line of text a case adds after the filler


def sample(addition: str = "", *, answer: str | None = None, head: str = HEAD) -> str:
    body = f"{OPENING}\n\n{FILLER}\n" if answer is None else answer
    return head + body + (f"\n{addition}\n" if addition else "")


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(MINI_CONTENT, root)
    return root / "mini"


def problems(pack: Path, text: str) -> list[tuple[str, int, str]]:
    (pack / "questions" / "q007-sample.md").write_text(text, encoding="utf-8")
    _packs, found = check_root(pack.parent)
    return [(p.path.name, p.line, p.message) for p in found]


def only_problem(pack: Path, text: str) -> tuple[int, str]:
    found = problems(pack, text)
    assert len(found) == 1, found
    ((name, line, message),) = found
    assert name == "q007-sample.md"
    return line, message


def test_the_sample_itself_passes(pack: Path) -> None:
    assert problems(pack, sample()) == []


# Markdown that no platform renders natively -------------------------------------------------

REFUSED_MARKDOWN = [
    ("<div>hi</div>", ADDED, "raw HTML"),
    ("A line of text\nand <b>bold</b> on the next.", ADDED + 1, "raw HTML `<b>`"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", ADDED, "a table"),
    ("See ![the diagram](https://example.org/d.png).", ADDED, "an image"),
    ("### Detail", ADDED, "a heading"),
    ("> Quoted wisdom.", ADDED, "a block quote"),
    ("***", ADDED, "a horizontal rule"),
    ("    x = 1", ADDED, "an indented code block"),
    ("~~~python\nx = 1\n~~~", ADDED, "fenced by ``` at the start of a line"),
    ("- an item\n\n  ```python\n  x = 1\n  ```", ADDED + 2, "fenced by ``` at the start"),
    ("````python\nx = 1\n````", ADDED, "fenced by ``` at the start of a line"),
    ("[the docs](http://example.org)", ADDED, "links are full https:// addresses"),
    ("[the docs](/docs/tutorial)", ADDED, "link to `/docs/tutorial`"),
    ("<https://example.org>", ADDED, "write the link as [text](https://example.org)"),
    ("It is __very__ so.", ADDED, "`__very__` is Markdown emphasis"),
    ("It is _quite_ so.", ADDED, "`_quite_` is Markdown emphasis"),
    ("Fast&nbsp;API", ADDED, "HTML entity `&nbsp;`"),
    ("~~old~~ new", ADDED, "strikethrough"),
]


@pytest.mark.parametrize(("addition", "line", "message"), REFUSED_MARKDOWN)
def test_markdown_outside_the_allowed_set_is_named_on_its_line(
    pack: Path, addition: str, line: int, message: str
) -> None:
    found_line, found = only_problem(pack, sample(addition))
    assert found_line == line
    assert message in found


def test_allowed_markdown_passes(pack: Path) -> None:
    allowed = (
        "A paragraph with **bold**, *italic*, `code` and [a link](https://example.org).\n\n"
        "- a bullet\n  - a nested bullet\n\n1. a numbered item\n2. another\n\n"
        "```python\nx = 1\n```\n\n```python runnable\nassert 1 + 1 == 2\n```\n\n"
        "```bash\necho hi\n```\n\n```\nplain text\n```\n\nEscaped \\*stars\\* stay text."
    )
    assert problems(pack, sample(allowed)) == []


def test_raw_html_in_the_question_is_refused_too(pack: Path) -> None:
    text = sample().replace("Why?\n", "Why?<br>\n")
    assert only_problem(pack, text) == (
        15,
        "raw HTML `<br>`: Slack, Discord and the terminal show it as text",
    )


# Code fences ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("info", "message"),
    [
        ("Python", "code language `Python` must be one lowercase word"),
        ("python runable", "unknown `runable` after the code language: only `runnable`"),
        ("bash runnable", "`bash runnable` would never run"),
        ("py runnable", "`py runnable` would never run"),
    ],
)
def test_a_fence_names_one_lowercase_language_and_only_python_runs(
    pack: Path, info: str, message: str
) -> None:
    line, found = only_problem(pack, sample(f"```{info}\nx = 1\n```"))
    assert line == ADDED
    assert message in found


# The answer's length and opening ------------------------------------------------------------


def test_a_three_word_answer_is_too_short(pack: Path) -> None:
    assert only_problem(pack, sample(answer="Because it is.\n")) == (
        17,
        "the answer has 3 words; answers have 80-300 (code blocks not counted)",
    )


def test_an_answer_over_300_words_is_too_long(pack: Path) -> None:
    answer = f"{OPENING}\n\n" + "\n\n".join([FILLER] * 5) + "\n"
    words = len(answer.split())
    assert words > 300
    assert only_problem(pack, sample(answer=answer)) == (
        17,
        f"the answer has {words} words; answers have 80-300 (code blocks not counted)",
    )


def test_code_blocks_do_not_count_towards_the_words(pack: Path) -> None:
    code = "```python\n" + "\n".join(f"word_{n} = {n}  # a comment" for n in range(100)) + "\n```"
    answer = f"{OPENING}\n\n{code}\n"
    assert only_problem(pack, sample(answer=answer)) == (
        17,
        "the answer has 8 words; answers have 80-300 (code blocks not counted)",
    )


@pytest.mark.parametrize("opening", ["- A list first.", "```python\nx = 1\n```"])
def test_the_answer_opens_with_a_paragraph(pack: Path, opening: str) -> None:
    answer = f"{opening}\n\n{FILLER}\n"
    assert only_problem(pack, sample(answer=answer)) == (
        19,
        "the answer must open with a paragraph: a one- or two-sentence answer",
    )


def test_the_opening_has_at_most_two_sentences(pack: Path) -> None:
    answer = f"It is. It really is. Believe it!\n\n{FILLER}\n"
    line, message = only_problem(pack, sample(answer=answer))
    assert (line, message.split(";")[0]) == (19, "the opening paragraph has 3 sentences")


def test_abbreviations_and_code_do_not_end_a_sentence(pack: Path) -> None:
    opening = "Use a dependency, e.g. a session from `app.state.db`. It is shared, i.e. reused."
    assert problems(pack, sample(answer=f"{opening}\n\n{FILLER}\n")) == []


# Key points and the follow-up are rendered as Markdown too ---------------------------------


def test_key_points_and_follow_up_name_their_own_line(pack: Path) -> None:
    head = HEAD.replace("  - Two things.", "  - Two <b>things</b>.").replace(
        "follow_up: And then what?", "follow_up: What does ![this](https://example.org/x.png) show?"
    )
    assert problems(pack, sample(head=head)) == [
        (
            "q007-sample.md",
            8,
            "`key_points.1`: raw HTML `<b>`: Slack, Discord and the terminal show it as text",
        ),
        (
            "q007-sample.md",
            10,
            "`follow_up`: an image: no platform shows one in a reply; link to it instead",
        ),
    ]


def test_a_key_point_is_one_line_of_text_not_a_list(pack: Path) -> None:
    head = HEAD.replace("  - One point.", "  - 1. A numbered point.")
    assert only_problem(pack, sample(head=head)) == (
        7,
        "`key_points.0` must be plain text with inline Markdown (no list, heading…)",
    )


# Through the executable -----------------------------------------------------------------------


def test_quizbot_content_check_lists_each_broken_rule_with_file_and_line(pack: Path) -> None:
    """The issue's example: a 3-word answer with raw HTML, a Markdown table and an image."""
    answer = (
        "Use <b>this</b>.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![x](https://example.org/x.png)\n"
    )
    path = pack / "questions" / "q007-sample.md"
    path.write_text(sample(answer=answer), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("quizbot")), "content", "check", str(pack.parent)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        # "Use this." and the table's four cells; the image's address is no word
        f"{path}:17: the answer has 7 words; answers have 80-300 (code blocks not counted)",
        f"{path}:19: raw HTML `<b>`: Slack, Discord and the terminal show it as text",
        f"{path}:21: a table: Slack, Discord and the terminal cannot show one; use a list",
        f"{path}:25: an image: no platform shows one in a reply; link to it instead",
        "4 problem(s) found.",
    ]
    assert "Traceback" not in result.stderr
