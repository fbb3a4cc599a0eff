"""A local stand-in for Discord: the REST routes discord.py uses and a JSON gateway.

Gateway: HELLO, then READY and GUILD_CREATE after IDENTIFY, heartbeat ACKs; sessions may be
shards, under Discord's sharding rules (sharding.py: which shard a guild's events go to, invalid
shards, sharding required, identify concurrency, GET /gateway/bot). Tests push
INTERACTION_CREATE events, each on the session of its guild's shard, modal submissions included
(modal_client.py fills in a modal the bot showed as Discord's client would).
REST: interaction callbacks, follow-ups and edits of the original response under Discord's
rules (lifecycle.py: 3 s to acknowledge, once, then 15 minutes), channel messages and threads;
every message body and modal is held to Discord's limits (limits.py).
Answers are the objects, and the errors, Discord would return.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import json
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from aiohttp import WSMsgType, web

from tests.adapters.discord import limits, sharding
from tests.adapters.discord.lifecycle import (
    ACK_DEADLINE_SECONDS,
    CHOICES,
    DEFERRED_MESSAGE,
    DEFERRED_UPDATE,
    EPHEMERAL,
    LOADING,
    MESSAGE,
    MODAL,
    TOKEN_LIFETIME_SECONDS,
    TOO_LARGE,
    UNKNOWN_INTERACTION,
    UNKNOWN_WEBHOOK,
    UPDATE,
    InteractionRecord,
    Refusal,
)
from tests.adapters.discord.sharding import GatewayClose, SessionStarts, Shard
from tests.waiting import wait_until

T = TypeVar("T")

APP_ID = "100000000000000001"
BOT_ID = "100000000000000002"
GUILD_ID = "200000000000000001"
CHANNEL_ID = "300000000000000001"
MANAGE_CHANNELS = 1 << 4
NOW = "2026-03-02T08:00:00.000000+00:00"
DISCORD_EPOCH_MS = 1420070400000
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024  # what a free server allows; sent with each interaction
CHANNEL_ATTACHMENT_LIMIT = ATTACHMENT_SIZE_LIMIT
_increments = itertools.count()
# enforce_nonce: "checked for uniqueness in the past few minutes" (Discord's Create Message).
NONCE_WINDOW = 120.0

BOT_USER = {
    "id": BOT_ID,
    "username": "quizbot",
    "discriminator": "0",
    "global_name": "Quizbot",
    "avatar": None,
    "bot": True,
    "flags": 0,
    "public_flags": 0,
}


def json_response(body: Any, status: int = 200) -> web.Response:
    """discord.py parses JSON only when the type is exactly application/json, with no charset."""
    return web.Response(
        body=json.dumps(body).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def user(user_id: str, name: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "discriminator": "0",
        "global_name": name.title(),
        "avatar": None,
        "public_flags": 0,
    }


class Upload(NamedTuple):
    filename: str
    data: bytes


@dataclass
class Session:
    """One identified gateway connection."""

    socket: web.WebSocketResponse
    shard: Shard
    session_id: str
    ready: bool = False  # READY and the GUILD_CREATEs are sent: events may follow


def snowflake() -> str:
    """An id that carries its creation time, as Discord's do (discord.py reads `created_at`)."""
    milliseconds = time.time_ns() // 1_000_000 - DISCORD_EPOCH_MS
    return str((milliseconds << 22) | (next(_increments) % 4096))


@dataclass
class DiscordStandIn:
    """Runs on a thread and event loop of its own, so its clock (dispatch, 3 s deadline) is
    not held up by whatever the bot under test does on the test's loop."""

    ack_deadline: float = ACK_DEADLINE_SECONDS
    token_lifetime: float = TOKEN_LIFETIME_SECONDS
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    channel_messages: list[dict[str, Any]] = field(default_factory=list)
    threads: list[dict[str, Any]] = field(default_factory=list)
    synced: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    interactions: dict[str, InteractionRecord] = field(default_factory=dict)
    refusals: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    identifies: int = 0  # sessions started
    # guild id -> its text channels (sent in GUILD_CREATE); a channel only in `text_channels`
    # belongs to GUILD_ID but is not sent
    guilds: dict[str, list[str]] = field(default_factory=lambda: {GUILD_ID: [CHANNEL_ID]})
    max_concurrency: int = 1
    identify_window: float = sharding.IDENTIFY_WINDOW_SECONDS
    max_guilds_per_session: int = sharding.MAX_GUILDS_PER_SESSION
    assigned_shard_multiple: int = 1  # large bot sharding: the count must be a multiple of it
    shards_started: list[Shard] = field(default_factory=list)
    invalid_sessions: int = 0  # op 9 sent for identifying too fast
    closes: list[int] = field(default_factory=list)  # close codes sent
    delivered_on: dict[str, Shard] = field(default_factory=dict)  # interaction id -> shard
    session_wait: float = 10.0  # how long an interaction waits for its shard's session
    port: int = 0
    bot_token: str = "discord-test-token"
    gateway_down: bool = False
    text_channels: set[str] = field(default_factory=lambda: {CHANNEL_ID})
    direct_channels: set[str] = field(default_factory=set)
    post_delay: float = 0.0  # channel messages are answered this late, after being kept
    drop_after_post_next: int = 0  # keep a channel message, then drop the connection
    by_channel: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    nonces: dict[tuple[str, str], tuple[float, dict[str, Any]]] = field(default_factory=dict)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _sessions: list[Session] = field(default_factory=list)
    _starts: SessionStarts | None = None
    _by_token: dict[str, InteractionRecord] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(400000000000000001))
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> None:
        started: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(
            target=self._serve, args=(started,), name="discord-standin", daemon=True
        )
        self._thread.start()
        await asyncio.wrap_future(started)

    async def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join)

    def _serve(self, started: concurrent.futures.Future[None]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._open())
        except BaseException as exc:  # reported to start(), which raises it in the test
            started.set_exception(exc)
            loop.close()
            return
        started.set_result(None)
        loop.run_forever()
        loop.run_until_complete(self._close())
        loop.close()

    async def _open(self) -> None:
        self._starts = SessionStarts(self.max_concurrency, self.identify_window)
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[self._authorization])
        api = "/api/v10"
        app.router.add_get(f"{api}/gateway", self._get_gateway)
        app.router.add_get(f"{api}/gateway/bot", self._get_gateway_bot)
        app.router.add_get(f"{api}/users/@me", self._me)
        app.router.add_get(f"{api}/oauth2/applications/@me", self._application)
        app.router.add_put(f"{api}/applications/{{app}}/commands", self._sync)
        app.router.add_put(f"{api}/applications/{{app}}/guilds/{{guild}}/commands", self._sync)
        app.router.add_post(f"{api}/interactions/{{id}}/{{token}}/callback", self._callback)
        app.router.add_post(f"{api}/webhooks/{{app}}/{{token}}", self._followup)
        message = f"{api}/webhooks/{{app}}/{{token}}/messages/{{message}}"
        app.router.add_get(message, self._get_webhook_message)
        app.router.add_patch(message, self._edit_webhook_message)
        app.router.add_delete(message, self._delete_webhook_message)
        app.router.add_post(f"{api}/channels/{{channel}}/messages", self._channel_message)
        app.router.add_get(f"{api}/channels/{{channel}}/messages", self._channel_history)
        app.router.add_post(
            f"{api}/channels/{{channel}}/messages/{{message}}/threads", self._thread_create
        )
        app.router.add_get(f"{api}/channels/{{channel}}", self._get_channel)
        app.router.add_get(f"{api}/users/{{user}}", self._get_user)
        app.router.add_post(f"{api}/users/@me/channels", self._open_dm)
        app.router.add_get("/gateway", self._gateway)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _close(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _on_own_loop(self, work: Coroutine[Any, Any, T]) -> T:
        assert self._loop is not None, "start() the stand-in first"
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self._loop))

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def next_id(self) -> str:
        return str(next(self._ids))

    async def wait_for(self, condition: Callable[[], bool], seconds: float = 10) -> None:
        await wait_until(condition, seconds, "the expected call to Discord")

    def acknowledgement_seconds(self) -> list[float]:
        """Dispatch to initial response, for every interaction that got one in time."""
        return [
            r.acknowledged_after
            for r in list(self.interactions.values())
            if r.acknowledged_after is not None
        ]

    # ---- gateway -------------------------------------------------------------------------

    def add_guild(self, guild_id: str, *channel_ids: str) -> None:
        """Another server the bot is in, with its text channels."""
        self.guilds.setdefault(guild_id, []).extend(channel_ids)
        self.text_channels |= set(channel_ids)

    def guild_of(self, channel_id: str) -> str:
        for guild_id, channels in self.guilds.items():
            if channel_id in channels:
                return guild_id
        return GUILD_ID

    def sessions(self) -> list[Shard]:
        """The shards of the sessions open now, in the order they started."""
        return [session.shard for session in self._sessions]

    async def drop_gateway(self) -> None:
        """Discord going away: open sessions are closed and new ones refused (until `restore`)."""
        await self._on_own_loop(self._drop_gateway())

    async def _drop_gateway(self) -> None:
        self.gateway_down = True
        for socket in list(self._sockets):
            await socket.close(code=1001)

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.gateway_down:
            return web.Response(status=503, text="upstream unavailable")
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45000}})
        try:
            async for message in socket:
                if message.type != WSMsgType.TEXT:
                    continue
                payload = message.json()
                if payload["op"] == 1:
                    await socket.send_json({"op": 11})
                elif payload["op"] == 2:
                    await self._identify(socket, payload["d"])
        finally:
            self._sessions = [s for s in self._sessions if s.socket is not socket]
        return socket

    async def _identify(self, socket: web.WebSocketResponse, identify: dict[str, Any]) -> None:
        """Start a session for the shard asked for, or refuse it as Discord would."""
        assert self._starts is not None
        try:
            shard = sharding.read_shard(identify, self.assigned_shard_multiple)
            held = [g for g in self.guilds if shard.serves(g)]
            sharding.check_guild_count(len(held), self.max_guilds_per_session)
        except GatewayClose as refused:
            self.closes.append(refused.code)
            await socket.close(code=refused.code, message=refused.reason.encode())
            return
        if not self._starts.admit(shard, time.monotonic()):
            self.invalid_sessions += 1
            await socket.send_json({"op": sharding.INVALID_SESSION, "d": False})
            return
        self.identifies += 1
        self.shards_started.append(shard)
        session = Session(socket, shard, f"session-{self.identifies}")
        self._sessions.append(session)
        await self._dispatch(socket, "READY", self._ready_payload(session, held, identify))
        for guild_id in held:
            await self._dispatch(socket, "GUILD_CREATE", self._guild(guild_id))
        session.ready = True

    async def _dispatch(self, socket: web.WebSocketResponse, event: str, data: Any) -> None:
        await socket.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})

    async def send_interaction(self, interaction: dict[str, Any]) -> InteractionRecord:
        (record,) = await self.send_interactions([interaction])
        return record

    async def send_interactions(
        self, interactions: list[dict[str, Any]]
    ) -> list[InteractionRecord]:
        """Dispatched together: each one's 3 s start from the moment the first is written."""
        return await self._on_own_loop(self._send_interactions(interactions))

    async def _send_interactions(
        self, interactions: list[dict[str, Any]]
    ) -> list[InteractionRecord]:
        sessions = [await self._session_for(i.get("guild_id")) for i in interactions]
        now = time.monotonic()
        records = [self._register(interaction, now) for interaction in interactions]
        for interaction, session in zip(interactions, sessions, strict=True):
            self.delivered_on[interaction["id"]] = session.shard
            await self._dispatch(session.socket, "INTERACTION_CREATE", interaction)
        return records

    async def _session_for(self, guild_id: str | None) -> Session:
        """The newest session whose shard receives this guild's events (a DM's: shard 0),
        waited for while the bot connects."""
        deadline = time.monotonic() + self.session_wait
        while True:
            for session in reversed(self._sessions):
                if session.ready and session.shard.serves(guild_id) and not session.socket.closed:
                    return session
            if time.monotonic() > deadline:
                raise AssertionError(f"no gateway session receives guild {guild_id}'s events")
            await asyncio.sleep(0.02)

    def _register(self, interaction: dict[str, Any], now: float) -> InteractionRecord:
        record = InteractionRecord(
            id=interaction["id"],
            token=interaction["token"],
            kind=interaction["type"],
            dispatched_at=now,
            attachment_size_limit=interaction["attachment_size_limit"],
            source_message=interaction.get("message"),
        )
        self.interactions[record.id] = record
        self._by_token[record.token] = record
        return record

    def _ready_payload(
        self, session: Session, guilds: list[str], identify: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": guild_id, "unavailable": True} for guild_id in guilds],
            "session_id": session.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": APP_ID, "flags": 0},
            "private_channels": [],
            **({"shard": session.shard.pair} if "shard" in identify else {}),
        }

    def _guild(self, guild_id: str = GUILD_ID) -> dict[str, Any]:
        return {
            "id": guild_id,
            "name": "Study group",
            "icon": None,
            "owner_id": "1",
            "unavailable": False,
            "member_count": 3,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": guild_id,
                    "name": "@everyone",
                    "permissions": "0",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [self._text_channel(c) for c in self.guilds.get(guild_id, [])],
            "threads": [],
            "members": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "system_channel_flags": 0,
            "joined_at": NOW,
        }

    def _text_channel(self, channel_id: str = CHANNEL_ID) -> dict[str, Any]:
        return {
            "id": channel_id,
            "type": 0,
            "guild_id": self.guild_of(channel_id),
            "name": "study",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "rate_limit_per_user": 0,
            "topic": None,
            "last_message_id": None,
            "flags": 0,
        }

    # ---- REST ----------------------------------------------------------------------------

    @web.middleware
    async def _authorization(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """The bot's own routes need `Authorization: Bot <token>`; interaction callbacks and
        webhooks are authorised by the token in their path instead, and GET /gateway is open."""
        bot_route = not request.path.startswith(("/api/v10/interactions", "/api/v10/webhooks"))
        bot_route = bot_route and request.path != "/api/v10/gateway"
        authorised = request.headers.get("Authorization") == f"Bot {self.bot_token}"
        if request.path.startswith("/api/") and bot_route and not authorised:
            return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        response: web.StreamResponse = await handler(request)
        return response

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        assert self._starts is not None
        return json_response(
            {
                "url": self.gateway_url,
                "shards": sharding.recommended_shards(len(self.guilds)),
                "session_start_limit": self._starts.limit(time.monotonic()),
            }
        )

    async def _me(self, request: web.Request) -> web.Response:
        return json_response(BOT_USER)

    async def _application(self, request: web.Request) -> web.Response:
        return json_response(
            {
                "id": APP_ID,
                "name": "Quizbot",
                "icon": None,
                "description": "",
                "summary": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "00",
                "owner": user("1", "owner"),
                "team": None,
                "flags": 0,
                "rpc_origins": [],
                "bot": BOT_USER,
            }
        )

    async def _sync(self, request: web.Request) -> web.Response:
        commands = await request.json()
        guild = request.match_info.get("guild", "")
        errors = {str(i): e for i, c in enumerate(commands) if (e := limits.command_errors(c))}
        if errors:
            refused = Refusal(400, limits.invalid_form_body(errors))
            return self._refuse(request, refused)
        self.synced.append((guild, commands))
        answered = [
            {
                "id": self.next_id(),
                "application_id": APP_ID,
                "version": "1",
                "type": 1,
                "default_member_permissions": None,
                "dm_permission": True,
                "nsfw": False,
                **({"guild_id": guild} if guild else {}),
                **command,
            }
            for command in commands
        ]
        return json_response(answered)

    def message(
        self,
        body: dict[str, Any],
        channel_id: str,
        *,
        flags: int = 0,
        files: list[Upload] | None = None,
    ) -> dict[str, Any]:
        return {
            "id": self.next_id(),
            "channel_id": channel_id,
            "guild_id": self.guild_of(channel_id),
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": NOW,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [self._attachment(upload) for upload in files or []],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": flags,
        }

    def _attachment(self, upload: Upload) -> dict[str, Any]:
        attachment_id = self.next_id()
        url = f"http://127.0.0.1:{self.port}/attachments/{attachment_id}/{upload.filename}"
        return {
            "id": attachment_id,
            "filename": upload.filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url,
        }

    def _edit(self, message: dict[str, Any], body: dict[str, Any], files: list[Upload]) -> None:
        """Edit in place: what the body names is replaced; visibility never changes."""
        if "content" in body:
            message["content"] = body["content"] or ""
        for key in ("embeds", "components"):
            if key in body:
                message[key] = body[key] or []
        if "attachments" in body or files:
            kept_ids = {str(a.get("id")) for a in body.get("attachments") or []}
            kept = [a for a in message["attachments"] if a["id"] in kept_ids]
            message["attachments"] = kept + [self._attachment(upload) for upload in files]
        message["flags"] &= ~LOADING
        message["edited_timestamp"] = NOW

    def _refuse(self, request: web.Request, refusal: Refusal) -> web.Response:
        self.refusals.append((f"{request.method} {request.path}", refusal.status, refusal.body))
        return json_response(refusal.body, status=refusal.status)

    async def _callback(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        record = self.interactions.get(request.match_info["id"])
        try:
            if record is None or record.token != request.match_info["token"]:
                raise Refusal(404, UNKNOWN_INTERACTION)
            body, uploads = await self._body(request)
            response_type = int(body.get("type") or 0)
            record.acknowledge(arrived, response_type, self.ack_deadline)
            data = body.get("data") or {}
            self._check_response_data(response_type, data, uploads, record)
        except Refusal as refusal:
            return self._refuse(request, refusal)
        record.record_acknowledgement(arrived, response_type)
        message = self._respond(record, response_type, data, uploads)
        self.files += [(upload.filename, upload.data) for upload in uploads]
        self.callbacks.append({**body, "message": message})
        if "with_response" not in request.query:
            return web.Response(status=204)
        return json_response(
            {
                "interaction": {
                    "id": record.id,
                    "type": record.kind,
                    "response_message_id": message["id"] if message else None,
                    "response_message_loading": response_type == DEFERRED_MESSAGE,
                    "response_message_ephemeral": bool(message and message["flags"] & EPHEMERAL),
                },
                "resource": {"type": response_type, **({"message": message} if message else {})},
            }
        )

    def _check_response_data(
        self,
        response_type: int,
        data: dict[str, Any],
        uploads: list[Upload],
        record: InteractionRecord,
    ) -> None:
        if response_type in (MESSAGE, UPDATE):
            self._check_message(data, uploads, record.attachment_size_limit)
            if response_type == MESSAGE and limits.is_empty(data, len(uploads)):
                raise Refusal(400, limits.empty_message())
        elif response_type == CHOICES:
            errors = limits.autocomplete_errors(data)
            if errors:
                raise Refusal(400, limits.invalid_form_body(errors))
        elif response_type == MODAL:
            errors = limits.modal_errors(data)
            if errors:
                raise Refusal(400, limits.invalid_form_body(errors))

    def _check_message(self, body: dict[str, Any], uploads: list[Upload], size_limit: int) -> None:
        if any(len(upload.data) > size_limit for upload in uploads):
            raise Refusal(413, TOO_LARGE)
        errors = limits.message_errors(body)
        if errors:
            raise Refusal(400, limits.invalid_form_body(errors))

    def _respond(
        self,
        record: InteractionRecord,
        response_type: int,
        data: dict[str, Any],
        uploads: list[Upload],
    ) -> dict[str, Any] | None:
        ephemeral = (data.get("flags") or 0) & EPHEMERAL
        if response_type == MESSAGE:
            record.original = self.message(data, CHANNEL_ID, flags=ephemeral, files=uploads)
        elif response_type == DEFERRED_MESSAGE:
            record.original = self.message({}, CHANNEL_ID, flags=ephemeral | LOADING)
        elif response_type == MODAL:
            record.modal = data
        elif response_type in (DEFERRED_UPDATE, UPDATE) and record.source_message is not None:
            record.original = record.source_message
            if response_type == UPDATE:
                self._edit(record.original, data, uploads)
        return record.original

    async def _body(self, request: web.Request) -> tuple[dict[str, Any], list[Upload]]:
        """JSON, or multipart with payload_json plus files[n] when a file is attached."""
        if request.content_type != "multipart/form-data":
            return dict(await request.json()), []
        form = await request.post()
        uploads = [
            Upload(value.filename, value.file.read())
            for key, value in form.items()
            if key.startswith("files[") and isinstance(value, web.FileField)
        ]
        payload = form["payload_json"]
        if isinstance(payload, web.FileField):
            payload = payload.file.read()
        if isinstance(payload, bytes | bytearray):
            payload = payload.decode()
        return dict(json.loads(payload)), uploads

    def _webhook_record(self, request: web.Request) -> InteractionRecord:
        record = self._by_token.get(request.match_info["token"])
        if request.match_info["app"] != APP_ID or record is None:
            raise Refusal(404, UNKNOWN_WEBHOOK)
        record.check_token(time.monotonic(), self.token_lifetime)
        return record

    async def _followup(self, request: web.Request) -> web.Response:
        try:
            record = self._webhook_record(request)
            body, uploads = await self._body(request)
            self._check_message(body, uploads, record.attachment_size_limit)
            if limits.is_empty(body, len(uploads)):
                raise Refusal(400, limits.empty_message())
        except Refusal as refusal:
            return self._refuse(request, refusal)
        self.files += [(upload.filename, upload.data) for upload in uploads]
        if record.thinking:
            assert record.original is not None
            self._edit(record.original, body, uploads)
            return json_response(record.original)
        message = self.message(
            body, CHANNEL_ID, flags=(body.get("flags") or 0) & EPHEMERAL, files=uploads
        )
        record.followups.append(message)
        self.followups.append(message)
        return json_response(message)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        try:
            message = self._webhook_record(request).message(request.match_info["message"])
        except Refusal as refusal:
            return self._refuse(request, refusal)
        return json_response(message)

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        try:
            record = self._webhook_record(request)
            message = record.message(request.match_info["message"])
            body, uploads = await self._body(request)
            self._check_message(body, uploads, record.attachment_size_limit)
        except Refusal as refusal:
            return self._refuse(request, refusal)
        self.files += [(upload.filename, upload.data) for upload in uploads]
        self._edit(message, body, uploads)
        return json_response(message)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        try:
            record = self._webhook_record(request)
            message = record.message(request.match_info["message"])
        except Refusal as refusal:
            return self._refuse(request, refusal)
        if message is record.original:
            record.original_deleted = True
        else:
            message["deleted"] = True
        return web.Response(status=204)

    async def _channel_message(self, request: web.Request) -> web.Response:
        try:
            body, uploads = await self._body(request)
            self._check_message(body, uploads, CHANNEL_ATTACHMENT_LIMIT)
            if limits.is_empty(body, len(uploads)):
                raise Refusal(400, limits.empty_message())
        except Refusal as refusal:
            return self._refuse(request, refusal)
        channel = request.match_info["channel"]
        if not self._can_hold_messages(channel):
            return json_response({"message": "Unknown Channel", "code": 10003}, status=404)
        nonce = body.get("nonce")
        seen = self.nonces.get((channel, str(nonce))) if nonce is not None else None
        if body.get("enforce_nonce") and seen and time.monotonic() - seen[0] < NONCE_WINDOW:
            return json_response(seen[1])  # created once: the same message again
        message = self.message(body, channel, files=uploads)
        message["id"] = snowflake()
        if nonce is not None:
            message["nonce"] = nonce
            self.nonces[(channel, str(nonce))] = (time.monotonic(), message)
        self.channel_messages.append(message)
        self.by_channel.setdefault(channel, []).append(message)
        if self.drop_after_post_next:
            self.drop_after_post_next -= 1
            assert request.transport is not None
            request.transport.abort()  # kept; the answer never arrives
            return web.Response(status=204)
        await asyncio.sleep(self.post_delay)
        return json_response(message)

    def _can_hold_messages(self, channel: str) -> bool:
        return (
            channel in self.text_channels
            or channel in self.direct_channels
            or any(t["id"] == channel for t in self.threads)
        )

    async def _channel_history(self, request: web.Request) -> web.Response:
        """Newest first, at most `limit` (≤ 100), after/before a snowflake. Discord returns a
        message's `thread` but not the `nonce` it was sent with."""
        channel = request.match_info["channel"]
        if not self._can_hold_messages(channel):
            return json_response({"message": "Unknown Channel", "code": 10003}, status=404)
        after = int(request.query.get("after") or 0)
        before = int(request.query.get("before") or 2**63)
        limit = min(int(request.query.get("limit") or 50), 100)
        found = [m for m in self.by_channel.get(channel, []) if after < int(m["id"]) < before]
        found.sort(key=lambda m: int(m["id"]), reverse=True)
        # After a mark: the oldest `limit` past it (still newest first); else the newest.
        found = found[-limit:] if "after" in request.query else found[:limit]
        threads = {t["id"]: t for t in self.threads}
        shown = []
        for message in found:
            copy = {k: v for k, v in message.items() if k != "nonce"}
            if message["id"] in threads:
                copy["thread"] = threads[message["id"]]
            shown.append(copy)
        return json_response(shown)

    async def _thread_create(self, request: web.Request) -> web.Response:
        body = await request.json()
        errors = limits.thread_errors(body)
        if errors:
            return self._refuse(request, Refusal(400, limits.invalid_form_body(errors)))
        if any(t["id"] == request.match_info["message"] for t in self.threads):
            return json_response(
                {"message": "A thread has already been created for this message", "code": 160004},
                status=400,
            )
        thread = {
            "id": request.match_info["message"],
            "type": 11,
            "guild_id": self.guild_of(request.match_info["channel"]),
            "parent_id": request.match_info["channel"],
            "name": body["name"],
            "owner_id": BOT_ID,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": NOW,
                "locked": False,
            },
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
        }
        self.threads.append(thread)
        return json_response(thread)

    async def _get_user(self, request: web.Request) -> web.Response:
        return json_response(user(request.match_info["user"], "someone"))

    async def _open_dm(self, request: web.Request) -> web.Response:
        recipient = (await request.json())["recipient_id"]
        self.direct_channels.add(f"9{recipient}"[:18])
        return json_response(
            {
                "id": f"9{recipient}"[:18],
                "type": 1,
                "last_message_id": None,
                "recipients": [user(str(recipient), "someone")],
            }
        )

    async def _get_channel(self, request: web.Request) -> web.Response:
        wanted = request.match_info["channel"]
        for thread in self.threads:
            if thread["id"] == wanted:
                return json_response(thread)
        if wanted in self.text_channels:
            return json_response(self._text_channel(wanted))
        return json_response({"message": "Unknown Channel", "code": 10003}, status=404)


def member(user_id: str, name: str, *, manage_channels: bool = False) -> dict[str, Any]:
    return {
        "user": user(user_id, name),
        "roles": [],
        "joined_at": NOW,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "nick": None,
        "avatar": None,
        "pending": False,
        "permissions": str(MANAGE_CHANNELS if manage_channels else 0),
    }


def interaction_base(
    kind: int, who: dict[str, Any], data: dict[str, Any], token: str
) -> dict[str, Any]:
    return {
        "id": snowflake(),
        "application_id": APP_ID,
        "type": kind,
        "token": token,
        "version": 1,
        "guild_id": GUILD_ID,
        "channel_id": CHANNEL_ID,
        "channel": {
            "id": CHANNEL_ID,
            "type": 0,
            "guild_id": GUILD_ID,
            "name": "study",
            "permissions": "0",
        },
        "member": who,
        "data": data,
        "locale": "en-US",
        "guild_locale": "en-US",
        "app_permissions": "0",
        "entitlements": [],
        "authorizing_integration_owners": {},
        "context": 0,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }


def slash(group: str, sub: str, who: dict[str, Any], token: str, **options: Any) -> dict[str, Any]:
    types = {str: 3, int: 4}
    inner = [{"name": k, "type": types[type(v)], "value": v} for k, v in options.items()]
    data = {
        "id": "600000000000000001",
        "name": group,
        "type": 1,
        "options": [{"name": sub, "type": 1, "options": inner}],
    }
    return interaction_base(2, who, data, token)


def autocomplete(
    group: str, sub: str, option: str, typed: str, who: dict[str, Any], token: str
) -> dict[str, Any]:
    data = {
        "id": "600000000000000001",
        "name": group,
        "type": 1,
        "options": [
            {
                "name": sub,
                "type": 1,
                "options": [
                    {
                        "name": option,
                        "type": 4 if option == "number" else 3,
                        "value": typed,
                        "focused": True,
                    }
                ],
            }
        ],
    }
    return interaction_base(4, who, data, token)


def click(
    custom_id: str, message: dict[str, Any], who: dict[str, Any], token: str
) -> dict[str, Any]:
    data = {"custom_id": custom_id, "component_type": 2}
    payload = interaction_base(3, who, data, token)
    payload["message"] = message
    return payload


def in_guild(payload: dict[str, Any], guild_id: str, channel_id: str) -> dict[str, Any]:
    """The same interaction, from a channel of another server."""
    channel = {**payload["channel"], "id": channel_id, "guild_id": guild_id}
    return {**payload, "guild_id": guild_id, "channel_id": channel_id, "channel": channel}


def in_direct_message(payload: dict[str, Any], channel_id: str) -> dict[str, Any]:
    """The same interaction from a DM: no guild, the person as `user` rather than `member`."""
    moved = {k: v for k, v in payload.items() if k not in ("guild_id", "member", "guild_locale")}
    channel = {"id": channel_id, "type": 1, "recipients": [payload["member"]["user"]]}
    return {
        **moved,
        "channel_id": channel_id,
        "channel": channel,
        "user": payload["member"]["user"],
        "context": 1,
    }
