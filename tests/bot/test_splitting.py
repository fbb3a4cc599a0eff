"""Long text in pieces: at the largest break that fits, never over the limit, nothing lost."""

from __future__ import annotations

from bot.domain.splitting import split_at_breaks


def test_short_text_is_one_piece() -> None:
    assert split_at_breaks("one two", 7) == ["one two"]


def test_paragraphs_are_packed_before_lines_and_words_are_used() -> None:
    text = "aa aa\naa\n\nbb bb\n\ncc"
    assert split_at_breaks(text, 9) == ["aa aa\naa", "bb bb\n\ncc"]
    assert split_at_breaks("aaa bbb\nccc ddd", 7) == ["aaa bbb", "ccc ddd"]
    assert split_at_breaks("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]


def test_only_a_part_too_long_falls_back_to_a_smaller_break() -> None:
    """A long paragraph is split at lines; the paragraphs around it stay whole."""
    long_paragraph = "\n".join(["x" * 8] * 3)
    pieces = split_at_breaks(f"intro\n\n{long_paragraph}\n\nend", 17)
    assert pieces == ["intro", "xxxxxxxx\nxxxxxxxx", "xxxxxxxx\n\nend"]


def test_a_word_longer_than_the_limit_is_cut_where_the_caller_says() -> None:
    assert split_at_breaks("x" * 10, 4) == ["xxxx", "xxxx", "xx"]
    before_a_dot = split_at_breaks(
        "abc.def.ghi", 5, cut=lambda text, limit: text.rfind(".", 0, limit)
    )
    assert before_a_dot == ["abc", ".def", ".ghi"]


def test_a_cut_that_makes_no_progress_still_ends() -> None:
    assert split_at_breaks("abcdef", 2, cut=lambda text, limit: 0) == ["a", "b", "c", "d", "ef"]
