"""Stats, streaks, the leaderboard and the streak reminder: how someone is doing."""

from __future__ import annotations

from datetime import datetime

from bot.domain import actions
from bot.domain.commands import NextQuestion, Period
from bot.domain.content import Pack
from bot.domain.grades import Grade
from bot.domain.replies import (
    Attachment,
    Button,
    Markdown,
    Reply,
    Tone,
    text_reply,
)
from bot.pictures import stats_png
from bot.presenters.wording import days, relative
from bot.usecases.progress import LeaderboardView, StatsView, StreakView


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
        + (f"; next {relative(view.next_due, now)}" if view.due_now == 0 and view.next_due else ""),
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
        f"**Streak:** {days(overall.current)}{status}; best {days(overall.best)}; {freezes}"
        f" (one per 7 days, at most 2; days are counted in {streaks.timezone})"
    ]
    if overall.freezes_spent:
        lines.append(f"**Freezes spent** on missed days: {overall.freezes_spent}")
    if streaks.here is not None:
        lines.append(
            f"**Streak in this channel:** {days(streaks.here.current)}; "
            f"best {days(streaks.here.best)}"
        )
    if streaks.team is not None:
        team = streaks.team
        lines.append(
            f"**Team streak:** {days(team.current)}; best {days(team.best)} "
            f"(a day counts when {team.threshold} members grade the daily question)"
        )
    return lines


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


def reminder_reply(streak_days: int, command: str) -> Reply:
    return Reply(
        title="Your streak is at risk",
        blocks=(
            Markdown(
                f"Your streak of {days(streak_days)} ends at midnight. One question keeps it "
                f"going: press the button or type `/{command}`."
            ),
        ),
        buttons=(Button("A question now", actions.NEXT, actions.next_value(NextQuestion())),),
        tone=Tone.QUESTION,
    )
