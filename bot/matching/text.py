"""Turning prose into what the matcher compares: clauses, and stemmed content terms.

Stemming (Snowball's English stemmer, pure Python) lets "validates", "validation" and
"validating" meet; function words are kept apart because they tell sentences from term lists.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9]+")
# A clause ends at sentence punctuation followed by space, a semicolon, or a line break.
_CLAUSE_END = re.compile(r"(?<=[.!?;])\s+|\n\s*")
_STEMMER = snowballstemmer.stemmer("english")

# Words that carry grammar rather than subject matter (our own list, tuned to API prose).
_FUNCTION_WORDS_TEXT = """
    a an the and or but nor so yet if then else than that this these those there here it its
    itself they them their theirs we us our you your i me my he she his her one ones
    is are was were be been being am do does did done doing have has had having can could
    will would shall should may might must not no never also too very just only even
    of in on at to for from by with without within into onto out over under about after
    before between through during until while when where which who whom whose what why how
    as because since though although unless whether each every any all both either neither
    some such own same other another more most less least much many few several
    up down off again once per via like instead rather still already always often
    get gets got getting make makes made let lets use uses used using go goes went
    thing things way ways something anything nothing everything someone anyone
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of one lower-case word (cached: answers repeat their words)."""
    return str(_STEMMER.stemWord(word))


def words(text: str) -> list[str]:
    """Lower-case words and numbers; punctuation, code quotes and slashes split them."""
    return _WORD.findall(text.casefold())


def terms(text: str) -> list[str]:
    """The stems of the content words of `text`, in order, repeats kept."""
    return [stem(w) for w in words(text) if w not in FUNCTION_WORDS and len(w) > 1]


def clauses(text: str) -> list[str]:
    """Sentences and semicolon-separated clauses, the units a key point must be stated in."""
    return [part.strip() for part in _CLAUSE_END.split(text) if part and part.strip()]


def function_share(text: str) -> float:
    """How much of `text` is function words: near 0 for a bare list of terms."""
    found = words(text)
    return sum(w in FUNCTION_WORDS for w in found) / len(found) if found else 0.0
