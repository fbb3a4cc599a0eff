"""The pieces of a question and its answer that private and channel replies both show."""

from __future__ import annotations

from bot.domain import actions
from bot.domain.content import Question
from bot.domain.replies import (
    Block,
    Button,
    ButtonStyle,
    Markdown,
    markdown_blocks,
)


def question_title(question: Question) -> str:
    return f"Question {question.number}"


def question_subtitle(question: Question) -> str:
    return f"{question.level.value.capitalize()} · {', '.join(question.topics)}"


def reveal_button(question: Question) -> Button:
    return Button("Reveal answer", actions.REVEAL, question.ref.encode(), ButtonStyle.PRIMARY)


def write_button(question: Question) -> Button:
    """Opens a form to answer in writing, checked against the key points (issue 15)."""
    return Button("Write my answer", actions.WRITE, actions.write_value(question.ref))


def answer_blocks(question: Question) -> tuple[Block, ...]:
    points = "\n".join(f"- {p}" for p in question.key_points)
    return (
        *markdown_blocks(question.answer),
        Markdown(f"**Key points**\n{points}"),
        Markdown(f"**Follow-up:** {question.follow_up}"),
    )
