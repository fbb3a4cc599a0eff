"""Turn use-case results into the neutral reply model; wording lives here, not in adapters."""

from __future__ import annotations

from datetime import datetime

from bot.domain import actions
from bot.domain.commands import NextQuestion, Period
from bot.domain.content import Pack, Question
from bot.domain.context import Context
from bot.domain.grades import Grade
from bot.domain.replies import (
    Attachment,
    Block,
    Button,
    ButtonStyle,
    Markdown,
    Reply,
    Tone,
    markdown_blocks,
    text_reply,
)
from bot.domain.selection import Pick
from bot.pictures import stats_png
from bot.usecases.answer import Graded, Revealed
from bot.usecases.ask import Asked, NothingDue
from bot.usecases.channel import ScheduleView
from bot.usecases.progress import LeaderboardView, LevelSetting, StatsView, StreakView

_PICK_NOTES = {
    Pick.DUE: "Due for review",
    Pick.NEW: "New to you",
    Pick.AGAIN: "Practised before",
    Pick.CHOSEN: "",
}


def question_title(question: Question) -> str:
    return f"Question {question.number}"


def question_subtitle(question: Question) -> str:
    return f"{question.level.value.capitalize()} · {', '.join(question.topics)}"


def reveal_button(question: Question) -> Button:
    return Button("Reveal answer", actions.REVEAL, question.ref.encode(), ButtonStyle.PRIMARY)


def question_reply(asked: Asked) -> Reply:
    """The question for one person; its Reveal button carries what "Another question" keeps."""
    question = asked.question
    notes = [n for n in (_PICK_NOTES[asked.pick], asked.note) if n]
    if asked.pick is Pick.DUE and asked.due_count > 1:
        notes[0] = f"Due for review ({asked.due_count} due)"
    subtitle = question_subtitle(question) + "".join(f" · {n}" for n in notes)
    return Reply(
        title=question_title(question),
        subtitle=subtitle,
        blocks=markdown_blocks(question.prompt),
        buttons=(
            Button(
                "Reveal answer",
                actions.REVEAL,
                actions.reveal_value(question.ref, asked.then),
                ButtonStyle.PRIMARY,
            ),
        ),
        tone=Tone.QUESTION,
    )


def answer_blocks(question: Question) -> tuple[Block, ...]:
    points = "\n".join(f"- {p}" for p in question.key_points)
    return (
        *markdown_blocks(question.answer),
        Markdown(f"**Key points**\n{points}"),
        Markdown(f"**Follow-up:** {question.follow_up}"),
    )


def answer_reply(revealed: Revealed, then: NextQuestion | None = None) -> Reply:
    question = revealed.question
    grade_buttons = tuple(
        Button(
            grade.label,
            actions.GRADE,
            actions.grade_value(question.ref, grade, then),
            ButtonStyle.PRIMARY if grade is Grade.KNEW else ButtonStyle.DEFAULT,
        )
        for grade in Grade
    )
    return Reply(
        title=f"Answer to question {question.number}",
        subtitle=question_subtitle(question) + " · How well did you recall it?",
        blocks=answer_blocks(question),
        buttons=grade_buttons,
        tone=Tone.ANSWER,
    )


def graded_reply(graded: Graded, now: datetime, then: NextQuestion | None = None) -> Reply:
    days = max(0, round((graded.next_due - now).total_seconds() / 86400))
    when = "tomorrow" if days <= 1 else f"in {days} days"
    return Reply(
        blocks=(
            Markdown(
                f"Recorded **{graded.grade.label.lower()}** for question {graded.question.number}."
                f" It comes back for review {when}."
            ),
        ),
        buttons=(
            Button(
                "Another question",
                actions.NEXT,
                actions.next_value(then or NextQuestion(pack_id=graded.question.pack_id)),
            ),
        ),
        tone=Tone.SUCCESS,
    )


def nothing_due_reply(result: NothingDue, pack: Pack, now: datetime) -> Reply:
    if result.next_due is None:
        text = (
            "Nothing to review yet: grade yourself on a few questions first, "
            f"with `/{pack.command}`."
        )
    else:
        text = f"Nothing is due. Your next review is {_relative(result.next_due, now)}."
    return Reply(
        blocks=(Markdown(text),),
        buttons=(
            Button(
                "A new question", actions.NEXT, actions.next_value(NextQuestion(pack_id=pack.id))
            ),
        ),
    )


def stats_reply(view: StatsView, pack: Pack, now: datetime) -> Reply:
    if view.graded == 0:
        return text_reply(
            f"No graded questions yet. Try `/{pack.command}`, reveal the answer, "
            "and grade your recall.",
            title=f"Stats for {view.display_name}",
        )
    g = view.grades
    lines = [
        f"**{view.graded}** graded: {g.get(Grade.KNEW, 0)} knew it, "
        f"{g.get(Grade.PARTLY, 0)} partly, {g.get(Grade.MISSED, 0)} missed "
        f"(recall {view.recall:.0%})",
        f"**{view.practised}/{view.total}** questions practised",
        f"**{view.due_now}** due for review"
        + (
            f"; next {_relative(view.next_due, now)}" if view.due_now == 0 and view.next_due else ""
        ),
    ]
    if view.streaks is not None:
        lines += streak_lines(view.streaks)
    level_lines = [
        f"- {lp.level.value.capitalize()}: {lp.practised}/{lp.total} practised"
        + (f", recall {lp.knew / lp.graded:.0%}" if lp.graded else "")
        for lp in view.levels
    ]
    return Reply(
        title=f"Stats for {view.display_name}",
        blocks=(Markdown("\n".join(lines)), Markdown("**By level**\n" + "\n".join(level_lines))),
        files=(stats_picture(view),),
    )


def stats_picture(view: StatsView) -> Attachment:
    today = view.today
    png = stats_png(
        f"{view.display_name}: {view.graded} graded, recall {view.recall:.0%}",
        view.calendar,
        today,
        [(lp.level.value.capitalize(), lp.knew, lp.graded) for lp in view.levels],
        [(topic, knew, graded) for topic, (knew, graded) in view.topics.items()],
    )
    return Attachment(f"quizbot-stats-{today.isoformat()}.png", png, "Your progress picture")


def streak_lines(streaks: StreakView) -> list[str]:
    overall = streaks.overall
    status = "" if overall.active_today or not overall.current else " (practise today to keep it)"
    freezes = f"{overall.freezes} freeze{'s' if overall.freezes != 1 else ''} held"
    lines = [
        f"**Streak:** {_days(overall.current)}{status}; best {_days(overall.best)}; {freezes}"
        f" (one per 7 days, at most 2; days are counted in {streaks.timezone})"
    ]
    if overall.freezes_spent:
        lines.append(f"**Freezes spent** on missed days: {overall.freezes_spent}")
    if streaks.here is not None:
        lines.append(
            f"**Streak in this channel:** {_days(streaks.here.current)}; "
            f"best {_days(streaks.here.best)}"
        )
    if streaks.team is not None:
        team = streaks.team
        lines.append(
            f"**Team streak:** {_days(team.current)}; best {_days(team.best)} "
            f"(a day counts when {team.threshold} members grade the daily question)"
        )
    return lines


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


_PERIOD_NAMES = {Period.WEEK: "This week", Period.MONTH: "This month", Period.ALL: "All time"}


def leaderboard_reply(view: LeaderboardView) -> Reply:
    if not view.rows:
        when = {Period.WEEK: " this week", Period.MONTH: " this month"}.get(view.period, "")
        return text_reply(
            f"Nobody has graded a question here{when} yet. Be the first!",
            title=f"Leaderboard for {view.channel_name}",
        )
    lines = [
        f"{rank}. **{row.display_name}**: {row.graded} graded, recall {row.recall:.0%}, "
        f"{row.days_active} day{'s' if row.days_active != 1 else ''} active"
        for rank, row in enumerate(view.rows, start=1)
    ]
    return Reply(
        title=f"Leaderboard for {view.channel_name}",
        subtitle=f"{_PERIOD_NAMES[view.period]} · most graded, then best recall",
        blocks=(Markdown("\n".join(lines)),),
        private=False,
    )


def level_reply(setting: LevelSetting, pack: Pack) -> Reply:
    name = setting.level.value if setting.level else "any"
    if setting.changed:
        text = f"Your usual level is now **{name}**. `/{pack.command}` will use it."
    else:
        text = (
            f"Your usual level is **{name}**. Change it with "
            f"`/{pack.command} level junior|mid|senior|any`."
        )
    return text_reply(text, tone=Tone.SUCCESS if setting.changed else Tone.INFO)


def timezone_reply(zone: str | None, *, changed: bool, pack: Pack) -> Reply:
    if changed and zone:
        text = f"Your timezone is now **{zone}**: your streak days follow it from now on."
    elif changed:
        text = "Cleared your timezone: streak days follow the channel's timezone again."
    elif zone:
        text = f"Your timezone is **{zone}**. Change it with `/{pack.command} timezone Area/City`."
    else:
        text = (
            "You have not set a timezone, so streak days follow the channel's. "
            f"Set one with `/{pack.command} timezone Europe/Berlin`."
        )
    return text_reply(text, tone=Tone.SUCCESS if changed else Tone.INFO)


def help_reply(pack: Pack, usage: str) -> Reply:
    return Reply(
        title=pack.title,
        blocks=(
            Markdown(pack.description) if pack.description else Markdown(pack.title),
            Markdown(usage),
            Markdown(f"Topics: {', '.join(f'`{t}`' for t in pack.topics)}"),
        ),
    )


def failure_reply(*, saved: bool | None = False) -> Reply:
    """Our fault, not the person's: private. `saved` False when we know nothing was stored
    (a failed transaction), None when we cannot tell (a bug)."""
    nothing = " and nothing was saved" if saved is False else ""
    return text_reply(
        f"Something went wrong on our side{nothing}. Please try again.", tone=Tone.ERROR
    )


def error_reply(message: str, usage: str | None = None) -> Reply:
    blocks: tuple[Block, ...] = (Markdown(message),)
    if usage:
        blocks += (Markdown(f"**Usage:** {usage}"),)
    return Reply(blocks=blocks, tone=Tone.ERROR)


def _relative(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "not scheduled"
    seconds = (when - now).total_seconds()
    if seconds <= 0:
        return "now"
    hours = seconds / 3600
    if hours < 24:
        return f"in {max(1, round(hours))} hour{'s' if round(hours) > 1 else ''}"
    days = round(hours / 24)
    return f"in {days} day{'s' if days != 1 else ''}"


def daily_post_reply(question: Question) -> Reply:
    """The channel message: the question for everyone, the answer only for whoever asks."""
    return Reply(
        title=f"Question of the day: #{question.number}",
        subtitle=question_subtitle(question) + " · discuss in the thread; the answer is hidden",
        blocks=markdown_blocks(question.prompt),
        buttons=(reveal_button(question),),
        private=False,
        tone=Tone.QUESTION,
    )


def public_answer_reply(question: Question) -> Reply:
    """The answer posted in the daily post's thread for all to read."""
    return Reply(
        title=f"Answer to question {question.number}",
        subtitle=question_subtitle(question),
        blocks=answer_blocks(question),
        buttons=(
            Button("Grade my recall", actions.REVEAL, question.ref.encode(), ButtonStyle.PRIMARY),
        ),
        private=False,
        in_thread=True,
        tone=Tone.ANSWER,
    )


def schedule_reply(view: ScheduleView, pack: Pack, *, changed: bool) -> Reply:
    sub = view.subscription
    if sub is None:
        return text_reply(
            "This channel has no daily question. A channel admin can start one with "
            f"`/{pack.command} subscribe 09:00 Europe/Berlin`."
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
    if view.next_post:
        local = view.next_post.astimezone(sub.schedule.zone)
        details.append(f"**Next post:** {local:%a %d %b %H:%M} ({sub.schedule.timezone})")
    return Reply(
        title="Daily question subscribed" if changed else "Daily question schedule",
        blocks=(Markdown("\n".join(details)),),
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


def export_reply(data: bytes | None, ctx: Context) -> Reply:
    if data is None:
        return text_reply("Quizbot stores nothing about you yet.")
    name = f"quizbot-export-{ctx.actor.platform}-{ctx.actor.user_id}.json"
    return Reply(
        title="Your data",
        blocks=(
            Markdown(
                "Everything Quizbot stores about you is in the attached JSON file: your profile, "
                "every grade, your review schedule and the questions you have seen."
            ),
        ),
        files=(Attachment(name, data, "Your Quizbot data"),),
    )


def forget_prompt_reply(ctx: Context) -> Reply:
    return Reply(
        title="Delete all your data?",
        blocks=(
            Markdown(
                "This deletes your grades, streaks, review schedule and settings for good. "
                "Channel schedules stay. Press the button to confirm."
            ),
        ),
        buttons=(
            Button(
                "Delete all my data",
                actions.FORGET,
                f"{ctx.actor.platform}:{ctx.actor.user_id}",
                ButtonStyle.DANGER,
            ),
        ),
        tone=Tone.ERROR,
    )


def forgotten_reply(deleted: bool) -> Reply:
    if not deleted:
        return text_reply("There was nothing stored about you.")
    return text_reply("Deleted everything Quizbot stored about you.", tone=Tone.SUCCESS)


def remind_reply(on: bool, pack: Pack, *, changed: bool = True) -> Reply:
    if on:
        text = (
            "Reminders are **on**: when your streak is at risk, you get a private nudge "
            "four hours before your day ends."
        )
        if not changed:
            text += f" Turn them off with `/{pack.command} remind off`."
    else:
        text = f"Reminders are **off**. Turn them on with `/{pack.command} remind on`."
    return text_reply(text, tone=Tone.SUCCESS if changed else Tone.INFO)


def reminder_reply(streak_days: int, command: str) -> Reply:
    return Reply(
        title="Your streak is at risk",
        blocks=(
            Markdown(
                f"Your streak of {_days(streak_days)} ends at midnight. One question keeps it "
                f"going: press the button or type `/{command}`."
            ),
        ),
        buttons=(Button("A question now", actions.NEXT, actions.next_value(NextQuestion())),),
        tone=Tone.QUESTION,
    )
