"""A channel's daily-question schedule, told to the admin who changed it or anyone asking."""

from __future__ import annotations

from bot.domain import actions
from bot.domain.content import Pack, Question
from bot.domain.replies import (
    Button,
    Markdown,
    Reply,
    Tone,
    text_reply,
)
from bot.usecases.channel import ScheduleView


def schedule_reply(view: ScheduleView, pack: Pack, *, changed: bool) -> Reply:
    sub = view.subscription
    setup = Button("Set up daily question", actions.SETUP, pack.id)
    if sub is None:
        return Reply(
            blocks=(
                Markdown(
                    "This channel has no daily question. A channel admin can start one with "
                    f"`/{pack.command} subscribe 09:00 Europe/Berlin`, or with the form."
                ),
            ),
            buttons=(setup,),
        )
    details = [
        f"**When:** {sub.schedule.describe()}",
        f"**Level:** {sub.level.value if sub.level else 'any'}",
        "**Answer:** "
        + (
            f"posted in the thread at {sub.reveal_time:%H:%M}"
            if sub.reveal_time
            else f"hidden until someone asks (admins: `/{pack.command} reveal`)"
        ),
        f"**Team day:** when {_members_grade(sub.team_threshold)} the daily question "
        "(`team N` when subscribing changes it)",
    ]
    if sub.paused:
        details.append(
            "**Paused:** Quizbot was uninstalled from this workspace (or its access revoked); "
            "posts resume when it is installed again"
        )
    if view.next_post:
        local = view.next_post.astimezone(sub.schedule.zone)
        details.append(f"**Next post:** {local:%a %d %b %H:%M} ({sub.schedule.timezone})")
    return Reply(
        title="Daily question subscribed" if changed else "Daily question schedule",
        blocks=(Markdown("\n".join(details)),),
        buttons=() if changed else (Button("Change the schedule", actions.SETUP, pack.id),),
        private=not changed,
        tone=Tone.SUCCESS if changed else Tone.INFO,
    )


def _members_grade(n: int) -> str:
    return "1 member grades" if n == 1 else f"{n} members grade"


def unsubscribed_reply(stopped: bool, pack: Pack) -> Reply:
    if not stopped:
        return text_reply("This channel has no daily question to stop.")
    # Public, like the subscription it ends: the channel's members should know.
    return Reply(
        blocks=(
            Markdown(
                f"Stopped the daily question here. Progress is kept; `/{pack.command} subscribe` "
                "starts it again."
            ),
        ),
        private=False,
        tone=Tone.SUCCESS,
    )


def revealed_publicly_reply(question: Question) -> Reply:
    return text_reply(
        f"Posted the answer to question {question.number} in its thread.", tone=Tone.SUCCESS
    )
