"""Answering in writing: the answer is checked against the question's key points, kept with
the reveal it opens, and the person then grades themselves as after any reveal."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.domain.commands import AnswerInWriting, NextQuestion
from bot.domain.content import Pack, Question
from bot.domain.context import Context
from bot.domain.coverage import Coverage
from bot.usecases.ask import question_by_number
from bot.usecases.batches import Shown
from bot.usecases.deps import Deps
from bot.usecases.exposures import record_shown


@dataclass(frozen=True)
class Written:
    question: Question
    answer: str
    coverage: Coverage
    then: NextQuestion


async def answer_in_writing(deps: Deps, ctx: Context, pack: Pack, cmd: AnswerInWriting) -> Written:
    question = question_by_number(pack, cmd.number)
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
    return Written(question, cmd.text, coverage, NextQuestion(pack_id=pack.id))
