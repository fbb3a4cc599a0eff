"""Export and deletion of what Quizbot stores about a person."""

from __future__ import annotations

from bot.domain import actions
from bot.domain.context import Context
from bot.domain.replies import (
    Attachment,
    Button,
    ButtonStyle,
    Markdown,
    Reply,
    Tone,
    text_reply,
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
                "every grade, your review schedule, the questions you have seen and the answers "
                "you wrote."
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
