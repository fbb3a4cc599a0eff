"""A person's home through the core's front door: what it shows, its settings and their
changes (checked as the typed commands check them), and the signal that a grade was made."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.clock import FixedClock
from bot.composition import Runtime
from bot.domain.context import Actor
from bot.domain.forms import FieldKind
from bot.domain.home import Home, HomeSection
from bot.domain.replies import Reply, Tone
from bot.presenters import home as home_presenter
from bot.storage.schema import users
from tests.bot.test_usecases import ADA, BOB, ask, press, study


async def home_of(runtime: Runtime, ctx: object = ADA) -> Home:
    built = await runtime.quizbot.home(ctx)  # type: ignore[arg-type]
    assert isinstance(built, Home), built
    return built


def section(home: Home, title: str) -> HomeSection:
    (found,) = [s for s in home.sections if s.title == title]
    return found


def setting(home: Home, setting_id: str) -> str | tuple[str, ...]:
    (field,) = [f for f in home.settings if f.id == setting_id]
    return field.initial


async def stored_user(runtime: Runtime, user_id: str = "U-ada") -> dict[str, object]:
    async with runtime.engine.connect() as connection:
        row = (
            await connection.execute(select(users).where(users.c.platform_user_id == user_id))
        ).one()
    return dict(row._mapping)


async def test_a_new_persons_home(runtime: Runtime) -> None:
    home = await home_of(runtime)
    assert home.title == "Mini test pack practice"
    assert home.pack_id == "mini"
    assert "0/6 questions practised" in home.subtitle
    assert "**0 days** now · best 0 days · 0 freezes held" in section(home, "Streak").text
    assert section(home, "Today").text == "No grades yet today."
    due = section(home, "Due for review")
    assert "Nothing to review yet" in due.text
    assert due.buttons == ()
    assert "- Junior: 0/2 practised" in section(home, "Recall by level").text
    assert home.picture is None  # nothing to draw yet
    assert [b.label for b in home.buttons] == ["Ask me a question"]
    kinds = {f.id: f.kind for f in home.settings}
    assert kinds == {
        "level": FieldKind.CHOICE,
        "timezone": FieldKind.TIMEZONE,
        "remind": FieldKind.CHOICE,
    }
    assert (setting(home, "level"), setting(home, "timezone"), setting(home, "remind")) == (
        "any",
        "UTC",
        "off",
    )


async def test_the_home_after_some_practice(runtime: Runtime, clock: FixedClock) -> None:
    await study(runtime, 5, "Missed")
    await study(runtime, 3, "Knew it")
    await study(runtime, 1, "Partly")
    home = await home_of(runtime)
    assert "**1 day** now · best 1 day" in section(home, "Streak").text
    assert section(home, "Today").text == "**3** graded: 1 knew it, 1 partly, 1 missed"
    levels = section(home, "Recall by level").text.splitlines()
    assert levels == [
        "- Junior: 1/2 practised, recall 0%",
        "- Mid: 1/2 practised, recall 100%",
        "- Senior: 1/2 practised, recall 0%",
    ]
    assert home.picture is not None
    assert home.picture.data.startswith(b"\x89PNG")
    assert "Nothing is due" in section(home, "Due for review").text

    clock.set(clock.now() + timedelta(days=1, hours=1))
    later = await home_of(runtime)
    assert section(later, "Today").text == "No grades yet today."
    assert "Practise today to keep it going." in section(later, "Streak").text
    due = section(later, "Due for review")
    assert due.text.startswith("**")
    assert "due for review now" in due.text
    (review_now,) = due.buttons
    assert review_now.label == "Review now"
    question = await runtime.quizbot.handle_action(ADA, review_now.action_id, review_now.value)
    assert question.title == "Question 5"  # the one missed is due first
    assert question.subtitle is not None
    assert "Due for review" in question.subtitle


async def test_ask_me_a_question_uses_the_usual_level(runtime: Runtime) -> None:
    await runtime.quizbot.change_setting(ADA, "mini", "level", "senior")
    home = await home_of(runtime)
    question = await press(runtime, "Ask me a question", _as_reply(home))
    assert question.title in ("Question 5", "Question 6")


async def test_changing_each_setting_is_stored_and_shown(runtime: Runtime) -> None:
    quizbot = runtime.quizbot
    level = await quizbot.change_setting(ADA, "mini", "level", "mid")
    assert level.tone is Tone.SUCCESS
    assert "**mid**" in level.plain_text
    zone = await quizbot.change_setting(ADA, "mini", "timezone", "asia/tokyo")
    assert "**Asia/Tokyo**" in zone.plain_text
    remind = await quizbot.change_setting(ADA, "mini", "remind", "on")
    assert "Reminders are **on**" in remind.plain_text
    stored = await stored_user(runtime)
    assert (stored["level"], stored["timezone"], stored["remind"]) == ("mid", "Asia/Tokyo", True)
    home = await home_of(runtime)
    assert (setting(home, "level"), setting(home, "timezone"), setting(home, "remind")) == (
        "mid",
        "Asia/Tokyo",
        "on",
    )
    (zone_field,) = [f for f in home.settings if f.id == "timezone"]
    assert "not chosen yet" not in zone_field.hint

    await quizbot.change_setting(ADA, "mini", "level", "any")
    await quizbot.change_setting(ADA, "mini", "remind", "off")
    stored = await stored_user(runtime)
    assert (stored["level"], stored["remind"]) == (None, False)


async def test_a_bad_value_is_refused_and_changes_nothing(runtime: Runtime) -> None:
    quizbot = runtime.quizbot
    await quizbot.change_setting(ADA, "mini", "timezone", "Europe/Berlin")
    await quizbot.change_setting(ADA, "mini", "level", "junior")
    before = await stored_user(runtime)
    refusals = {
        ("timezone", "Mars/Olympus_Mons"): "is not a timezone I know",
        ("timezone", ""): "Choose a timezone",
        ("level", "expert"): "Choose junior, mid, senior or any level.",
        ("remind", "sometimes"): "either on or off",
        ("colour", "blue"): "not one I know",
    }
    for (setting_id, value), reason in refusals.items():
        reply = await quizbot.change_setting(ADA, "mini", setting_id, value)
        assert reply.tone is Tone.ERROR, (setting_id, value)
        assert reason in reply.plain_text
    gone = await quizbot.change_setting(ADA, "no-such-pack", "level", "mid")
    assert gone.tone is Tone.ERROR
    assert await stored_user(runtime) == before


async def test_a_home_for_a_pack_named_by_its_command_or_not_installed(runtime: Runtime) -> None:
    by_command = await runtime.quizbot.home(ADA, "mini-quiz")
    assert isinstance(by_command, Home)
    assert by_command.pack_id == "mini"
    missing = await runtime.quizbot.home(ADA, "gone")
    assert isinstance(missing, Reply)
    assert missing.tone is Tone.ERROR


async def test_every_accepted_grade_is_signalled_once(runtime: Runtime) -> None:
    heard: list[tuple[str, str]] = []

    def listener(actor: Actor, pack_id: str) -> None:
        heard.append((actor.user_id, pack_id))

    def broken(actor: Actor, pack_id: str) -> None:
        raise RuntimeError("a listener's bug is not the grade's problem")

    runtime.quizbot.on_graded(broken)
    runtime.quizbot.on_graded(listener)
    answer = await press(runtime, "Reveal answer", await ask(runtime, "3"))
    graded = await press(runtime, "Knew it", answer)
    assert graded.tone is Tone.SUCCESS
    again = await press(runtime, "Knew it", answer)  # refused: graded already
    assert again.tone is Tone.ERROR
    assert heard == [("U-ada", "mini")]

    mock = await ask(runtime, "mock 2", BOB)
    written = await ask(runtime, "answer It is about the event loop.", BOB)
    assert mock.direct
    await press(runtime, "Partly", written, BOB)
    assert heard == [("U-ada", "mini"), ("U-bob", "mini")]


async def test_the_home_setting_hint_says_when_the_zone_is_not_chosen(runtime: Runtime) -> None:
    home = await home_of(runtime)
    (zone_field,) = [f for f in home.settings if f.id == home_presenter.TIMEZONE]
    assert "not chosen yet" in zone_field.hint


def _as_reply(home: Home) -> Reply:
    """The home's own buttons, pressed the way any reply's buttons are."""
    return Reply(blocks=(), buttons=home.buttons)
