"""The forms Quizbot opens: a written answer, and a channel's daily-question settings."""

from __future__ import annotations

from bot.domain.content import Level, Pack, Question, QuestionRef
from bot.domain.coverage import WRITTEN_ANSWER_LIMIT
from bot.domain.forms import FieldKind, Form, FormField, FormKind, Option
from bot.domain.replies import Markdown, Reply
from bot.domain.schedule import WEEKDAYS, WORKDAYS
from bot.domain.subscriptions import DEFAULT_TEAM_SIZE, MAX_TEAM_SIZE, Subscription

DEFAULT_POST_TIME = "09:00"
ANY_LEVEL = "any"
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Field ids, which adapters use as block and component ids and hand back with the values.
ANSWER = "answer"
POST_TIME = "post_time"
TIMEZONE = "timezone"
DAYS = "days"
LEVEL = "level"
REVEAL_TIME = "reveal_time"
TEAM = "team"


def answer_form(question: Question) -> Form:
    return Form(
        kind=FormKind.ANSWER,
        title="Write my answer",
        submit="Check my answer",
        state=QuestionRef(question.pack_id, question.id).encode(),
        intro=f"**{question.number}. {question.prompt}**",
        fields=(
            FormField(
                ANSWER,
                "Your answer",
                FieldKind.LONG_TEXT,
                max_length=WRITTEN_ANSWER_LIMIT,
                hint="As you would say it in the interview",
            ),
        ),
    )


def answer_form_reply(question: Question) -> Reply:
    """Where no form can open, the typed way to do the same."""
    return Reply(
        blocks=(Markdown(f"Write your answer with `answer {question.number} <your answer>`."),),
        form=answer_form(question),
    )


def subscribe_form(pack: Pack, current: Subscription | None, timezone: str) -> Form:
    """Opens on the channel's settings if it has some, else on weekday mornings."""
    level_options = (
        Option(ANY_LEVEL, "Any level"),
        *(Option(level.value, level.value.capitalize()) for level in Level),
    )
    days = current.schedule.weekdays if current else WORKDAYS
    level = current.level.value if current and current.level else ANY_LEVEL
    return Form(
        kind=FormKind.SUBSCRIBE,
        title="Daily question",
        submit="Save",
        state=pack.id,
        intro=f"One question a day from {pack.title}, posted here. Channel admins only.",
        fields=(
            FormField(
                POST_TIME,
                "Post at",
                FieldKind.TIME,
                initial=f"{current.schedule.post_time:%H:%M}" if current else DEFAULT_POST_TIME,
                hint="HH:MM, 24-hour",
            ),
            FormField(TIMEZONE, "Timezone", FieldKind.TIMEZONE, initial=timezone),
            FormField(
                DAYS,
                "Days",
                FieldKind.CHOICES,
                initial=tuple(WEEKDAYS[d] for d in sorted(days)),
                options=tuple(Option(WEEKDAYS[i], name) for i, name in enumerate(_DAY_NAMES)),
            ),
            FormField(LEVEL, "Level", FieldKind.CHOICE, initial=level, options=level_options),
            FormField(
                REVEAL_TIME,
                "Post the answer at",
                FieldKind.TIME,
                required=False,
                initial=f"{current.reveal_time:%H:%M}" if current and current.reveal_time else "",
                hint="Leave empty to keep answers hidden until someone asks",
            ),
            FormField(
                TEAM,
                "Team size",
                FieldKind.NUMBER,
                initial=str(current.team_threshold if current else DEFAULT_TEAM_SIZE),
                min_value=1,
                max_value=MAX_TEAM_SIZE,
                hint="How many members must grade the daily question for a team day",
            ),
        ),
    )


def subscribe_form_reply(pack: Pack, current: Subscription | None, timezone: str) -> Reply:
    return Reply(
        blocks=(
            Markdown(
                f"Set the daily question with `/{pack.command} subscribe 09:00 Europe/Berlin`."
            ),
        ),
        form=subscribe_form(pack, current, timezone),
    )
