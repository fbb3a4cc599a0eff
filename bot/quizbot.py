"""The one door into the core: a command's text or a button click in, a reply out.

Adapters call only this. It parses, runs one use case, presents the result and maps user errors
to friendly replies; nothing here knows which platform is asking.
"""

from __future__ import annotations

import logging
from typing import assert_never

from bot.daily.poster import DailyPoster
from bot.domain import actions
from bot.domain.commands import (
    AnswerInWriting,
    Ask,
    Command,
    ConfirmForget,
    Export,
    ForgetMe,
    GradeRecall,
    Help,
    MockStep,
    NextQuestion,
    OpenAnswerForm,
    OpenSubscribeForm,
    Remind,
    Reveal,
    RevealPublicly,
    Review,
    SetLevel,
    SetTimezone,
    ShowSchedule,
    StartMock,
    Stats,
    Subscribe,
    Top,
    Unsubscribe,
)
from bot.domain.content import Pack, Question, QuestionRef
from bot.domain.context import Context
from bot.domain.errors import QuizError
from bot.domain.forms import WHOLE_FORM, FieldErrors, FormKind, FormValues
from bot.domain.home import Home
from bot.domain.quoting import clipped
from bot.domain.replies import Reply
from bot.form_reading import read_answer, read_subscribe
from bot.parsing import ParseError, parse, usage
from bot.presenters import account as account_replies
from bot.presenters import channel as channel_replies
from bot.presenters import forms as form_replies
from bot.presenters import general as general_replies
from bot.presenters import home as home_presenter
from bot.presenters import mock as mock_replies
from bot.presenters import practice as practice_replies
from bot.presenters import progress as progress_replies
from bot.presenters import settings as settings_replies
from bot.presenters import writing as writing_replies
from bot.setting_reading import read_setting
from bot.storage.failures import cause_of, is_storage_failure
from bot.usecases.answer import grade_recall, reveal_answer
from bot.usecases.ask import Asked, ask_question, next_review
from bot.usecases.channel import (
    channel_draft,
    channel_schedule,
    reveal_publicly,
    subscribe_channel,
    unsubscribe_channel,
)
from bot.usecases.deps import Deps, pack_for
from bot.usecases.home import home_data
from bot.usecases.mock import mock_step, start_mock
from bot.usecases.privacy import export_data, forget, remind_setting, set_remind
from bot.usecases.progress import channel_leaderboard, my_stats, set_level, set_timezone
from bot.usecases.signals import GradedListener
from bot.usecases.written import answer_in_writing

log = logging.getLogger(__name__)


class Quizbot:
    def __init__(self, deps: Deps, poster: DailyPoster) -> None:
        self.deps = deps
        self.poster = poster

    @property
    def packs(self) -> list[Pack]:
        return self.deps.catalog.packs

    async def handle_text(self, ctx: Context, command_name: str, text: str) -> Reply:
        """`command_name` is the slash command without its slash, e.g. `fastapi-quiz`."""
        pack = self.deps.catalog.for_command(command_name)
        if pack is None:
            known = ", ".join(f"/{p.command}" for p in self.packs)
            return general_replies.error_reply(
                f"Unknown command /{clipped(command_name)}. Try {known}."
            )
        parsed = parse(text, command=pack.command, topics=pack.topics)
        if isinstance(parsed, ParseError):
            return general_replies.error_reply(parsed.message, parsed.usage)
        return await self._run(ctx, pack, parsed)

    async def handle_action(self, ctx: Context, action_id: str, value: str) -> Reply:
        """A button click; its value carries everything needed, even after a restart."""
        try:
            command = actions.command_for_action(action_id, value)
        except QuizError as exc:
            return general_replies.error_reply(exc.message)
        pack_id = self._pack_of(command)
        if pack_id is None:
            return await self._run(ctx, self.packs[0], command)
        try:
            pack = pack_for(self.deps, pack_id)
        except QuizError as exc:
            return general_replies.error_reply(exc.message)
        return await self._run(ctx, pack, command)

    async def submit_form(
        self, ctx: Context, kind: str, state: str, values: FormValues
    ) -> Reply | FieldErrors:
        """A filled-in form: an error per field and nothing saved, or what the command replies.

        A refusal that is about no one field (only admins may change the schedule) comes back
        under WHOLE_FORM: it is not the first field's fault.
        """
        try:
            form_kind = FormKind(kind)
            if form_kind is FormKind.ANSWER:
                ref = QuestionRef.decode(state)
                pack = pack_for(self.deps, ref.pack_id)
                question = _question(pack, ref)
                command: Command | FieldErrors = read_answer(question, values)
            else:
                pack = pack_for(self.deps, state)
                command = read_subscribe(values)
        except (ValueError, QuizError) as exc:
            message = exc.message if isinstance(exc, QuizError) else actions.STALE
            return general_replies.error_reply(message)
        if isinstance(command, FieldErrors):
            return command
        try:
            return await self._dispatch(ctx, pack, command)
        except QuizError as exc:
            return FieldErrors({WHOLE_FORM: exc.message})
        except Exception as exc:
            return self._failure(ctx, command, exc)

    async def home(self, ctx: Context, pack_or_command: str | None = None) -> Home | Reply:
        """The person's home for one pack (named by id or by its command; the first pack when
        None): what a platform shows on a page of its own, such as Slack's App Home. A Reply
        instead when it cannot be built (an unknown pack, the database down)."""
        key = pack_or_command
        pack = self.packs[0] if key is None else self.deps.catalog.pack(key)
        pack = pack or self.deps.catalog.for_command(key or "")
        if pack is None:
            return general_replies.error_reply("That question pack is not installed any more.")
        try:
            data = await home_data(self.deps, ctx, pack)
        except Exception as exc:
            return self._failure(ctx, "Home", exc)
        return home_presenter.home(data, pack, self.deps.clock.now())

    async def change_setting(
        self, ctx: Context, pack_id: str, setting_id: str, value: str
    ) -> Reply:
        """One setting changed on the home (its field id and new value). The value is checked
        as the typed command would check it; a bad one changes nothing and the reply says why."""
        try:
            pack = pack_for(self.deps, pack_id)
            command = read_setting(setting_id, value)
        except QuizError as exc:
            return general_replies.error_reply(exc.message)
        return await self._run(ctx, pack, command)

    def on_graded(self, listener: GradedListener) -> None:
        """`listener(actor, pack id)` after each grade this process records, from any
        platform; it must return at once."""
        self.deps.graded_signal.connect(listener)

    @staticmethod
    def _pack_of(command: Command) -> str | None:
        if isinstance(command, Reveal | GradeRecall | OpenAnswerForm):
            return command.ref.pack_id
        if isinstance(command, NextQuestion | MockStep | OpenSubscribeForm | Review):
            return command.pack_id
        return None

    async def _run(self, ctx: Context, pack: Pack, command: Command) -> Reply:
        """Every request gets a reply: a refusal, the answer, or an apology when the database
        (or our code) fails; a failed request has changed nothing it could roll back."""
        try:
            return await self._dispatch(ctx, pack, command)
        except QuizError as exc:
            return general_replies.error_reply(exc.message)
        except Exception as exc:
            return self._failure(ctx, command, exc)

    @staticmethod
    def _failure(ctx: Context, command: Command | str, exc: Exception) -> Reply:
        """The apology for a request that failed, logged once (a traceback for our own bugs)."""
        what = command if isinstance(command, str) else type(command).__name__
        where = f"{ctx.actor.platform} user {ctx.actor.user_id}"
        if is_storage_failure(exc):
            log.error("%s for %s failed in the database: %s", what, where, cause_of(exc))
            return general_replies.failure_reply(saved=False)
        log.exception("%s for %s failed", what, where, exc_info=exc)
        return general_replies.failure_reply(saved=None)

    async def _dispatch(self, ctx: Context, pack: Pack, command: Command) -> Reply:
        deps, now = self.deps, self.deps.clock.now()
        match command:
            case Ask() | NextQuestion():
                return practice_replies.question_reply(await ask_question(deps, ctx, pack, command))
            case StartMock():
                started = await start_mock(deps, ctx, pack, command)
                return mock_replies.mock_question_reply(started, pack)
            case MockStep():
                return mock_replies.mock_reply(await mock_step(deps, ctx, pack, command), pack)
            case AnswerInWriting():
                written = await answer_in_writing(deps, ctx, pack, command)
                return writing_replies.written_reply(written)
            case Review():
                result = await next_review(deps, ctx, pack)
                if isinstance(result, Asked):
                    return practice_replies.question_reply(result)
                return practice_replies.nothing_due_reply(result, pack, now)
            case Stats():
                return progress_replies.stats_reply(await my_stats(deps, ctx, pack), pack, now)
            case Top(period=period):
                board = await channel_leaderboard(deps, ctx, pack, period)
                return progress_replies.leaderboard_reply(board)
            case SetTimezone(timezone=zone, show_only=show_only):
                current = await set_timezone(deps, ctx, zone, show_only=show_only)
                return settings_replies.timezone_reply(current, changed=not show_only, pack=pack)
            case Help():
                return general_replies.help_reply(pack, usage(pack.command))
            case SetLevel(level=level, show_only=show_only):
                setting = await set_level(deps, ctx, level, show_only=show_only)
                return settings_replies.level_reply(setting, pack)
            case GradeRecall(ref=ref, grade=grade, then=then):
                graded = await grade_recall(deps, ctx, ref, grade)
                return practice_replies.graded_reply(graded, now, then)
            case Subscribe():
                view = await subscribe_channel(deps, ctx, pack, command)
                return channel_replies.schedule_reply(view, pack, changed=True)
            case OpenSubscribeForm():
                draft = await channel_draft(deps, ctx, pack)
                return form_replies.subscribe_form_reply(pack, draft.subscription, draft.timezone)
            case OpenAnswerForm(ref=ref):
                question = _question(pack, ref)
                return form_replies.answer_form_reply(question)
            case Unsubscribe():
                stopped = await unsubscribe_channel(deps, ctx, pack)
                return channel_replies.unsubscribed_reply(stopped, pack)
            case ShowSchedule():
                view = await channel_schedule(deps, ctx, pack)
                return channel_replies.schedule_reply(view, pack, changed=False)
            case RevealPublicly():
                question = await reveal_publicly(deps, self.poster, ctx, pack)
                return channel_replies.revealed_publicly_reply(question)
            case Export():
                return account_replies.export_reply(await export_data(deps, ctx), ctx)
            case ForgetMe():
                return account_replies.forget_prompt_reply(ctx)
            case ConfirmForget():
                return account_replies.forgotten_reply(await forget(deps, ctx, command))
            case Remind(on=on):
                if on is None:
                    reminds = await remind_setting(deps, ctx)
                    return settings_replies.remind_reply(reminds, pack, changed=False)
                await set_remind(deps, ctx, on)
                return settings_replies.remind_reply(on, pack)
            case Reveal(ref=ref, then=then):
                return practice_replies.answer_reply(await reveal_answer(deps, ctx, ref), then)
            case _:
                assert_never(command)


def _question(pack: Pack, ref: QuestionRef) -> Question:
    question = pack.by_id(ref.question_id)
    if question is None:
        raise QuizError(f"Question {clipped(ref.question_id)} is no longer in the pack.")
    return question
