"""Reading one changed setting (from a home's select or toggle) into the command that makes
the change, so it goes down the same path, with the same checks, as the typed command."""

from __future__ import annotations

from bot.domain.commands import Remind, SetLevel, SetTimezone
from bot.domain.content import Level
from bot.domain.errors import QuizError
from bot.domain.schedule import parse_timezone
from bot.presenters import home
from bot.presenters.forms import ANY_LEVEL

UNKNOWN_SETTING = "That setting is not one I know any more. Open the home again to see them."

SettingCommand = SetLevel | SetTimezone | Remind


def read_setting(setting_id: str, value: str) -> SettingCommand:
    """The command for a setting's new value; QuizError, saying why, for a value it can't take."""
    word = value.strip()
    if setting_id == home.LEVEL:
        if word.lower() == ANY_LEVEL:
            return SetLevel(None)
        try:
            return SetLevel(Level(word.lower()))
        except ValueError:
            raise QuizError("Choose junior, mid, senior or any level.") from None
    if setting_id == home.TIMEZONE:
        if not word:
            raise QuizError("Choose a timezone, such as Europe/Berlin.")
        return SetTimezone(parse_timezone(word))
    if setting_id == home.REMIND:
        if word.lower() not in (home.ON, home.OFF):
            raise QuizError("Streak reminders are either on or off.")
        return Remind(word.lower() == home.ON)
    raise QuizError(UNKNOWN_SETTING)
