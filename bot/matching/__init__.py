"""Matching a learner's written answer against a question's key points (issue 15)."""

from bot.matching.matcher import KeyPointMatcher, Method, Tuning, suggest

__all__ = ["KeyPointMatcher", "Method", "Tuning", "suggest"]
