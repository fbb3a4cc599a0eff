"""Answering in writing: the answer is checked against the question's key points, kept with
the reveal it opens, and the person then grades themselves as after any reveal."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.domain.commands import AnswerInWriting, NextQuestion
from bot.domain.content import Pack, Question
from bot.domain.context import Context
from bot.domain.coverage import Coverage
from bot.domain.errors import QuizError
from bot.domain.mock import MockInterview
from bot.usecases.ask import question_by_number
from bot.usecases.batches import Shown
from bot.usecases.deps import Deps
from bot.usecases.exposures import record_shown
from bot.usecases.mock import active_mock, current_question, record_mock_answer


@dataclass(frozen=True)
class Written:
    question: Question
    answer: str
    coverage: Coverage
    then: NextQuestion
    mock: MockInterview | None = None  # set when this answers the current mock question


async def answer_in_writing(deps: Deps, ctx: Context, pack: Pack, cmd: AnswerInWriting) -> Written:
    """With a number, that question (the mock's too, if it is the mock's current one);
    without, the current question of the person's mock interview."""
    mock = await active_mock(deps, ctx, pack)
    if cmd.number is None:
        if mock is None:
            raise QuizError(
                f"Say which question you are answering: `/{pack.command} answer 12 <your answer>`."
            )
        question = current_question(pack, mock)
    else:
        question = question_by_number(pack, cmd.number)
        if mock is not None and (mock.current is None or mock.current.question_id != question.id):
            mock = None
    # Matching is CPU work of up to a few tens of milliseconds: off the event loop, so other
    # people's clicks are not held up behind it.
    coverage = await asyncio.to_thread(deps.matcher.assess, question, cmd.text)
    await record_shown(
        deps,
        ctx,
        question.ref,
        Shown.WRITTEN,
        written_answer=cmd.text,
        coverage=coverage.encoded(),
    )
    if mock is not None:
        mock = await record_mock_answer(deps, ctx, mock, coverage.encoded())
    return Written(question, cmd.text, coverage, NextQuestion(pack_id=pack.id), mock)
