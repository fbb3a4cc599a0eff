"""Mock interview replies: each question in turn, then the summary card."""

from __future__ import annotations

from bot.domain import actions
from bot.domain.commands import MockMove, MockStep, NextQuestion
from bot.domain.content import Pack
from bot.domain.grades import Grade
from bot.domain.mock import MockInterview, MockItem
from bot.domain.replies import Block, Button, ButtonStyle, Markdown, Reply, Tone, markdown_blocks
from bot.presenters.question_parts import question_subtitle
from bot.usecases.batches import Graded
from bot.usecases.mock import MockOutcome, MockQuestion, MockSummary


def mock_reply(outcome: MockOutcome, pack: Pack) -> Reply:
    if isinstance(outcome, MockQuestion):
        return mock_question_reply(outcome, pack)
    return mock_summary_reply(outcome, pack)


def mock_question_reply(step: MockQuestion, pack: Pack) -> Reply:
    mock, question = step.mock, step.question
    notes: list[str] = []
    if step.replaced is not None:
        done = sum(item.done for item in step.replaced.items)
        notes.append(
            f"Your unfinished mock interview ({done} of {len(step.replaced.items)} done) is "
            "ended; its grades are kept."
        )
    if step.resumed:
        notes.append("Your mock interview continues where you left it.")
    if step.graded is not None:
        notes.append(_recorded(step.graded))
    if step.skipped is not None:
        notes.append(f"Skipped question {step.skipped.number}.")
    blocks: tuple[Block, ...] = (
        *(Markdown(note) for note in notes),
        *markdown_blocks(question.prompt),
        Markdown(
            f"Answer in writing, as you would say it: `/{pack.command} answer <your answer>`. "
            "Your time runs from now."
        ),
    )
    return Reply(
        title=f"Mock interview: question {mock.position + 1} of {len(mock.items)}",
        subtitle=f"Question {question.number} · {question_subtitle(question)}",
        blocks=blocks,
        buttons=(
            _step_button("Skip", mock, MockMove.SKIP),
            _step_button("End interview", mock, MockMove.END, ButtonStyle.DANGER),
        ),
        tone=Tone.QUESTION,
        direct=True,
    )


def mock_answer_buttons(mock: MockInterview, suggested: Grade) -> tuple[Button, ...]:
    """The three grades, the suggested one primary, then Skip: a grade moves the mock on."""
    grades = tuple(
        Button(
            grade.label,
            actions.MOCK,
            actions.mock_value(
                MockStep(mock.pack_id, mock.id, mock.position, MockMove.GRADE, grade)
            ),
            ButtonStyle.PRIMARY if grade is suggested else ButtonStyle.DEFAULT,
        )
        for grade in Grade
    )
    return (*grades, _step_button("Skip", mock, MockMove.SKIP))


def mock_summary_reply(summary: MockSummary, pack: Pack) -> Reply:
    mock = summary.mock
    lines = [
        _item_line(index, item, summary)
        for index, item in enumerate(mock.items, start=1)
        if item.question_id in summary.questions
    ]
    notes: list[str] = []
    if summary.graded is not None:
        notes.append(_recorded(summary.graded))
    if summary.expired:
        notes.append(
            "This mock interview expired after an hour without an answer; the grades you gave "
            "are kept."
        )
    answered = sum(1 for item in mock.items if item.grade is not None)
    details = [f"**Total time:** {_duration(summary.total_seconds)} · {answered} graded"]
    if summary.weakest:
        topics = ", ".join(
            f"{score.topic} ({score.score:.0%} of {score.questions})" for score in summary.weakest
        )
        details.append(f"**Weakest topics:** {topics}")
    elif answered:
        details.append("**Weakest topics:** none: you knew every answer.")
    buttons = tuple(
        Button(
            f"Practise {score.topic}",
            actions.NEXT,
            actions.next_value(NextQuestion(None, score.topic, pack.id)),
            ButtonStyle.PRIMARY if index == 0 else ButtonStyle.DEFAULT,
        )
        for index, score in enumerate(summary.weakest)
    )
    return Reply(
        title="Mock interview: summary",
        subtitle=f"{len(mock.items)} questions"
        + (f" · {mock.level.value}" if mock.level else "")
        + f" · started {mock.started_at:%H:%M} UTC",
        blocks=(
            *(Markdown(note) for note in notes),
            Markdown("\n".join(lines)),
            Markdown("\n".join(details)),
        ),
        buttons=buttons,
        tone=Tone.SUCCESS,
        direct=True,
    )


def _item_line(index: int, item: MockItem, summary: MockSummary) -> str:
    question = summary.questions[item.question_id]
    head = f"{index}. **Question {question.number}** ({', '.join(question.topics)})"
    if item.skipped:
        outcome = "skipped"
    elif item.grade is None:
        outcome = "not answered" if item.answered_at is None else "answered, not graded"
    else:
        outcome = item.grade.label
    parts = [outcome]
    if item.coverage:
        parts.insert(0, f"{item.coverage.count('1')} of {len(item.coverage)} key points")
    if item.seconds is not None:
        parts.append(_duration(item.seconds))
    return f"{head}: " + " · ".join(parts)


def _recorded(graded: Graded) -> str:
    return f"Recorded **{graded.grade.label.lower()}** for question {graded.question.number}."


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min {rest:02d} s"


def _step_button(
    label: str, mock: MockInterview, move: MockMove, style: ButtonStyle = ButtonStyle.DEFAULT
) -> Button:
    step = MockStep(mock.pack_id, mock.id, mock.position, move)
    return Button(label, actions.MOCK, actions.mock_value(step), style)
