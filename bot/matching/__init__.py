"""Matching a learner's written answer against a question's key points (issue 15)."""

from bot.matching.catalog import CatalogMatcher
from bot.matching.matcher import DEFAULT_TUNING, TUNINGS, KeyPointMatcher, Method, Tuning, suggest

__all__ = [
    "DEFAULT_TUNING",
    "TUNINGS",
    "CatalogMatcher",
    "KeyPointMatcher",
    "Method",
    "Tuning",
    "suggest",
]
