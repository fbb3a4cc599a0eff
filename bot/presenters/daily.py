"""The channel's daily post and the answer posted in its thread, read by everyone."""

from __future__ import annotations

from bot.domain import actions
from bot.domain.content import Question
from bot.domain.replies import (
    Button,
    ButtonStyle,
    Reply,
    Tone,
    markdown_blocks,
)
from bot.presenters.question_parts import (
    answer_blocks,
    question_subtitle,
    reveal_button,
    write_button,
)


def daily_post_reply(question: Question) -> Reply:
    """The channel message: the question for everyone, the answer only for whoever asks."""
    return Reply(
        title=f"Question of the day: #{question.number}",
        subtitle=question_subtitle(question) + " · discuss in the thread; the answer is hidden",
        blocks=markdown_blocks(question.prompt),
        buttons=(reveal_button(question), write_button(question)),
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
