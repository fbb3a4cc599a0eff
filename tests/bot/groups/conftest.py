"""Study groups reuse the daily-question fixtures: a recording port and a wired runtime."""

from tests.bot.daily.conftest import daily, port

__all__ = ["daily", "port"]
