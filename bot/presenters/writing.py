"""The reply to a written answer: which key points it covered, the model answer beside it,
and a suggested grade that the person is free to overrule."""

from __future__ import annotations

from bot.domain import actions
from bot.domain.grades import Grade
from bot.domain.mock import MockState
from bot.domain.quoting import clipped
from bot.domain.replies import Block, Button, ButtonStyle, Markdown, Reply, Tone, markdown_blocks
from bot.presenters.mock import mock_answer_buttons
from bot.presenters.question_parts import question_subtitle
from bot.usecases.written import Written

# Enough of the answer to recognise it beside the model answer; the whole is kept and exported.
QUOTED_ANSWER_LIMIT = 600


def written_reply(written: Written) -> Reply:
    question, coverage = written.question, written.coverage
    marks = "\n".join(
        f"- {'✓' if hit else '✗'} {point}"
        for hit, point in zip(coverage.covered, question.key_points, strict=True)
    )
    blocks: tuple[Block, ...] = (
        Markdown(f"**Key points you covered: {coverage.count} of {coverage.total}**\n{marks}"),
        Markdown(f"**Your answer**\n{quoted_answer(written.answer)}"),
        Markdown("**Model answer**"),
        *markdown_blocks(question.answer),
        Markdown(f"**Follow-up:** {question.follow_up}"),
        Markdown(f"Suggested grade: {coverage.suggested.label}"),
    )
    mock = written.mock
    if mock is not None and mock.state is MockState.ACTIVE:
        return Reply(
            title=f"Mock interview: your answer to question {mock.position + 1} "
            f"of {len(mock.items)}",
            subtitle=f"Question {question.number} · How well did you know it?",
            blocks=blocks,
            buttons=mock_answer_buttons(mock, coverage.suggested),
            tone=Tone.ANSWER,
            direct=True,
        )
    return Reply(
        title=f"Your answer to question {question.number}",
        subtitle=question_subtitle(question) + " · How well did you know it?",
        blocks=blocks,
        buttons=tuple(
            Button(
                grade.label,
                actions.GRADE,
                actions.grade_value(question.ref, grade, written.then),
                ButtonStyle.PRIMARY if grade is coverage.suggested else ButtonStyle.DEFAULT,
            )
            for grade in Grade
        ),
        tone=Tone.ANSWER,
    )


def quoted_answer(text: str) -> str:
    """A Markdown quote of what they wrote, trimmed; a code fence in it cannot open a block
    that swallows the rest of the reply."""
    trimmed = clipped(" ".join(text.split()), QUOTED_ANSWER_LIMIT).replace("```", "'''")
    return f"> {trimmed}"
