"""Buttons survive a restart; replies stay within Discord's limits; run serves Discord."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import discord

from adapters.discord.buttons import CUSTOM_ID_LIMIT, custom_id
from adapters.discord.posting import DiscordPostingPort
from adapters.discord.render import DESCRIPTION_LIMIT, MESSAGE_LIMIT, DiscordMessage, render
from adapters.platforms import serve
from bot.composition import build_runtime
from bot.config import Settings
from bot.content.loader import load_catalog
from bot.content.locations import default_content_root
from bot.domain.replies import Button, CodeBlock, Markdown, Reply
from bot.domain.selection import Pick
from bot.presenters.daily import daily_post_reply, public_answer_reply
from bot.presenters.practice import answer_reply, question_reply
from bot.usecases.answer import Revealed
from bot.usecases.ask import Asked
from tests.adapters.discord import limits
from tests.adapters.discord.conftest import MEMBER, DiscordHarness, as_message, shown, start_client
from tests.adapters.discord.standin import DiscordStandIn, slash


async def test_button_from_before_a_restart_still_works(
    discord_settings: Settings, standin: DiscordStandIn
) -> None:
    port = DiscordPostingPort()
    runtime = await build_runtime(discord_settings, rng=random.Random(1), ports={"discord": port})
    runner = await start_client(discord_settings, runtime, port)
    harness = DiscordHarness(standin, runtime, runner)
    question = await harness.command("question", number=4)
    await runner.stop()
    await runtime.aclose()

    port = DiscordPostingPort()
    runtime = await build_runtime(discord_settings, ports={"discord": port})
    runner = await start_client(discord_settings, runtime, port)
    harness = DiscordHarness(standin, runtime, runner)
    assert standin.identifies == 2
    answer = await harness.press(as_message(question), "Reveal answer")
    assert "Answer to question 4" in shown(answer)
    graded = await harness.press(as_message(answer), "Missed")
    assert "Recorded **missed** for question 4" in shown(graded)
    await runner.stop()
    await runtime.aclose()


async def test_serve_runs_discord_until_stopped(
    discord_settings: Settings, standin: DiscordStandIn
) -> None:
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(discord_settings, stop=stop))
    await standin.send_interaction(slash("mini-quiz", "help", MEMBER, "serve-1"))
    await standin.wait_for(lambda: bool(standin.callbacks), 20)
    stop.set()
    assert await asyncio.wait_for(serving, 20) == 0
    (record,) = standin.interactions.values()
    assert "Mini test pack" in shown(record)


def test_long_answer_continues_in_more_embeds_and_messages() -> None:
    text = "\n\n".join(f"Paragraph {n}: " + "word " * 150 for n in range(30))
    messages = render(
        Reply(
            title="Answer",
            blocks=(Markdown(text), CodeBlock("x = 1\n" * 900)),
            buttons=(Button("Knew it", "quizbot.grade", "p:q:knew"),),
        )
    )
    embeds = [e for m in messages for e in m.embeds]
    assert len(messages) > 1
    assert all(len(e.description or "") <= DESCRIPTION_LIMIT for e in embeds)
    assert all(sum(len(e) for e in m.embeds) <= MESSAGE_LIMIT for m in messages)
    assert all(m.view is None for m in messages[:-1])
    assert messages[-1].view is not None
    joined = "".join(e.description or "" for e in embeds)
    assert joined.count("Paragraph") == 30
    assert joined.count("x = 1") == 900
    assert all((e.description or "").count("```") % 2 == 0 for e in embeds)


def test_every_packaged_question_renders_within_discords_limits() -> None:
    """Held to the stand-in's rules (Discord's limits), message by message, as sent; and every
    embed opens and closes its own code fences."""
    for pack in load_catalog(default_content_root()).packs:
        for question in pack.questions:
            replies = [
                question_reply(Asked(question, Pick.NEW, None, None, 0)),
                answer_reply(Revealed(question)),
                daily_post_reply(question),
                public_answer_reply(question),
            ]
            for reply in replies:
                for message in render(reply):
                    payload = as_payload(message)
                    assert limits.message_errors(payload) == {}, (question.id, reply.title)
                    assert not limits.is_empty(payload, files=0)
                    for embed in message.embeds:
                        assert fences_balanced(embed.description or ""), question.id


def as_payload(message: DiscordMessage) -> dict[str, Any]:
    return {
        "embeds": [embed.to_dict() for embed in message.embeds],
        "components": message.view.to_components() if message.view else [],
    }


def fences_balanced(description: str) -> bool:
    """Every ``` line that opens a block has one that closes it, within the embed."""
    inside = False
    for line in description.split("\n"):
        if line.startswith("```"):
            inside = not inside
    return not inside


def code_with_blank_lines(functions: int) -> str:
    return "\n\n".join(
        f"def handler_{n}(request):\n    # {'step ' * 8}\n    return {{'n': {n}}}"
        for n in range(functions)
    )


def test_code_with_blank_lines_crossing_an_embed_starts_the_next_embed_whole() -> None:
    """Issue 13: paragraphs were packed before fences were considered, so a code block with
    blank lines that crossed 4,096 characters left an embed with an unclosed fence."""
    prose = ("The lifespan handler opens the pool once. " * 90).strip()
    code = code_with_blank_lines(14)
    assert len(prose) + len(code) > DESCRIPTION_LIMIT > len(prose) + 100
    (message,) = render(Reply(blocks=(Markdown(prose), CodeBlock(code, "python"))))
    assert [e.description for e in message.embeds] == [prose, f"```python\n{code}\n```"]
    assert limits.message_errors(as_payload(message)) == {}


def test_code_longer_than_an_embed_is_closed_and_reopened_with_its_language() -> None:
    code = code_with_blank_lines(200)
    reply = Reply(
        title="Answer",
        blocks=(
            Markdown(("Before the code. " * 200).strip()),
            CodeBlock(code, "python"),
            Markdown("After the code."),
        ),
    )
    messages = render(reply)
    embeds = [e for m in messages for e in m.embeds]
    assert len(embeds) > 4
    for message in messages:
        assert limits.message_errors(as_payload(message)) == {}
    descriptions = [e.description or "" for e in embeds]
    assert all(len(d) <= DESCRIPTION_LIMIT for d in descriptions)
    assert all(fences_balanced(d) for d in descriptions)
    fences = [line for d in descriptions for line in d.split("\n") if line.startswith("```")]
    assert fences[0::2] == ["```python"] * (len(fences) // 2)
    assert set(fences[1::2]) == {"```"}
    shown = "\n".join(descriptions)
    code_lines = [line for line in code.split("\n") if line]
    shown_code = [line for line in shown.split("\n") if line in set(code_lines)]
    assert shown_code == code_lines  # every line once, in order
    assert descriptions[-1].endswith("After the code.")


def test_a_code_line_longer_than_an_embed_is_cut_inside_its_fence() -> None:
    code = "values = [" + "1, " * 3000 + "]"
    (message, *more) = render(Reply(blocks=(CodeBlock(code, "python"),)))
    embeds = [e for m in (message, *more) for e in m.embeds]
    assert len(embeds) >= 3
    assert all(fences_balanced(e.description or "") for e in embeds)
    assert all(len(e.description or "") <= DESCRIPTION_LIMIT for e in embeds)


def test_every_packaged_button_fits_discords_custom_id_limit() -> None:
    for pack in load_catalog(default_content_root()).packs:
        for question in pack.questions:
            replies = [
                question_reply(Asked(question, Pick.NEW, None, None, 0)),
                answer_reply(Revealed(question)),
            ]
            for reply in replies:
                for button in reply.buttons:
                    assert len(custom_id(button)) <= CUSTOM_ID_LIMIT


def test_buttons_are_persistent() -> None:
    (message,) = render(
        Reply(blocks=(Markdown("q"),), buttons=(Button("Go", "quizbot.next", ":"),))
    )
    assert isinstance(message.view, discord.ui.View)
    assert message.view.timeout is None
    assert message.view.is_persistent()
