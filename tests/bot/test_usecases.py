"""Use cases through the core's front door, against a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import FixedClock
from bot.composition import Runtime
from bot.domain import actions
from bot.domain.commands import Ask
from bot.domain.content import Level, QuestionRef
from bot.domain.grades import Grade
from bot.domain.replies import Reply, Tone
from bot.domain.selection import Pick
from bot.storage.schema import attempts, channels, exposures, review_states, users
from bot.usecases.answer import grade_recall, reveal_answer
from bot.usecases.ask import ask_question
from tests.conftest import make_context

ADA = make_context("ada")
BOB = make_context("bob")
REF = QuestionRef("mini", "event-loop")


async def count(runtime: Runtime, table: object) -> int:
    async with runtime.engine.connect() as connection:
        return (await connection.execute(select(func.count()).select_from(table))).scalar_one()  # type: ignore[arg-type]


async def ask(runtime: Runtime, text: str = "", ctx: object = ADA) -> Reply:
    return await runtime.quizbot.handle_text(ctx, "mini-quiz", text)  # type: ignore[arg-type]


async def press(runtime: Runtime, button_label: str, reply: Reply, ctx: object = ADA) -> Reply:
    (button,) = [b for b in reply.buttons if b.label == button_label]
    return await runtime.quizbot.handle_action(ctx, button.action_id, button.value)  # type: ignore[arg-type]


async def study(runtime: Runtime, number: int, grade_label: str, ctx: object = ADA) -> Reply:
    question = await ask(runtime, str(number), ctx)
    answer = await press(runtime, "Reveal answer", question, ctx)
    return await press(runtime, grade_label, answer, ctx)


async def test_ask_reveal_grade_records_attempt_and_card(runtime: Runtime) -> None:
    question = await ask(runtime, "3")
    assert question.title == "Question 3"
    assert question.tone is Tone.QUESTION
    assert "event loop" in question.plain_text
    answer = await press(runtime, "Reveal answer", question)
    assert "one thread" in answer.plain_text
    assert "Key points" in answer.plain_text
    assert "Follow-up:" in answer.plain_text
    assert [b.label for b in answer.buttons] == ["Knew it", "Partly", "Missed"]
    graded = await press(runtime, "Partly", answer)
    assert graded.tone is Tone.SUCCESS
    assert "partly" in graded.plain_text
    async with runtime.engine.connect() as connection:
        row = (await connection.execute(select(attempts))).one()
        card = (await connection.execute(select(review_states))).one()
    assert (row.question_id, row.grade) == ("event-loop", "partly")
    assert card.due > runtime.quizbot.deps.clock.now()


async def test_grade_before_reveal_is_refused_and_changes_nothing(runtime: Runtime) -> None:
    await ask(runtime, "3")
    reply = await runtime.quizbot.handle_action(
        ADA, actions.GRADE, actions.grade_value(REF, Grade.KNEW)
    )
    assert reply.tone is Tone.ERROR
    assert "Reveal the answer to question 3" in reply.plain_text
    assert await count(runtime, attempts) == 0
    assert await count(runtime, review_states) == 0


async def test_second_grade_of_one_reveal_is_refused(runtime: Runtime) -> None:
    question = await ask(runtime, "3")
    answer = await press(runtime, "Reveal answer", question)
    await press(runtime, "Knew it", answer)
    again = await press(runtime, "Missed", answer)
    assert again.tone is Tone.ERROR
    assert "already graded" in again.plain_text
    assert await count(runtime, attempts) == 1
    # Revealing again opens a new grade.
    await press(runtime, "Reveal answer", question)
    await press(runtime, "Missed", answer)
    assert await count(runtime, attempts) == 2


async def test_grading_someone_elses_reveal_is_refused(runtime: Runtime) -> None:
    question = await ask(runtime, "3")
    answer = await press(runtime, "Reveal answer", question)
    reply = await press(runtime, "Knew it", answer, BOB)
    assert reply.tone is Tone.ERROR
    assert await count(runtime, attempts) == 0
    assert await count(runtime, users) == 1  # Bob's refused click stored no Bob


async def test_old_grade_button_after_forget_me_is_refused_and_stores_nothing(
    runtime: Runtime,
) -> None:
    question = await ask(runtime, "3")
    answer = await press(runtime, "Reveal answer", question)
    prompt = await ask(runtime, "forget-me")
    await press(runtime, "Delete all my data", prompt)
    tables = (users, channels, attempts, exposures, review_states)
    before = [await count(runtime, table) for table in tables]
    assert before == [0, 1, 0, 0, 0]  # channels belong to the channel and stay
    reply = await press(runtime, "Knew it", answer)
    assert reply.tone is Tone.ERROR
    assert "Reveal the answer to question 3" in reply.plain_text
    assert [await count(runtime, table) for table in tables] == before


async def test_number_out_of_range_changes_nothing(runtime: Runtime) -> None:
    reply = await ask(runtime, "99")
    assert reply.tone is Tone.ERROR
    assert "questions 1 to 6" in reply.plain_text
    assert await count(runtime, exposures) == 0


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [
        ("7", "7"),
        ("0", "0"),
        ("-1", "-1"),
        ("#-12", "-12"),
        ("12345678901234567890", "12345678901234567890"),
        ("123456789012345678901", "12345678901234567890…"),
        ("9" * 5000, "9" * 20 + "…"),
        ("-" + "9" * 5000, "-" + "9" * 20 + "…"),
        ("q" + "0" * 30 + "8", "8"),
    ],
)
async def test_any_number_typed_is_answered_like_71(
    runtime: Runtime, typed: str, quoted: str
) -> None:
    """Negative, zero or thousands of digits: the same reply as a number past the end."""
    reply = await ask(runtime, typed)
    assert reply.tone is Tone.ERROR
    assert reply.plain_text.endswith(
        f"There is no question {quoted}: this pack has questions 1 to 6."
    )
    assert await count(runtime, exposures) == 0


async def test_unknown_subcommand_gets_usage_and_changes_nothing(runtime: Runtime) -> None:
    reply = await ask(runtime, "frobnicate")
    assert reply.tone is Tone.ERROR
    assert "**Usage:** `/mini-quiz [junior|mid|senior] [topic]`" in reply.plain_text
    assert "/mini-quiz stats" not in reply.plain_text  # one usage line, not the whole list
    assert await count(runtime, users) == 0


async def test_level_and_topic_with_no_match(runtime: Runtime) -> None:
    reply = await ask(runtime, "junior async")
    assert reply.tone is Tone.ERROR
    assert "No junior async questions" in reply.plain_text


async def test_filters_are_respected(runtime: Runtime) -> None:
    for _ in range(6):
        reply = await ask(runtime, "senior")
        assert reply.subtitle is not None
        assert reply.subtitle.startswith("Senior")
    for _ in range(6):
        reply = await ask(runtime, "routing")
        assert reply.subtitle is not None
        assert "routing" in reply.subtitle


async def test_unseen_questions_come_before_repeats(runtime: Runtime) -> None:
    titles = [(await ask(runtime)).title for _ in range(6)]
    assert sorted(titles) == [f"Question {n}" for n in range(1, 7)]
    seventh = await ask(runtime)
    assert seventh.subtitle is not None
    assert "Practised before" in seventh.subtitle
    assert seventh.title != titles[-1]


async def test_due_review_is_served_first(runtime: Runtime, clock: FixedClock) -> None:
    await study(runtime, 5, "Missed")
    await study(runtime, 3, "Knew it")
    clock.set(clock.now() + timedelta(days=1, hours=1))
    deps = runtime.quizbot.deps
    asked = await ask_question(deps, ADA, deps.catalog.packs[0], Ask())
    assert (asked.question.number, asked.pick) == (5, Pick.DUE)
    review = await ask(runtime, "review")
    assert review.title == "Question 5"
    assert review.subtitle is not None
    assert "Due for review" in review.subtitle


async def test_the_due_count_is_of_the_level_or_topic_asked(
    runtime: Runtime, clock: FixedClock
) -> None:
    """Four reviews due: two junior, one mid, one senior; two on async, three on basics."""
    for number in (1, 2, 3, 5):
        await study(runtime, number, "Missed")
    clock.set(clock.now() + timedelta(days=1, hours=1))
    deps = runtime.quizbot.deps
    pack = deps.catalog.packs[0]
    counts: dict[tuple[Level | None, str | None], int] = {}
    for level, topic in [(Level.JUNIOR, None), (None, "async"), (Level.MID, None), (None, None)]:
        asked = await ask_question(deps, ADA, pack, Ask(level=level, topic=topic))
        assert asked.pick is Pick.DUE
        counts[level, topic] = asked.due_count
    assert counts == {
        (Level.JUNIOR, None): 2,
        (None, "async"): 2,
        (Level.MID, None): 1,
        (None, None): 4,
    }
    shown = await ask(runtime, "junior")
    assert shown.subtitle is not None
    assert "(2 due)" in shown.subtitle


async def test_review_with_nothing_due_says_when(runtime: Runtime) -> None:
    first = await ask(runtime, "review")
    assert "Nothing to review yet" in first.plain_text
    await study(runtime, 2, "Knew it")
    later = await ask(runtime, "review")
    assert "Nothing is due. Your next review is in 2 days." in later.plain_text


async def test_usual_level_is_used_until_cleared(runtime: Runtime) -> None:
    reply = await ask(runtime, "level mid")
    assert "now **mid**" in reply.plain_text
    for _ in range(4):
        asked = await ask(runtime)
        assert asked.subtitle is not None
        assert asked.subtitle.startswith("Mid")
    shown = await ask(runtime, "level")
    assert "usual level is **mid**" in shown.plain_text
    await ask(runtime, "level any")
    levels = {(await ask(runtime)).subtitle.split(" ")[0] for _ in range(8)}  # type: ignore[union-attr]
    assert len(levels) > 1


async def test_usual_level_falls_back_when_topic_has_none(runtime: Runtime) -> None:
    await ask(runtime, "level junior")
    reply = await ask(runtime, "async")
    assert reply.tone is Tone.QUESTION
    assert reply.subtitle is not None
    assert "No junior questions on async" in reply.subtitle


async def test_stats_counts_grades_and_levels(runtime: Runtime) -> None:
    empty = await ask(runtime, "stats")
    assert "No graded questions yet" in empty.plain_text
    await study(runtime, 1, "Knew it")
    await study(runtime, 3, "Missed")
    await study(runtime, 4, "Partly")
    stats = await ask(runtime, "stats")
    text = stats.plain_text
    assert "**3** graded: 1 knew it, 1 partly, 1 missed (recall 33%)" in text
    assert "**3/6** questions practised" in text
    assert "- Junior: 1/2 practised, recall 100%" in text
    assert "- Mid: 2/2 practised, recall 0%" in text


async def test_leaderboard_orders_and_breaks_ties(runtime: Runtime, clock: FixedClock) -> None:
    carol = make_context("carol")
    await study(runtime, 1, "Knew it", BOB)
    await study(runtime, 2, "Missed", BOB)
    await study(runtime, 1, "Knew it", ADA)
    await study(runtime, 2, "Knew it", ADA)
    clock.set(clock.now() + timedelta(days=1))
    await study(runtime, 3, "Knew it", carol)
    elsewhere = make_context("dave", channel="random")
    await study(runtime, 1, "Knew it", elsewhere)
    top = await ask(runtime, "top")
    assert top.private is False
    lines = top.plain_text.splitlines()[-3:]
    assert lines == [
        "1. **Ada**: 2 graded, recall 100%, 1 day active",
        "2. **Bob**: 2 graded, recall 50%, 1 day active",
        "3. **Carol**: 1 graded, recall 100%, 1 day active",
    ]
    assert "Dave" not in top.plain_text


async def test_stale_button_is_refused_kindly(runtime: Runtime) -> None:
    reply = await runtime.quizbot.handle_action(ADA, actions.REVEAL, "mini:no-such-question")
    assert reply.tone is Tone.ERROR
    assert "no longer in the question bank" in reply.plain_text
    garbled = await runtime.quizbot.handle_action(ADA, actions.GRADE, "nonsense")
    assert garbled.tone is Tone.ERROR
    unknown = await runtime.quizbot.handle_action(ADA, "other.action", "x")
    assert unknown.tone is Tone.ERROR


async def test_use_cases_directly(runtime: Runtime) -> None:
    deps = runtime.quizbot.deps
    revealed = await reveal_answer(deps, ADA, REF)
    graded = await grade_recall(deps, ADA, REF, Grade.KNEW)
    assert revealed.question.level is Level.MID
    assert graded.next_due - deps.clock.now() == timedelta(days=2)


async def test_display_name_follows_the_platform(runtime: Runtime) -> None:
    await ask(runtime, "1")
    renamed = make_context("ada")
    renamed = type(renamed)(type(renamed.actor)("test", "U-ada", "Ada L."), renamed.place)
    await ask(runtime, "1", renamed)
    async with runtime.engine.connect() as connection:
        names = (await connection.execute(select(users.c.display_name))).scalars().all()
    assert names == ["Ada L."]
