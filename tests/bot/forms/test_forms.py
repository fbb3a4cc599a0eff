"""Forms through the core's front door: opening them (prefilled), and submissions that either
run the command or come back with an error per field and nothing saved."""

from __future__ import annotations

from bot.composition import Runtime
from bot.domain.context import Actor, Context, Place
from bot.domain.forms import WHOLE_FORM, FieldErrors, FieldKind, FormKind
from bot.domain.replies import Reply
from bot.form_reading import read_subscribe
from bot.presenters import forms
from bot.storage.schema import attempts, exposures, subscriptions
from tests.bot.test_usecases import ADA, ask, count, press

ADMIN = Context(
    Actor("test", "U-admin", "Admin", is_admin=True, timezone="Europe/Berlin"),
    Place("test", "C-team", "team"),
)
MEMBER = Context(Actor("test", "U-member", "Member"), Place("test", "C-team", "team"))
GOOD = {
    forms.POST_TIME: "08:30",
    forms.TIMEZONE: "america/new_york",
    forms.DAYS: ("mon", "wed", "fri"),
    forms.LEVEL: "senior",
    forms.REVEAL_TIME: "17:00",
    forms.TEAM: "4",
}


async def open_form(runtime: Runtime, reply: Reply, label: str, ctx: Context = ADA) -> Reply:
    opened = await press(runtime, label, reply, ctx)
    assert opened.form is not None, opened.plain_text
    return opened


async def test_write_my_answer_opens_a_form_for_that_question(runtime: Runtime) -> None:
    question = await ask(runtime, "3")
    opened = await open_form(runtime, question, "Write my answer")
    form = opened.form
    assert form is not None
    assert form.kind is FormKind.ANSWER
    assert len(form.title) <= 24
    assert len(form.submit) <= 24
    (field,) = form.fields
    assert field.kind is FieldKind.LONG_TEXT
    assert field.max_length == 3000
    assert form.intro.startswith("**3.")
    assert "answer 3" in opened.plain_text  # what a platform without forms shows


async def test_a_submitted_answer_is_checked_like_a_typed_one(runtime: Runtime) -> None:
    question = await ask(runtime, "3")
    form = (await open_form(runtime, question, "Write my answer")).form
    assert form is not None
    reply = await runtime.quizbot.submit_form(
        ADA, form.kind, form.state, {forms.ANSWER: "It runs point1 and point3."}
    )
    assert isinstance(reply, Reply)
    assert "Suggested grade: Partly" in reply.plain_text.splitlines()
    await press(runtime, "Partly", reply)
    assert await count(runtime, attempts) == 1


async def test_an_empty_or_overlong_answer_is_refused_in_its_field(runtime: Runtime) -> None:
    form = (await open_form(runtime, await ask(runtime, "3"), "Write my answer")).form
    assert form is not None
    async with runtime.engine.connect() as connection:
        before = (await connection.execute(exposures.select())).all()
    for text in ("   ", "x" * 3001):
        refused = await runtime.quizbot.submit_form(ADA, form.kind, form.state, {"answer": text})
        assert isinstance(refused, FieldErrors)
        assert list(refused.errors) == [forms.ANSWER]
    async with runtime.engine.connect() as connection:
        assert (await connection.execute(exposures.select())).all() == before


async def test_subscribe_alone_opens_the_form_on_weekday_mornings(runtime: Runtime) -> None:
    opened = await ask(runtime, "subscribe", ADMIN)
    form = opened.form
    assert form is not None
    assert form.kind is FormKind.SUBSCRIBE
    initial = {f.id: f.initial for f in form.fields}
    assert initial == {
        forms.POST_TIME: "09:00",
        forms.TIMEZONE: "Europe/Berlin",
        forms.DAYS: ("mon", "tue", "wed", "thu", "fri"),
        forms.LEVEL: "any",
        forms.REVEAL_TIME: "",
        forms.TEAM: "2",
    }
    assert not form.field(forms.REVEAL_TIME).required


async def test_a_valid_subscription_form_saves_and_reopens_with_its_values(
    runtime: Runtime,
) -> None:
    form = (await ask(runtime, "subscribe", ADMIN)).form
    assert form is not None
    saved = await runtime.quizbot.submit_form(ADMIN, form.kind, form.state, GOOD)
    assert isinstance(saved, Reply)
    assert saved.title == "Daily question subscribed"
    async with runtime.engine.connect() as connection:
        row = (await connection.execute(subscriptions.select())).one()._mapping
    assert str(row["post_time"]).startswith("08:30")
    assert row["timezone"] == "America/New_York"
    assert row["team_threshold"] == 4
    schedule = await ask(runtime, "schedule", ADMIN)
    again = (await open_form(runtime, schedule, "Change the schedule", ADMIN)).form
    assert again is not None
    assert {f.id: f.initial for f in again.fields} == {
        forms.POST_TIME: "08:30",
        forms.TIMEZONE: "America/New_York",
        forms.DAYS: ("mon", "wed", "fri"),
        forms.LEVEL: "senior",
        forms.REVEAL_TIME: "17:00",
        forms.TEAM: "4",
    }


async def test_every_bad_field_is_named_and_nothing_is_saved(runtime: Runtime) -> None:
    form = (await ask(runtime, "subscribe", ADMIN)).form
    assert form is not None
    bad = {
        forms.POST_TIME: "25:00",
        forms.TIMEZONE: "Mars/Olympus",
        forms.DAYS: (),
        forms.LEVEL: "wizard",
        forms.REVEAL_TIME: "",
        forms.TEAM: "0",
    }
    refused = await runtime.quizbot.submit_form(ADMIN, form.kind, form.state, bad)
    assert isinstance(refused, FieldErrors)
    assert set(refused.errors) == {
        forms.POST_TIME,
        forms.TIMEZONE,
        forms.DAYS,
        forms.LEVEL,
        forms.TEAM,
    }
    assert "not a time of day" in refused.errors[forms.POST_TIME]
    assert await count(runtime, subscriptions) == 0


async def test_a_reveal_before_the_post_is_refused_under_the_reveal_field(
    runtime: Runtime,
) -> None:
    form = (await ask(runtime, "subscribe", ADMIN)).form
    assert form is not None
    values = {**GOOD, forms.REVEAL_TIME: "07:00"}
    refused = await runtime.quizbot.submit_form(ADMIN, form.kind, form.state, values)
    assert isinstance(refused, FieldErrors)
    assert list(refused.errors) == [forms.REVEAL_TIME]
    assert await count(runtime, subscriptions) == 0


async def test_only_admins_open_or_submit_the_channel_form(runtime: Runtime) -> None:
    refused = await ask(runtime, "subscribe", MEMBER)
    assert refused.form is None
    assert "admin" in refused.plain_text.lower()
    submitted = await runtime.quizbot.submit_form(MEMBER, FormKind.SUBSCRIBE, "mini", GOOD)
    assert isinstance(submitted, FieldErrors)
    assert "admin" in submitted.errors[WHOLE_FORM].lower()
    assert await count(runtime, subscriptions) == 0


async def test_a_forged_form_gets_a_friendly_refusal(runtime: Runtime) -> None:
    for kind, state in (("nonsense", "mini"), ("answer", "no-colon"), ("answer", "mini:nope")):
        reply = await runtime.quizbot.submit_form(ADA, kind, state, {"answer": "x"})
        assert isinstance(reply, Reply)
        assert reply.tone.value == "error"


def test_days_read_values_or_typed_names_and_refuse_lookalikes() -> None:
    base = {forms.POST_TIME: "09:00", forms.TIMEZONE: "UTC"}
    for typed, expected in (
        (("mon", "wed", "fri"), {0, 2, 4}),
        ("mon wed fri", {0, 2, 4}),
        ("Monday, Wednesday,friday", {0, 2, 4}),
        (("sun",), {6}),
    ):
        command = read_subscribe({**base, forms.DAYS: typed})
        assert not isinstance(command, FieldErrors)
        assert command.weekdays == frozenset(expected)
    for bad in ("monkey", "mo", "funday"):
        refused = read_subscribe({**base, forms.DAYS: bad})
        assert isinstance(refused, FieldErrors)
        assert list(refused.errors) == [forms.DAYS]
