"""A person's home: a page that is always there (Slack's App Home tab), not a reply that
scrolls away.

The core says what is on it (sections of neutral Markdown with their buttons, the progress
picture, the settings with their current values) and each platform lays it out natively. The
settings are described as form fields, so a platform shows them with the same widgets as a
form: a choice as a select or radio buttons, a timezone as a searchable select.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.forms import FormField
from bot.domain.replies import Attachment, Button


@dataclass(frozen=True)
class HomeSection:
    title: str
    text: str  # neutral Markdown
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Home:
    title: str
    subtitle: str
    sections: tuple[HomeSection, ...]
    # The 12-week picture; None until there is something to draw.
    picture: Attachment | None
    # Changed one at a time with `Quizbot.change_setting(ctx, pack_id, field id, value)`.
    settings: tuple[FormField, ...]
    pack_id: str
    buttons: tuple[Button, ...] = ()  # what to do next ("Ask me a question")
    settings_title: str = "Settings"
