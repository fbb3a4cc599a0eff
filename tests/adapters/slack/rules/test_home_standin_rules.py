"""The stand-in's App Home rules, through the real slack_sdk client: what views.publish and
files.delete refuse, and what the home renderer sends passing them."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import home_view
from bot.domain import actions
from bot.domain.forms import FieldKind, FormField, Option
from bot.domain.home import Home, HomeSection
from bot.domain.replies import Attachment, Button, CodeBlock, Markdown, Reply, Tone
from tests.adapters.slack.standin import SlackStandIn

USER = "U1"


@pytest.fixture(autouse=True)
def known_user(standin: SlackStandIn) -> None:
    """views.publish needs a user the workspace has."""
    standin.users[USER] = {"id": USER, "name": "ann"}


def a_home(*, picture: bool = True, text: str = "**2 days** now") -> Home:
    zone = FormField("timezone", "Timezone", FieldKind.TIMEZONE, initial="Europe/Berlin")
    level = FormField(
        "level",
        "Usual level",
        FieldKind.CHOICE,
        initial="mid",
        options=tuple(Option(v, v.capitalize()) for v in ("any", "junior", "mid", "senior")),
        hint="What questions you get",
    )
    remind = FormField(
        "remind", "Streak reminders", FieldKind.CHOICE, initial="off",
        options=(Option("on", "On"), Option("off", "Off")),
    )  # fmt: skip
    review = Button("Review now", actions.REVIEW, "mini")
    return Home(
        title="Mini practice",
        subtitle="Ann · 2/6 questions practised",
        sections=(
            HomeSection("Streak", text),
            HomeSection("Due for review", "**1** question is due", (review,)),
        ),
        picture=Attachment("p.png", b"\x89PNG...", "Your progress picture") if picture else None,
        settings=(level, zone, remind),
        pack_id="mini",
        buttons=(Button("Ask me a question", actions.NEXT, "mini::"),),
    )


async def refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        await call
    return dict(raised.value.response.data)  # type: ignore[arg-type]


async def uploaded(client: AsyncWebClient) -> str:
    done = await client.files_upload_v2(file=b"\x89PNG...", filename="p.png", title="p")
    return str(done["files"][0]["id"])


async def test_a_rendered_home_is_published(standin: SlackStandIn, client: AsyncWebClient) -> None:
    file_id = await uploaded(client)
    view = home_view.render(a_home(), picture_file=file_id)
    assert (await client.views_publish(user_id=USER, view=view))["ok"] is True
    assert standin.home_of(USER) == view
    notice = Reply(blocks=(Markdown("Nope"), CodeBlock("a < b")), tone=Tone.ERROR)
    with_notice = home_view.render(a_home(), notice=notice, picture_file=file_id)
    assert (await client.views_publish(user_id=USER, view=with_notice))["ok"] is True
    failed = home_view.render(Reply(blocks=(Markdown("The database is down."),)))
    assert (await client.views_publish(user_id=USER, view=failed))["ok"] is True


async def test_a_picture_must_be_a_file_slack_has(client: AsyncWebClient) -> None:
    view = home_view.render(a_home(), picture_file="F404")
    answer = await refusal(client.views_publish(user_id=USER, view=view))
    assert answer["error"] == "invalid_arguments"
    assert any("invalid slack file 'F404'" in m for m in answer["response_metadata"]["messages"])


async def test_a_deleted_file_is_gone(client: AsyncWebClient) -> None:
    file_id = await uploaded(client)
    assert (await client.files_delete(file=file_id))["ok"] is True
    assert (await refusal(client.files_delete(file=file_id)))["error"] == "file_not_found"
    view = home_view.render(a_home(), picture_file=file_id)
    assert (await refusal(client.views_publish(user_id=USER, view=view)))["error"] == (
        "invalid_arguments"
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda v: v | {"type": "modal", "title": _plain("T")}, "takes a home view"),
        (
            lambda v: (
                v
                | {"blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]}
            ),
            "3000",
        ),
        (lambda v: v | {"blocks": [{"type": "nonsense"}]}, "unknown block type"),
        (lambda v: v | {"blocks": [{"type": "divider"}] * 101}, "100"),
        (lambda v: v | {"blocks": [{"type": "divider", "block_id": "a"}] * 2}, "block_id 'a'"),
        (
            lambda v: _retarget(v, "initial_option", {"text": _plain("X"), "value": "x"}),
            "initial_option",
        ),
        (lambda v: v | {"blocks": v["blocks"] + v["blocks"][-2:]}, "is used 2 times"),
    ],
)
async def test_views_slack_would_not_publish_are_refused(
    client: AsyncWebClient, change: Any, problem: str
) -> None:
    view = change(home_view.render(a_home(picture=False)))
    answer = await refusal(client.views_publish(user_id=USER, view=view))
    assert answer["error"] == "invalid_arguments"
    assert any(problem in message for message in answer["response_metadata"]["messages"]), answer


async def test_a_home_for_no_such_user_or_with_the_tab_disabled(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    view = home_view.render(a_home(picture=False))
    assert (await refusal(client.views_publish(user_id="UNOBODY", view=view)))[
        "error"
    ] == "invalid_arguments"
    standin.home_tab_enabled = False
    assert (await refusal(client.views_publish(user_id=USER, view=view)))["error"] == "not_enabled"


def test_home_action_ids_read_back() -> None:
    view = home_view.render(a_home(picture=False))
    ids = [
        e["action_id"]
        for b in view["blocks"]
        for e in [*(b.get("elements") or []), b.get("accessory")]
        if isinstance(e, dict) and "action_id" in e
    ]
    assert "quizbot.home.timezone" in ids
    assert all(home_view.HOME_ACTIONS.match(i) for i in ids)
    read = [home_view.read_action(i, "v") for i in ids]
    assert [(r.setting_id, r.action_id) for r in read if r] == [
        (None, actions.NEXT),
        (None, actions.REVIEW),
        ("level", None),
        ("timezone", None),
        ("remind", None),
    ]
    assert home_view.read_action("quizbot.home.", "v") is None
    assert home_view.read_action("quizbot.home.a.b", "v") is None


def test_a_long_section_is_split_not_cut() -> None:
    long = "\n\n".join(f"Paragraph {i} " + "word " * 100 for i in range(12))
    view = home_view.render(a_home(picture=False, text=long))
    shown = "".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")
    assert all(f"Paragraph {i} " in shown for i in range(12))
    assert home_view.render(a_home(picture=False, text=long)) == view  # the same every time


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _retarget(view: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """The first static select's `key` set to `value`."""
    for block in view["blocks"]:
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "static_select":
            accessory[key] = value
            return view
    raise AssertionError("no static select")
