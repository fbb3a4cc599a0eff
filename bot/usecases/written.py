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
from bot.domain.mock import MockInterview, MockState
from bot.usecases.ask import question_by_number
from bot.usecases.batches import Shown
from bot.usecases.deps import Deps
from bot.usecases.exposures import record_shown
from bot.usecases.mock import active_mock, current_question, expired_error, record_mock_answer


@dataclass(frozen=True)
class Written:
    question: Question
    answer: str
    coverage: Coverage
    then: NextQuestion
    mock: MockInterview | None = None  # set when this answers the current mock question


async def answer_in_writing(deps: Deps, ctx: Context, pack: Pack, cmd: AnswerInWriting) -> Written:
    """Without a number, the current question of the person's mock interview. With one, that
    question, except during a mock, where a number that is not the mock question's belongs
    to the answer ("2 ways exist…")."""
    mock = await active_mock(deps, ctx, pack)
    if mock is not None and mock.state is not MockState.ACTIVE:
        if cmd.number is None:
            raise expired_error(pack)
        mock = None  # an answer to a question of its own is not held up by an old mock
    text = cmd.text
    if mock is not None:
        question = current_question(pack, mock)
        if cmd.number is not None and cmd.number != question.number:
            text = cmd.whole or cmd.text
    elif cmd.number is None:
        raise QuizError(
            f"Say which question you are answering: `/{pack.command} answer 12 <your answer>`."
        )
    else:
        question = question_by_number(pack, cmd.number)
    # Matching is CPU work of up to a few tens of milliseconds: off the event loop, so other
    # people's clicks are not held up behind it.
    coverage = await asyncio.to_thread(deps.matcher.assess, question, text)
    await record_shown(
        deps,
        ctx,
        question.ref,
        Shown.WRITTEN,
        written_answer=text,
        coverage=coverage.encoded(),
    )
    if mock is not None:
        # None when another click moved the mock on meanwhile: then this is a plain answer.
        mock = await record_mock_answer(deps, ctx, mock, coverage.encoded())
    return Written(question, text, coverage, NextQuestion(pack_id=pack.id), mock)
