"""Replies for practising alone: the question, its answer, the grade, nothing due."""

from __future__ import annotations

from datetime import datetime

from bot.domain import actions
from bot.domain.commands import NextQuestion
from bot.domain.content import Pack
from bot.domain.grades import Grade
from bot.domain.replies import (
    Button,
    ButtonStyle,
    Markdown,
    Reply,
    Tone,
    markdown_blocks,
)
from bot.domain.selection import Pick
from bot.presenters.question_parts import (
    answer_blocks,
    question_subtitle,
    question_title,
    write_button,
)
from bot.presenters.wording import relative
from bot.usecases.answer import Revealed
from bot.usecases.ask import Asked, NothingDue
from bot.usecases.batches import Graded

_PICK_NOTES = {
    Pick.DUE: "Due for review",
    Pick.NEW: "New to you",
    Pick.AGAIN: "Practised before",
    Pick.CHOSEN: "",
}


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
            write_button(question),
        ),
        tone=Tone.QUESTION,
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
        text = f"Nothing is due. Your next review is {relative(result.next_due, now)}."
    return Reply(
        blocks=(Markdown(text),),
        buttons=(
            Button(
                "A new question", actions.NEXT, actions.next_value(NextQuestion(pack_id=pack.id))
            ),
        ),
    )
