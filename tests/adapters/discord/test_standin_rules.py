"""The Discord stand-in itself holds apps to Discord's published interaction rules and limits.

These talk to it over plain HTTP and a bare gateway connection, as any client would, so that the
rules are proven independently of the bot that later runs against them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from tests.adapters.discord import limits
from tests.adapters.discord.lifecycle import EPHEMERAL, LOADING, InteractionRecord
from tests.adapters.discord.modal_client import NotSubmittable, submission
from tests.adapters.discord.standin import (
    APP_ID,
    CHANNEL_ID,
    DiscordStandIn,
    autocomplete,
    member,
    slash,
)

PERSON = member("700000000000000009", "cy")
Body = dict[str, Any]


class BareClient:
    """A gateway session (so interactions can be dispatched) and raw REST calls."""

    def __init__(self, standin: DiscordStandIn, session: aiohttp.ClientSession) -> None:
        self.standin = standin
        self.session = session
        self.tokens = 0

    async def interaction(self, **overrides: Any) -> InteractionRecord:
        self.tokens += 1
        payload = slash("mini-quiz", "help", PERSON, f"bare-{self.tokens}")
        return await self.standin.send_interaction({**payload, **overrides})

    async def call(
        self,
        method: str,
        path: str,
        body: Body | None = None,
        files: dict[str, bytes] | None = None,
    ) -> tuple[int, Any]:
        url = f"{self.standin.api_url}{path}"
        data: aiohttp.FormData | None = None
        if files:
            data = aiohttp.FormData()
            data.add_field("payload_json", json.dumps(body), content_type="application/json")
            for index, (name, content) in enumerate(files.items()):
                data.add_field(f"files[{index}]", content, filename=name)
            body = None
        headers = {"Authorization": f"Bot {self.standin.bot_token}"}  # as discord.py sends it
        async with self.session.request(
            method, url, json=body, data=data, headers=headers
        ) as response:
            text = await response.text()
            return response.status, json.loads(text) if text else None

    async def respond(self, record: InteractionRecord, body: Body, **kw: Any) -> tuple[int, Any]:
        path = f"/interactions/{record.id}/{record.token}/callback?with_response=true"
        return await self.call("POST", path, body, **kw)

    async def followup(self, record: InteractionRecord, body: Body) -> tuple[int, Any]:
        return await self.call("POST", f"/webhooks/{APP_ID}/{record.token}?wait=true", body)

    async def edit_original(self, record: InteractionRecord, body: Body) -> tuple[int, Any]:
        return await self.call(
            "PATCH", f"/webhooks/{APP_ID}/{record.token}/messages/@original", body
        )


@pytest.fixture
async def bare() -> AsyncIterator[BareClient]:
    standin = DiscordStandIn(ack_deadline=0.5, token_lifetime=1.5)
    await standin.start()
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(standin.gateway_url) as socket,
    ):
        await socket.receive_json()  # HELLO
        await socket.send_json({"op": 2, "d": {"token": "t", "intents": 1, "properties": {}}})
        yield BareClient(standin, session)
    await standin.stop()


def message(text: str = "hello", **more: Any) -> Body:
    return {"type": 4, "data": {"content": text, **more}}


def test_the_default_deadlines_are_discords() -> None:
    standin = DiscordStandIn()
    assert standin.ack_deadline == 3.0
    assert standin.token_lifetime == 15 * 60


async def test_a_late_initial_response_is_refused_with_10062(bare: BareClient) -> None:
    record = await bare.interaction()
    await asyncio.sleep(0.6)
    assert await bare.respond(record, message()) == (
        404,
        {"message": "Unknown interaction", "code": 10062},
    )
    assert record.acknowledged_after is None
    # The token died with it: no follow-up can reach the person either.
    status, body = await bare.followup(record, {"content": "sorry"})
    assert (status, body["code"]) == (404, 10015)


async def test_a_second_initial_response_is_refused_with_40060(bare: BareClient) -> None:
    record = await bare.interaction()
    status, _ = await bare.respond(record, {"type": 5, "data": {"flags": EPHEMERAL}})
    assert status == 200
    assert await bare.respond(record, message()) == (
        400,
        {"message": "Interaction has already been acknowledged.", "code": 40060},
    )
    assert record.acknowledged_after is not None
    assert 0 <= record.acknowledged_after < 0.5


async def test_follow_ups_need_an_initial_response_and_stop_after_the_window(
    bare: BareClient,
) -> None:
    record = await bare.interaction()
    status, body = await bare.followup(record, {"content": "too early"})
    assert (status, body) == (404, {"message": "Unknown Webhook", "code": 10015})
    assert (await bare.respond(record, message()))[0] == 200
    assert (await bare.followup(record, {"content": "in time"}))[0] == 200
    assert (await bare.edit_original(record, {"content": "edited"}))[0] == 200
    await asyncio.sleep(1.6)
    assert await bare.followup(record, {"content": "too late"}) == (
        401,
        {"message": "Invalid Webhook Token", "code": 50027},
    )
    assert (await bare.edit_original(record, {"content": "too late"}))[0] == 401
    assert [m["content"] for m in record.messages] == ["edited", "in time"]


async def test_a_follow_up_straight_after_a_defer_edits_the_thinking_message(
    bare: BareClient,
) -> None:
    record = await bare.interaction()
    await bare.respond(record, {"type": 5, "data": {"flags": EPHEMERAL}})
    assert record.thinking
    assert not record.answered
    status, edited = await bare.followup(record, {"content": "public?"})  # no ephemeral flag
    assert status == 200
    assert edited["id"] == record.messages[0]["id"]
    assert edited["flags"] == EPHEMERAL  # the defer's visibility is kept
    assert not edited["flags"] & LOADING
    status, created = await bare.followup(record, {"content": "public"})
    assert created["flags"] == 0
    assert [m["content"] for m in record.messages] == ["public?", "public"]


async def test_editing_the_original_never_changes_its_visibility(bare: BareClient) -> None:
    record = await bare.interaction()
    await bare.respond(record, {"type": 5})
    status, edited = await bare.edit_original(record, {"content": "done", "flags": EPHEMERAL})
    assert status == 200
    assert edited["flags"] == 0


async def test_autocomplete_takes_choices_only(bare: BareClient) -> None:
    payload = autocomplete("mini-quiz", "question", "topic", "", PERSON, "bare-ac")
    record = await bare.standin.send_interaction(payload)
    status, body = await bare.respond(record, message())
    assert (status, body["code"]) == (400, 50035)
    too_many = [{"name": f"t{n}", "value": f"t{n}"} for n in range(26)]
    status, body = await bare.respond(record, {"type": 8, "data": {"choices": too_many}})
    assert body["errors"]["data"]["choices"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
    assert (await bare.respond(record, {"type": 8, "data": {"choices": too_many[:25]}}))[0] == 200


def embed(**fields: Any) -> Body:
    return {"description": "x", **fields}


def row(*custom_ids: str, label: str = "Go") -> Body:
    buttons = [{"type": 2, "style": 1, "label": label, "custom_id": c} for c in custom_ids]
    return {"type": 1, "components": buttons}


OVERSIZED: list[tuple[str, Body, Callable[[Any], Any]]] = [
    ("content", {"content": "x" * 2001}, lambda e: e["content"]),
    ("ten embeds", {"embeds": [embed()] * 11}, lambda e: e["embeds"]),
    ("title", {"embeds": [embed(title="x" * 257)]}, lambda e: e["embeds"]["0"]["title"]),
    (
        "description",
        {"embeds": [embed(description="x" * 4097)]},
        lambda e: e["embeds"]["0"]["description"],
    ),
    (
        "author",
        {"embeds": [embed(author={"name": "x" * 257})]},
        lambda e: e["embeds"]["0"]["author"]["name"],
    ),
    (
        "footer",
        {"embeds": [embed(footer={"text": "x" * 2049})]},
        lambda e: e["embeds"]["0"]["footer"]["text"],
    ),
    (
        "fields",
        {"embeds": [embed(fields=[{"name": "n", "value": "v"}] * 26)]},
        lambda e: e["embeds"]["0"]["fields"],
    ),
    (
        "6000 across embeds",
        {"embeds": [embed(description="x" * 4000), embed(description="x" * 2001)]},
        lambda e: e["embeds"],
    ),
    (
        "action rows",
        {"components": [row(f"r{n}") for n in range(6)]},
        lambda e: e["components"],
    ),
    (
        "buttons in a row",
        {"components": [row(*(f"b{n}" for n in range(6)))]},
        lambda e: e["components"]["0"]["components"],
    ),
    (
        "custom id",
        {"components": [row("x" * 101)]},
        lambda e: e["components"]["0"]["components"]["0"]["custom_id"],
    ),
    (
        "button label",
        {"components": [row("ok", label="x" * 81)]},
        lambda e: e["components"]["0"]["components"]["0"]["label"],
    ),
    (
        "duplicate custom id",
        {"components": [row("same"), row("same")]},
        lambda e: e["components"]["1"]["components"]["0"]["custom_id"],
    ),
]


@pytest.mark.parametrize(("limit", "data", "where"), OVERSIZED, ids=[c[0] for c in OVERSIZED])
async def test_oversized_messages_are_refused_everywhere(
    bare: BareClient, limit: str, data: Body, where: Callable[[Any], Any]
) -> None:
    record = await bare.interaction()
    status, body = await bare.respond(record, {"type": 4, "data": data})
    assert (status, body["code"], body["message"]) == (400, 50035, "Invalid Form Body")
    assert where(body["errors"])["_errors"], body
    assert record.acknowledged_after is None  # a refused response acknowledges nothing
    assert (await bare.respond(record, message()))[0] == 200
    status, body = await bare.followup(record, data)
    assert (status, body["code"]) == (400, 50035)
    status, body = await bare.edit_original(record, data)
    assert (status, body["code"]) == (400, 50035)
    status, body = await bare.call("POST", f"/channels/{CHANNEL_ID}/messages", data)
    assert (status, body["code"]) == (400, 50035)


async def test_messages_at_the_limits_are_accepted(bare: BareClient) -> None:
    record = await bare.interaction()
    embeds = (
        [embed(title="t" * 256, description="x" * 4096, author={"name": "a" * 256})]
        + [embed(description="x" * 149)] * 8
        + [embed(description="x" * 200)]
    )
    data = {
        "content": "x" * 2000,
        "embeds": embeds,
        "components": [row(*(f"{r}-{b}" for b in range(5))) for r in range(5)],
    }
    assert sum(limits.embed_size(e) for e in embeds) == 6000
    assert (await bare.respond(record, {"type": 4, "data": data}))[0] == 200


async def test_empty_messages_and_files_over_the_interactions_limit_are_refused(
    bare: BareClient,
) -> None:
    record = await bare.interaction(attachment_size_limit=1000)
    assert await bare.respond(record, {"type": 4, "data": {}}) == (
        400,
        {"message": "Cannot send an empty message", "code": 50006},
    )
    big = {"big.png": b"x" * 1001}
    attachments = [{"id": 0, "filename": "big.png"}]
    status, body = await bare.respond(
        record, {"type": 4, "data": {"attachments": attachments}}, files=big
    )
    assert (status, body) == (413, {"message": "Request entity too large", "code": 40005})
    fits = {"small.png": b"x" * 1000}
    status, body = await bare.respond(
        record, {"type": 4, "data": {"attachments": attachments}}, files=fits
    )
    assert status == 200
    assert [a["filename"] for a in record.messages[0]["attachments"]] == ["small.png"]


def text_input(custom_id: str = "answer", **more: Any) -> Body:
    return {"type": 4, "custom_id": custom_id, "style": 2, **more}


def select(custom_id: str = "level", **more: Any) -> Body:
    options = [{"label": "Junior", "value": "junior"}, {"label": "Senior", "value": "senior"}]
    return {"type": 3, "custom_id": custom_id, "options": options, **more}


def label(component: Body, text: str = "Your answer", **more: Any) -> Body:
    return {"type": 18, "label": text, "component": component, **more}


def a_modal(*components: Body, **more: Any) -> Body:
    """A modal Discord shows: what each case below breaks is one rule."""
    shown = list(components) or [
        {"type": 10, "content": "**3. What does an event loop do?**"},
        label(text_input(), description="As you would say it", text="Your answer"),
        label(select(), text="Level"),
        {"type": 1, "components": [text_input("legacy", label="Old style", style=1)]},
    ]
    return {
        "custom_id": "form|answer|mini:q3",
        "title": "Write my answer",
        **more,
        "components": shown,
    }


def in_label(**more: Any) -> Body:
    return a_modal(label(text_input(**more)))


def in_select(**more: Any) -> Body:
    return a_modal(label(select(**more), text="Level"))


def first_child(errors: Any) -> Any:
    return errors["data"]["components"]["0"]["component"]


MODAL_BREAKS: list[tuple[str, Body, Callable[[Any], Any]]] = [
    ("title empty", a_modal(title=""), lambda e: e["data"]["title"]),
    ("title 46", a_modal(title="x" * 46), lambda e: e["data"]["title"]),
    ("custom id 101", a_modal(custom_id="x" * 101), lambda e: e["data"]["custom_id"]),
    ("custom id empty", a_modal(custom_id=""), lambda e: e["data"]["custom_id"]),
    ("no components", {**a_modal(), "components": []}, lambda e: e["data"]["components"]),
    (
        "six components",
        a_modal(*(label(text_input(f"t{n}")) for n in range(6))),
        lambda e: e["data"]["components"],
    ),
    (
        "a button",
        a_modal({"type": 2, "style": 1, "label": "Go", "custom_id": "go"}),
        lambda e: e["data"]["components"]["0"]["type"],
    ),
    (
        "label 46",
        a_modal(label(text_input(), text="x" * 46)),
        lambda e: e["data"]["components"]["0"]["label"],
    ),
    (
        "label description 101",
        a_modal(label(text_input(), description="x" * 101)),
        lambda e: e["data"]["components"]["0"]["description"],
    ),
    ("input custom id 101", in_label(custom_id="x" * 101), lambda e: first_child(e)["custom_id"]),
    ("input style", in_label(style=3), lambda e: first_child(e)["style"]),
    ("input label 46", in_label(label="x" * 46), lambda e: first_child(e)["label"]),
    ("placeholder 101", in_label(placeholder="x" * 101), lambda e: first_child(e)["placeholder"]),
    ("min length 4001", in_label(min_length=4001), lambda e: first_child(e)["min_length"]),
    ("min length -1", in_label(min_length=-1), lambda e: first_child(e)["min_length"]),
    ("max length 0", in_label(max_length=0), lambda e: first_child(e)["max_length"]),
    ("max length 4001", in_label(max_length=4001), lambda e: first_child(e)["max_length"]),
    ("value 4001", in_label(value="x" * 4001), lambda e: first_child(e)["value"]),
    (
        "row without a label",
        a_modal({"type": 1, "components": [text_input()]}),
        lambda e: e["data"]["components"]["0"]["components"]["0"]["label"],
    ),
    (
        "row of two inputs",
        a_modal(
            {"type": 1, "components": [text_input("a", label="A"), text_input("b", label="B")]}
        ),
        lambda e: e["data"]["components"]["0"]["components"],
    ),
    (
        "text display 4001",
        a_modal({"type": 10, "content": "x" * 4001}, label(text_input())),
        lambda e: e["data"]["components"]["0"]["content"],
    ),
    (
        "duplicate custom id",
        a_modal(label(text_input("same")), label(select("same"))),
        lambda e: e["data"]["components"]["1"]["component"]["custom_id"],
    ),
    ("select disabled", in_select(disabled=True), lambda e: first_child(e)["disabled"]),
    (
        "select placeholder 151",
        in_select(placeholder="x" * 151),
        lambda e: first_child(e)["placeholder"],
    ),
    ("select no options", in_select(options=[]), lambda e: first_child(e)["options"]),
    (
        "select 26 options",
        in_select(options=[{"label": f"o{n}", "value": f"o{n}"} for n in range(26)]),
        lambda e: first_child(e)["options"],
    ),
    (
        "option label 101",
        in_select(options=[{"label": "x" * 101, "value": "x"}]),
        lambda e: first_child(e)["options"]["0"]["label"],
    ),
    (
        "option value 101",
        in_select(options=[{"label": "x", "value": "x" * 101}]),
        lambda e: first_child(e)["options"]["0"]["value"],
    ),
    (
        "option description 101",
        in_select(options=[{"label": "x", "value": "x", "description": "x" * 101}]),
        lambda e: first_child(e)["options"]["0"]["description"],
    ),
    ("min values 26", in_select(min_values=26), lambda e: first_child(e)["min_values"]),
    ("required, min values 0", in_select(min_values=0), lambda e: first_child(e)["min_values"]),
    ("max values 26", in_select(max_values=26), lambda e: first_child(e)["max_values"]),
]


@pytest.mark.parametrize(("rule", "data", "where"), MODAL_BREAKS, ids=[c[0] for c in MODAL_BREAKS])
async def test_a_modal_that_breaks_a_rule_is_refused(
    bare: BareClient, rule: str, data: Body, where: Callable[[Any], Any]
) -> None:
    record = await bare.interaction()
    status, body = await bare.respond(record, {"type": 9, "data": data})
    assert (status, body["code"], body["message"]) == (400, 50035, "Invalid Form Body")
    assert where(body["errors"])["_errors"], body
    assert record.acknowledged_after is None  # a refused modal acknowledges nothing
    assert record.modal is None
    assert (await bare.respond(record, {"type": 9, "data": a_modal()}))[0] == 200


async def test_a_modal_at_the_limits_is_shown(bare: BareClient) -> None:
    record = await bare.interaction()
    options = [
        {"label": "x" * 100, "value": f"{n:0100d}", "description": "d" * 100} for n in range(25)
    ]
    modal = a_modal(
        {"type": 10, "content": "x" * 4000},
        label(
            text_input(
                "i" * 100,
                label="l" * 45,
                placeholder="p" * 100,
                min_length=0,
                max_length=4000,
                value="v" * 4000,
            ),
            text="t" * 45,
            description="d" * 100,
        ),
        label(
            select("s", options=options, placeholder="p" * 150, min_values=1, max_values=25),
            text="Days",
        ),
        label(select("optional", min_values=0, required=False), text="Optional"),
        {"type": 1, "components": [text_input("legacy", label="Old style")]},
        title="t" * 45,
        custom_id="c" * 100,
    )
    status, _ = await bare.respond(record, {"type": 9, "data": modal})
    assert status == 200
    assert record.modal == modal
    assert record.messages == []  # a modal is no message


async def test_a_modal_cannot_follow_a_defer_nor_come_late(bare: BareClient) -> None:
    deferred = await bare.interaction()
    assert (await bare.respond(deferred, {"type": 5, "data": {"flags": EPHEMERAL}}))[0] == 200
    assert await bare.respond(deferred, {"type": 9, "data": a_modal()}) == (
        400,
        {"message": "Interaction has already been acknowledged.", "code": 40060},
    )
    late = await bare.interaction()
    await asyncio.sleep(0.6)
    assert await bare.respond(late, {"type": 9, "data": a_modal()}) == (
        404,
        {"message": "Unknown interaction", "code": 10062},
    )
    assert deferred.modal is None
    assert late.modal is None


async def test_a_submitted_modal_comes_back_in_discords_shape(bare: BareClient) -> None:
    opened = await bare.interaction()
    assert (await bare.respond(opened, {"type": 9, "data": a_modal()}))[0] == 200
    assert opened.modal is not None
    modal = {
        **opened.modal,
        "components": [
            *opened.modal["components"][:2],
            label(select(options=[{"label": "Junior", "value": "junior", "default": True}])),
        ],
    }
    with pytest.raises(NotSubmittable):  # a required input left empty
        submission(modal, {}, PERSON, "sub-1")
    with pytest.raises(NotSubmittable):  # an option the select does not offer
        submission(modal, {"answer": "x", "level": ["mid"]}, PERSON, "sub-1")
    with pytest.raises(KeyError):
        submission(modal, {"answer": "x", "nothing": "y"}, PERSON, "sub-1")
    payload = submission(modal, {"answer": "It runs tasks."}, PERSON, "sub-1")
    assert payload["type"] == 5
    assert payload["data"] == {
        "custom_id": "form|answer|mini:q3",
        "components": [
            {"type": 10, "id": 1},
            {
                "type": 18,
                "id": 2,
                "component": {"type": 4, "id": 3, "custom_id": "answer", "value": "It runs tasks."},
            },
            {
                "type": 18,
                "id": 4,
                "component": {"type": 3, "id": 5, "custom_id": "level", "values": ["junior"]},
            },
        ],
    }
    submitted = await bare.standin.send_interaction(payload)
    status, _ = await bare.respond(submitted, {"type": 9, "data": a_modal()})
    assert status == 400  # a submission cannot open another modal
    assert (await bare.respond(submitted, message("Thanks", flags=EPHEMERAL)))[0] == 200
    assert [m["content"] for m in submitted.messages] == ["Thanks"]


async def test_the_bot_routes_need_the_bot_token(bare: BareClient) -> None:
    assert (await bare.call("GET", "/users/@me"))[0] == 200
    url = f"{bare.standin.api_url}/users/@me"
    async with bare.session.get(url, headers={"Authorization": "Bot wrong"}) as response:
        assert response.status == 401
        assert (await response.json())["message"] == "401: Unauthorized"


async def test_a_nonce_enforced_message_is_created_once_and_history_finds_it(
    bare: BareClient,
) -> None:
    """Create Message with `enforce_nonce`: the same nonce again returns the same message.
    Channel history lists messages newest first, with the thread started from one, never the
    nonce it was sent with."""
    path = f"/channels/{CHANNEL_ID}/messages"
    sent = {"content": "daily", "nonce": "qb7d260302", "enforce_nonce": True}
    first = (await bare.call("POST", path, sent))[1]
    again = (await bare.call("POST", path, sent))[1]
    assert again["id"] == first["id"]
    other = (await bare.call("POST", path, {"content": "other"}))[1]
    thread = f"/channels/{CHANNEL_ID}/messages/{first['id']}/threads"
    assert (await bare.call("POST", thread, {"name": "Discussion"}))[0] == 200
    twice = await bare.call("POST", thread, {"name": "Discussion"})
    assert (twice[0], twice[1]["code"]) == (400, 160004)
    status, listed = await bare.call("GET", f"{path}?after=0&limit=50")
    assert status == 200
    assert [m["id"] for m in listed] == [other["id"], first["id"]]
    assert listed[1]["thread"]["id"] == first["id"]
    assert all("nonce" not in m for m in listed)
    later = (await bare.call("GET", f"{path}?after={first['id']}"))[1]
    assert [m["id"] for m in later] == [other["id"]]


def subcommand(name: str, description: str, **more: Any) -> Body:
    return {"type": 1, "name": name, "description": description, **more}


async def test_commands_discord_would_refuse_are_not_synced(bare: BareClient) -> None:
    path = f"/applications/{APP_ID}/guilds/1/commands"
    choices = [{"name": f"c{n}", "value": f"c{n}"} for n in range(26)]
    group = {
        "type": 1,
        "name": "quiz",
        "description": "A quiz",
        "options": [
            subcommand("empty", ""),
            subcommand("long", "d" * 101),
            subcommand("Upper", "fine"),
            subcommand("spaced name", "fine"),
            subcommand(
                "many",
                "fine",
                options=[{"type": 3, "name": "x", "description": "x", "choices": choices}],
            ),
        ],
    }
    status, body = await bare.call("PUT", path, [group])
    assert (status, body["code"]) == (400, 50035)
    options = body["errors"]["0"]["options"]
    assert set(options) == {"0", "1", "2", "3", "4"}
    assert [sorted(options[str(n)]) for n in range(4)] == [
        ["description"],
        ["description"],
        ["name"],
        ["name"],
    ]
    assert "choices" in options["4"]["options"]["0"]
    assert bare.standin.synced == []

    option = {"type": 3, "name": "x", "description": "d" * 100}
    subcommands = [subcommand(f"s{n}", "d" * 100, options=[option]) for n in range(25)]
    huge = {**group, "options": subcommands}  # each part within its limit, 5,000+ in all
    status, body = await bare.call("PUT", path, [huge])
    assert (status, body["errors"]["0"]["_errors"][0]["code"]) == (
        400,
        "APPLICATION_COMMAND_TOO_LARGE",
    )

    fine = {**group, "options": [subcommand("help", "What this bot can do")]}
    status, synced = await bare.call("PUT", path, [fine])
    assert status == 200
    assert synced[0]["name"] == "quiz"
    assert [commands for _guild, commands in bare.standin.synced] == [[fine]]
