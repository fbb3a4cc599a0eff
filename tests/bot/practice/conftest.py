"""These tests run the core with a scripted answer matcher (tests/bot/scripted_runtime.py)."""

from tests.bot.scripted_runtime import runtime

__all__ = ["runtime"]
