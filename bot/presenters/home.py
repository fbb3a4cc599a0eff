"""A person's home: streaks, what is due, today's grades, recall by level, the picture, and
their settings (usual level, timezone, streak reminders) with the values they have now."""

from __future__ import annotations

from datetime import datetime

from bot.domain import actions
from bot.domain.commands import NextQuestion
from bot.domain.content import Level, Pack
from bot.domain.forms import FieldKind, FormField, Option
from bot.domain.grades import Grade
from bot.domain.home import Home, HomeSection
from bot.domain.replies import Button, ButtonStyle
from bot.presenters.forms import ANY_LEVEL
from bot.presenters.progress import stats_picture
from bot.presenters.wording import days, relative
from bot.usecases.home import HomeData

# Setting ids: a platform hands one back with the new value (`Quizbot.change_setting`).
LEVEL = "level"
TIMEZONE = "timezone"
REMIND = "remind"
ON, OFF = "on", "off"

ASK = "Ask me a question"
REVIEW_NOW = "Review now"


def home(data: HomeData, pack: Pack, now: datetime) -> Home:
    stats = data.stats
    return Home(
        title=f"{pack.title} practice",
        subtitle=f"{stats.display_name} · {stats.practised}/{stats.total} questions practised",
        sections=(
            HomeSection("Streak", _streak(data)),
            HomeSection("Due for review", *_due(data, pack, now)),
            HomeSection("Today", _today(data)),
            HomeSection("Recall by level", _levels(data)),
        ),
        picture=stats_picture(stats) if stats.graded else None,
        buttons=(
            Button(
                ASK,
                actions.NEXT,
                actions.next_value(NextQuestion(pack_id=pack.id)),
                ButtonStyle.PRIMARY,
            ),
        ),
        settings=settings(data),
        pack_id=pack.id,
    )


def settings(data: HomeData) -> tuple[FormField, ...]:
    zone = data.stats.streaks.timezone if data.stats.streaks else "UTC"
    return (
        FormField(
            LEVEL,
            "Usual level",
            FieldKind.CHOICE,
            initial=data.level.value if data.level else ANY_LEVEL,
            options=(
                Option(ANY_LEVEL, "Any level"),
                *(Option(level.value, level.value.capitalize()) for level in Level),
            ),
            hint="What “Ask me a question” and the slash command pick from",
        ),
        FormField(
            TIMEZONE,
            "Timezone",
            FieldKind.TIMEZONE,
            initial=zone,
            hint="Your days, and so your streak, are counted in this zone"
            + ("" if data.own_timezone else " (not chosen yet: taken from your profile)"),
        ),
        FormField(
            REMIND,
            "Streak reminders",
            FieldKind.CHOICE,
            initial=ON if data.reminds else OFF,
            options=(
                Option(ON, "On: a private nudge when my streak is at risk"),
                Option(OFF, "Off"),
            ),
        ),
    )


def _streak(data: HomeData) -> str:
    if data.stats.streaks is None:
        return "No streak yet."
    overall = data.stats.streaks.overall
    freezes = f"{overall.freezes} freeze{'s' if overall.freezes != 1 else ''} held"
    line = f"**{days(overall.current)}** now · best {days(overall.best)} · {freezes}"
    if overall.at_risk:
        line += "\nPractise today to keep it going."
    elif not overall.current:
        line += "\nGrade a question today to start one."
    return line


def _due(data: HomeData, pack: Pack, now: datetime) -> tuple[str, tuple[Button, ...]]:
    stats = data.stats
    if stats.due_now:
        noun = "question is" if stats.due_now == 1 else "questions are"
        button = Button(REVIEW_NOW, actions.REVIEW, pack.id, ButtonStyle.PRIMARY)
        return f"**{stats.due_now}** {noun} due for review now.", (button,)
    if stats.next_due is not None:
        return f"Nothing is due. Your next review is {relative(stats.next_due, now)}.", ()
    return "Nothing to review yet: grade yourself on a few questions first.", ()


def _today(data: HomeData) -> str:
    graded = sum(data.today.values())
    if not graded:
        return "No grades yet today."
    counts = ", ".join(f"{data.today.get(grade, 0)} {grade.label.lower()}" for grade in Grade)
    return f"**{graded}** graded: {counts}"


def _levels(data: HomeData) -> str:
    return "\n".join(
        f"- {lp.level.value.capitalize()}: {lp.practised}/{lp.total} practised"
        + (f", recall {lp.knew / lp.graded:.0%}" if lp.graded else "")
        for lp in data.stats.levels
    )
