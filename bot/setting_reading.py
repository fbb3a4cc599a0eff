"""Reading one changed setting (from a home's select or toggle) into the command that makes
the change, so it goes down the same path, with the same checks, as the typed command."""

from __future__ import annotations

from bot.domain.commands import Remind, SetLevel, SetTimezone
from bot.domain.errors import QuizError
from bot.form_reading import read_level, read_timezone
from bot.presenters import home

UNKNOWN_SETTING = "That setting is not one I know any more. Open the home again to see them."

SettingCommand = SetLevel | SetTimezone | Remind


def read_setting(setting_id: str, value: str) -> SettingCommand:
    """The command for a setting's new value; QuizError, saying why, for a value it can't take."""
    word = value.strip()
    if setting_id == home.LEVEL:
        level, problem = read_level(word)
        if problem:
            raise QuizError(problem)
        return SetLevel(level)
    if setting_id == home.TIMEZONE:
        zone, problem = read_timezone(word)
        if problem:
            raise QuizError(problem)
        return SetTimezone(zone)
    if setting_id == home.REMIND:
        if word.lower() not in (home.ON, home.OFF):
            raise QuizError("Streak reminders are either on or off.")
        return Remind(word.lower() == home.ON)
    raise QuizError(UNKNOWN_SETTING)
