"""Export gives a person all their data; forget-me, once confirmed, leaves nothing of them."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.composition import Runtime
from bot.domain import actions
from bot.domain.replies import Tone
from bot.storage.schema import attempts, exposures, review_states, users
from tests.bot.groups.test_study_groups import ADA, BOB, practise, say


async def rows_of(runtime: Runtime, user_id: str) -> int:
    async with runtime.engine.connect() as connection:
        found = (
            await connection.execute(select(users.c.id).where(users.c.platform_user_id == user_id))
        ).scalar_one_or_none()
        if found is None:
            return 0
        total = 1
        for table in (attempts, exposures, review_states):
            query = select(func.count()).select_from(table).where(table.c.user_id == found)
            total += int((await connection.execute(query)).scalar_one())
        return total


async def test_export_then_forget_me_leaves_nothing_of_that_user(daily: Runtime) -> None:
    assert "stores nothing about you" in await say(daily, ADA, "export")
    await say(daily, ADA, "timezone Europe/Berlin")
    await practise(daily, ADA, 1)
    await practise(daily, ADA, 2, "Missed")
    await practise(daily, BOB, 1)

    exported = await daily.quizbot.handle_text(ADA, "mini-quiz", "export")
    (attachment,) = exported.files
    data = json.loads(attachment.data)
    assert data["profile"]["user_id"] == "U-ada"
    assert data["profile"]["timezone"] == "Europe/Berlin"
    assert [(a["question_id"], a["grade"]) for a in data["attempts"]] == [
        ("what-is-http", "knew"),
        ("path-params", "missed"),
    ]
    assert {r["question_id"] for r in data["reviews"]} == {"what-is-http", "path-params"}
    assert "Bob" not in attachment.data.decode()

    prompt = await daily.quizbot.handle_text(ADA, "mini-quiz", "forget-me")
    assert await rows_of(daily, "U-ada") > 0  # asking alone deletes nothing
    (confirm,) = prompt.buttons
    assert confirm.action_id == actions.FORGET
    refused = await daily.quizbot.handle_action(BOB, confirm.action_id, confirm.value)
    assert refused.tone is Tone.ERROR
    assert await rows_of(daily, "U-ada") > 0

    done = await daily.quizbot.handle_action(ADA, confirm.action_id, confirm.value)
    assert "Deleted everything" in done.plain_text
    assert await rows_of(daily, "U-ada") == 0
    assert await rows_of(daily, "U-bob") == 4  # user, attempt, exposure, review untouched
    assert "stores nothing about you" in await say(daily, ADA, "export")


async def test_remind_on_and_off(daily: Runtime) -> None:
    assert "Reminders are **on**" in await say(daily, ADA, "remind on")
    assert "Reminders are **off**" in await say(daily, ADA, "remind off")
    assert "Say `remind on` or `remind off`" in await say(daily, ADA, "remind maybe")
