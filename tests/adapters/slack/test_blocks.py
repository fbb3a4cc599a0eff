"""Block Kit rendering: mrkdwn conversion and Slack's limits, split rather than cut."""

from __future__ import annotations

import re

from adapters.slack.blocks import (
    BLOCKS_PER_MESSAGE,
    FALLBACK_LIMIT,
    SECTION_LIMIT,
    action_id_of,
    render,
)
from adapters.slack.mrkdwn import split_code, split_text, to_mrkdwn
from bot.domain.replies import Button, ButtonStyle, CodeBlock, Markdown, Reply
from tests.adapters.slack.mrkdwn_reading import literal_markers
from tests.adapters.slack.slack_rules import block_problems

ENTITIES = re.compile(r"([^&<>]|&amp;|&lt;|&gt;)*", re.S)


def test_mrkdwn_conversion() -> None:
    assert to_mrkdwn("**bold**, *italic* and `**code**`") == "*bold*, _italic_ and `**code**`"
    assert (
        to_mrkdwn("see [the docs](https://x.org/a?b=1&c=2)")
        == "see <https://x.org/a?b=1&c=2|the docs>"
    )
    assert to_mrkdwn("- one\n  - two\n1. three") == "• one\n  • two\n1. three"
    assert to_mrkdwn("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert to_mrkdwn("`x<y>`") == "`x&lt;y&gt;`"


def test_emphasis_may_span_inline_code() -> None:
    assert (
        to_mrkdwn("- **Decorator `status_code`**: applies")
        == "• *Decorator `status_code`*: applies"
    )
    assert to_mrkdwn("**`async def`.** The coroutine") == "*`async def`.* The coroutine"
    assert to_mrkdwn("*the `a<b>` case* & **`x & y` > z**") == (
        "_the `a&lt;b&gt;` case_ &amp; *`x &amp; y` &gt; z*"
    )
    assert to_mrkdwn("**see [the `docs`](https://x.org/?a=1&b=2)**") == (
        "*see <https://x.org/?a=1&b=2|the `docs`>*"
    )
    assert to_mrkdwn("`**not bold**` and **bold**") == "`**not bold**` and *bold*"


def test_dunder_names_in_prose_are_shown_as_code() -> None:
    """Slack has no escape, and would read their underscores as italics."""
    converted = to_mrkdwn("a validator (__pydantic_validator__) and `__init__`; snake_case")
    assert converted == "a validator (`__pydantic_validator__`) and `__init__`; snake_case"
    assert literal_markers(converted) == []


def test_fallback_text_is_plain_escaped_words() -> None:
    reply = Reply(
        title="Recorded",
        blocks=(Markdown("You **knew it** for `a<b>` & *more*: [docs](https://x.org)"),),
    )
    (message,) = render(reply)
    assert message.text == "Recorded\n\nYou knew it for a&lt;b&gt; &amp; more: docs"


def test_long_fallback_text_is_clipped_at_a_word_with_an_ellipsis() -> None:
    words = " ".join(f"w{n}" for n in range(200))
    (message,) = render(Reply(blocks=(Markdown(f"**{words}**"),)))
    assert len(message.text) <= FALLBACK_LIMIT
    assert message.text.endswith("…")
    assert words.startswith(message.text[:-1] + " ")


def test_clipping_the_fallback_never_cuts_an_entity() -> None:
    (message,) = render(Reply(blocks=(Markdown("a < b & " * 100),)))
    assert ENTITIES.fullmatch(message.text)
    assert message.text.endswith("…")


def test_a_long_line_of_ampersands_is_split_between_entities() -> None:
    """Escaping makes each `&` five characters; no piece may end inside `&amp;`."""
    for code in ("&" * 5000, "x" + "&" * 5000, "xy" + "<>" * 2000 + "&" * 3000):
        pieces = split_code(code, SECTION_LIMIT)
        assert len(pieces) > 1
        assert all(len(p) <= SECTION_LIMIT for p in pieces)
        assert all(ENTITIES.fullmatch(p) for p in pieces)
        inner = "".join(p.removeprefix("```\n").removesuffix("\n```") for p in pieces)
        assert inner.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == code
        (message,) = render(Reply(blocks=(CodeBlock(code),)))
        assert block_problems(message.blocks) == []


def test_a_long_word_of_ampersands_in_prose_is_split_between_entities() -> None:
    (message,) = render(Reply(blocks=(Markdown("start " + "&" * 4000 + " end"),)))
    sections = [b["text"]["text"] for b in message.blocks]
    assert len(sections) > 1
    assert all(ENTITIES.fullmatch(s) for s in sections)
    assert block_problems(message.blocks) == []


def test_code_block_is_fenced_and_escaped() -> None:
    (message,) = render(Reply(blocks=(CodeBlock("if a < b:\n    pass", "python"),)))
    assert message.blocks == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "```\nif a &lt; b:\n    pass\n```"}}
    ]


def test_long_answer_is_split_into_sections_without_losing_text() -> None:
    paragraphs = [f"Paragraph {n}: " + "word " * 120 for n in range(40)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    (message,) = render(Reply(blocks=(Markdown(text),)))
    sections = [b["text"]["text"] for b in message.blocks]
    assert len(sections) > 1
    assert all(len(s) <= SECTION_LIMIT for s in sections)
    assert "\n\n".join(sections) == text


def test_long_code_is_split_into_whole_fences() -> None:
    code = "\n".join(f"value_{n} = {n}  # a line of code" for n in range(400))
    (message,) = render(Reply(blocks=(CodeBlock(code),)))
    pieces = [b["text"]["text"] for b in message.blocks]
    assert len(pieces) > 1
    assert all(p.startswith("```\n") and p.endswith("\n```") for p in pieces)
    assert all(len(p) <= SECTION_LIMIT for p in pieces)
    assert "\n".join(p[4:-4] for p in pieces) == code


def test_more_than_fifty_blocks_become_several_messages() -> None:
    blocks = tuple(Markdown(f"part {n}") for n in range(120))
    messages = render(Reply(blocks=blocks, buttons=(Button("Go", "quizbot.next", "v"),)))
    assert [len(m.blocks) for m in messages] == [50, 50, 21]
    assert all(len(m.blocks) <= BLOCKS_PER_MESSAGE for m in messages)
    assert messages[-1].blocks[-1]["type"] == "actions"


def test_split_text_falls_back_to_words_then_characters() -> None:
    assert split_text("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]
    assert split_text("x" * 10, 4) == ["xxxx", "xxxx", "xx"]


def test_buttons_have_unique_action_ids_and_styles() -> None:
    reply = Reply(
        blocks=(Markdown("q"),),
        buttons=(
            Button("Knew it", "quizbot.grade", "p:q:knew", ButtonStyle.PRIMARY),
            Button("Missed", "quizbot.grade", "p:q:missed"),
        ),
    )
    (message,) = render(reply)
    first, second = message.blocks[-1]["elements"]
    assert (first["action_id"], second["action_id"]) == ("quizbot.grade#0", "quizbot.grade#1")
    assert first["style"] == "primary"
    assert "style" not in second
    assert action_id_of(second["action_id"]) == "quizbot.grade"


def test_header_is_clipped_to_slack_limit() -> None:
    (message,) = render(Reply(title="T" * 400, blocks=()))
    assert len(message.blocks[0]["text"]["text"]) == 150
