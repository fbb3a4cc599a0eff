"""Forms in a console session: Write my answer and the channel-settings form, asked field by
field at the prompt, refused fields asked again, and cancelling that changes nothing."""

from __future__ import annotations

import asyncio
import io
import os

import pytest
from sqlalchemy import select

from adapters.console.forms import option_value, option_values
from adapters.console.render import Style
from adapters.console.session import ConsoleSession
from bot.composition import Runtime
from bot.domain.forms import FieldKind, FormField, Option
from bot.domain.replies import Markdown, Reply
from bot.storage.schema import attempts, exposures, subscriptions
from tests.bot.test_usecases import count


async def run_script(runtime: Runtime, script: str) -> str:
    out = io.StringIO()
    session = ConsoleSession(
        runtime.quizbot, "ada", io.StringIO(script), out, Style(color=False), echo=True
    )
    await session.run()
    return out.getvalue()


async def subscription(runtime: Runtime) -> dict[str, object]:
    async with runtime.engine.connect() as connection:
        row = (await connection.execute(select(subscriptions))).one()
    return dict(row._mapping)


# Write my answer ---------------------------------------------------------------------------------


async def test_write_my_answer_reads_lines_until_an_empty_one_then_grades(
    runtime: Runtime,
) -> None:
    script = "3\n2\nIt runs many coroutines on one thread,\nswitching whenever one waits.\n\n2\n"
    transcript = await run_script(runtime, script)
    form = transcript.split("quizbot> 2\n", 1)[1]
    assert form.index("Write my answer") < form.index("3. What does an event loop do?")
    assert "Your answer\n  As you would say it in the interview\n  An empty line ends it.\n" in form
    assert "> It runs many coroutines on one thread,\n> switching whenever one waits.\n> \n" in form
    assert "Write your answer with `answer 3" not in transcript  # the form opened instead
    assert "Your answer to question 3" in transcript
    assert len([line for line in transcript.splitlines() if line.startswith("Suggested grade: ")])
    assert "[1] Knew it   [2] Partly   [3] Missed" in transcript
    assert "Recorded partly for question 3." in transcript
    async with runtime.engine.connect() as connection:
        rows = (await connection.execute(select(attempts.c.grade, attempts.c.written_answer))).all()
    assert [tuple(row) for row in rows] == [
        ("partly", "It runs many coroutines on one thread,\nswitching whenever one waits.")
    ]


async def test_an_empty_answer_is_refused_and_asked_for_again(runtime: Runtime) -> None:
    transcript = await run_script(runtime, "3\n2\n\nOne thread, many tasks.\n\n1\n")
    assert "Not saved: 1 field to fix\n\nYour answer: Write your answer here first.\n" in transcript
    assert transcript.count("An empty line ends it.") == 2
    assert "Recorded knew it for question 3." in transcript


@pytest.mark.parametrize("cancel", [".\n", "cancel\n", "CANCEL\n", ""])
async def test_cancelling_an_answer_saves_nothing_and_the_questions_buttons_still_work(
    runtime: Runtime, cancel: str
) -> None:
    async with runtime.engine.connect() as connection:
        before = (await connection.execute(select(exposures))).all()
    transcript = await run_script(runtime, "3\n2\nHalf an answer\n" + cancel + "1\n")
    assert "Form cancelled: nothing was changed." in transcript
    assert "Your answer to question 3" not in transcript
    assert await count(runtime, attempts) == 0
    if cancel:  # `1` still presses Reveal on question 3
        assert "Answer to question 3" in transcript
    else:  # the input ended inside the form: the session ends too
        assert transcript.endswith("> \nForm cancelled: nothing was changed.\nquizbot> \n")
    async with runtime.engine.connect() as connection:
        after = (await connection.execute(select(exposures))).all()
    assert len(after) == len(before) + 1  # asking question 3 is all that was kept


# Channel settings --------------------------------------------------------------------------------


async def test_subscribe_alone_asks_every_field_with_its_current_value_and_options(
    runtime: Runtime,
) -> None:
    transcript = await run_script(runtime, "subscribe\n" + "\n" * 6)
    for shown in (
        "Daily question\n\nOne question a day from Mini test pack, posted here.",
        "Post at [09:00]\n  HH:MM, 24-hour\n> \n",
        "Timezone [UTC]\n  Area/City, such as Europe/Berlin or America/New_York.\n> \n",
        "Days [mon,tue,wed,thu,fri]\n",
        "  [1] Monday (mon)   [2] Tuesday (tue)   [3] Wednesday (wed)\n",
        "Level [any]\n  One of these, by number or name.\n"
        "  [1] Any level (any)   [2] Junior   [3] Mid   [4] Senior\n> \n",
        "Post the answer at\n  Leave empty to keep answers hidden until someone asks\n",
        "Team size [2]\n  How many members must grade the daily question for a team day\n",
    ):
        assert shown in transcript, shown
    assert "Daily question subscribed" in transcript
    saved = await subscription(runtime)
    assert (saved["post_time"], saved["timezone"], saved["weekdays"]) == (
        "09:00",
        "UTC",
        "mon,tue,wed,thu,fri",
    )
    assert (saved["level"], saved["reveal_time"], saved["team_threshold"]) == (None, None, 2)


async def test_only_the_fields_in_error_are_asked_again_and_the_others_kept(
    runtime: Runtime,
) -> None:
    script = "\n".join(
        [
            "subscribe",
            *("25:00", "Mars/Olympus", "1 3 friday", "senior", "17:00", "4"),  # two bad
            *("08:30", "europe/berlin"),  # only those two asked again
            "schedule",
            "",
        ]
    )
    transcript = await run_script(runtime, script)
    refused = transcript.split("Not saved: 2 fields to fix", 1)[1]
    assert refused.startswith(
        "\n\nPost at: `25:00` is not a time of day. Use `HH:MM` on the 24-hour clock"
    )
    assert "Timezone: `Mars/Olympus` is not a timezone I know." in refused
    asked_again = refused.split("\n\n", 2)[2]
    assert asked_again.startswith("Post at [09:00]\n")  # the form's value, not the refused one
    assert "Timezone [UTC]" in asked_again
    for kept in ("Days [", "Level [", "Post the answer at", "Team size ["):
        assert kept not in asked_again.split("Daily question subscribed")[0], kept
    assert "Daily question subscribed" in asked_again
    assert "When: 08:30 Europe/Berlin, Mon, Wed, Fri" in transcript
    saved = await subscription(runtime)
    assert (saved["post_time"], saved["timezone"], saved["weekdays"]) == (
        "08:30",
        "Europe/Berlin",
        "mon,wed,fri",
    )
    assert (saved["level"], saved["reveal_time"], saved["team_threshold"]) == ("senior", "17:00", 4)


async def test_nothing_is_saved_while_a_field_is_in_error(runtime: Runtime) -> None:
    transcript = await run_script(runtime, "subscribe\n\n\n\nwizard\n\n\n")
    assert "Not saved: 1 field to fix\n\nLevel: Choose junior, mid, senior or any level." in (
        transcript
    )
    assert transcript.endswith("Form cancelled: nothing was changed.\nquizbot> \n")
    assert await count(runtime, subscriptions) == 0


async def test_the_form_opens_on_the_channels_settings_and_dash_empties_an_optional_field(
    runtime: Runtime,
) -> None:
    script = "subscribe 07:15 Europe/Berlin reveal 17:00 team 3\nsubscribe\n\n\n2,4\n\n-\n\n"
    transcript = await run_script(runtime, script)
    form = transcript.split("quizbot> subscribe\n", 1)[1]
    assert "Post at [07:15]" in form
    assert "Timezone [Europe/Berlin]" in form
    assert "Post the answer at [17:00]" in form
    assert "`-` empties it." in form
    assert "Team size [3]" in form
    saved = await subscription(runtime)
    assert (saved["post_time"], saved["timezone"], saved["weekdays"]) == (
        "07:15",
        "Europe/Berlin",
        "tue,thu",
    )
    assert (saved["reveal_time"], saved["team_threshold"]) == (None, 3)


async def test_set_up_daily_question_button_opens_the_form(runtime: Runtime) -> None:
    transcript = await run_script(runtime, "schedule\n1\n10:00\n\n\n\n\n\nschedule\n")
    assert "[1] Set up daily question" in transcript
    assert "Post at [09:00]" in transcript
    assert "When: 10:00 UTC, Monday to Friday" in transcript


@pytest.mark.parametrize("cancel", [".\n", "cancel\n", ""])
async def test_cancelling_the_channel_form_saves_nothing(runtime: Runtime, cancel: str) -> None:
    transcript = await run_script(runtime, "subscribe\n08:30\nEurope/Berlin\n" + cancel)
    assert "Form cancelled: nothing was changed." in transcript
    assert "Daily question subscribed" not in transcript
    assert await count(runtime, subscriptions) == 0


async def test_a_post_arriving_during_a_form_gives_back_the_forms_prompt(
    runtime: Runtime,
) -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "r") as stdin, os.fdopen(write_fd, "w") as typing:
        out = io.StringIO()
        session = ConsoleSession(runtime.quizbot, "ada", stdin, out, Style(color=False))
        running = asyncio.create_task(session.run())
        typing.write("subscribe\n")
        typing.flush()
        for _ in range(200):
            if out.getvalue().endswith("HH:MM, 24-hour\n> "):
                break
            await asyncio.sleep(0.02)
        session.show_post("#console · daily question", Reply((Markdown("Posted."),)))
        assert out.getvalue().endswith("Posted.\n> ")
        typing.write("cancel\nquit\n")
        typing.flush()
        await asyncio.wait_for(running, 10)
    assert await count(runtime, subscriptions) == 0


# Typing options ----------------------------------------------------------------------------------

DAYS = FormField(
    "days",
    "Days",
    FieldKind.CHOICES,
    options=tuple(Option(v, n) for v, n in (("mon", "Monday"), ("tue", "Tuesday"), ("wed", "x"))),
)


@pytest.mark.parametrize(
    ("typed", "values"),
    [
        ("mon,wed", ("mon", "wed")),
        ("1,3", ("mon", "wed")),
        ("1 3", ("mon", "wed")),
        (" Monday , TUE ", ("mon", "tue")),
        ("mon, 1, monday", ("mon",)),
        ("mon,xyz", ("mon", "xyz")),  # the core says why xyz is no day
        ("4", ("4",)),  # not a shown number: handed on as typed
        (",", ()),
    ],
)
def test_several_options_by_number_value_or_label(typed: str, values: tuple[str, ...]) -> None:
    assert option_values(DAYS, typed) == values


def test_one_option_by_number_value_or_label() -> None:
    assert option_value(DAYS, "2") == "tue"
    assert option_value(DAYS, "Tuesday") == "tue"
    assert option_value(DAYS, "TUE") == "tue"
    assert option_value(DAYS, "0") is None
    assert option_value(DAYS, "²") is None
    assert option_value(DAYS, "wizard") is None
