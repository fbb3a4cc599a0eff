"""A local stand-in for Discord: the REST routes discord.py uses and a JSON gateway.

Gateway: HELLO, then READY and GUILD_CREATE after IDENTIFY, heartbeat ACKs; tests push
INTERACTION_CREATE events. REST: records interaction callbacks, follow-ups, channel messages
and threads, and answers with the objects Discord would return.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.waiting import wait_until

APP_ID = "100000000000000001"
BOT_ID = "100000000000000002"
GUILD_ID = "200000000000000001"
CHANNEL_ID = "300000000000000001"
MANAGE_CHANNELS = 1 << 4
NOW = "2026-03-02T08:00:00.000000+00:00"

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


@dataclass
class DiscordStandIn:
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    channel_messages: list[dict[str, Any]] = field(default_factory=list)
    threads: list[dict[str, Any]] = field(default_factory=list)
    synced: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    identifies: int = 0
    port: int = 0
    _runner: web.AppRunner | None = None
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _ready: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(400000000000000001))
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> None:
        app = web.Application()
        api = "/api/v10"
        app.router.add_get(f"{api}/users/@me", self._me)
        app.router.add_get(f"{api}/oauth2/applications/@me", self._application)
        app.router.add_put(f"{api}/applications/{{app}}/commands", self._sync)
        app.router.add_put(f"{api}/applications/{{app}}/guilds/{{guild}}/commands", self._sync)
        app.router.add_post(f"{api}/interactions/{{id}}/{{token}}/callback", self._callback)
        app.router.add_post(f"{api}/webhooks/{{app}}/{{token}}", self._followup)
        app.router.add_post(f"{api}/channels/{{channel}}/messages", self._channel_message)
        app.router.add_post(
            f"{api}/channels/{{channel}}/messages/{{message}}/threads", self._thread
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

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

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

    # ---- gateway -------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45000}})
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            payload = message.json()
            if payload["op"] == 1:
                await socket.send_json({"op": 11})
            elif payload["op"] == 2:
                self.identifies += 1
                await self._dispatch(socket, "READY", self._ready_payload())
                await self._dispatch(socket, "GUILD_CREATE", self._guild())
                self._ready.set()
        return socket

    async def _dispatch(self, socket: web.WebSocketResponse, event: str, data: Any) -> None:
        await socket.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})

    async def send_interaction(self, interaction: dict[str, Any]) -> None:
        await asyncio.wait_for(self._ready.wait(), 10)
        await self._dispatch(self._sockets[-1], "INTERACTION_CREATE", interaction)

    def _ready_payload(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": GUILD_ID, "unavailable": True}],
            "session_id": "session-1",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": APP_ID, "flags": 0},
            "private_channels": [],
        }

    def _guild(self) -> dict[str, Any]:
        return {
            "id": GUILD_ID,
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
                    "id": GUILD_ID,
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
            "channels": [self._text_channel()],
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

    def _text_channel(self) -> dict[str, Any]:
        return {
            "id": CHANNEL_ID,
            "type": 0,
            "guild_id": GUILD_ID,
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
        self, body: dict[str, Any], channel_id: str, *, ephemeral: bool = False
    ) -> dict[str, Any]:
        return {
            "id": self.next_id(),
            "channel_id": channel_id,
            "guild_id": GUILD_ID,
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": NOW,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": 64 if ephemeral else 0,
        }

    async def _callback(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        data = body.get("data") or {}
        ephemeral = bool((data.get("flags") or 0) & 64)
        message = self.message(data, CHANNEL_ID, ephemeral=ephemeral)
        self.callbacks.append({**body, "message": message})
        return json_response(
            {
                "interaction": {
                    "id": request.match_info["id"],
                    "type": 2,
                    "response_message_id": message["id"],
                    "response_message_ephemeral": ephemeral,
                },
                "resource": {"type": body["type"], "message": message},
            }
        )

    async def _body(self, request: web.Request) -> dict[str, Any]:
        """JSON, or multipart with payload_json plus files[n] when a file is attached."""
        if request.content_type != "multipart/form-data":
            return dict(await request.json())
        form = await request.post()
        for key, value in form.items():
            if key.startswith("files[") and hasattr(value, "file"):
                self.files.append((value.filename, value.file.read()))
        return dict(json.loads(str(form["payload_json"])))

    async def _followup(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.followups.append(body)
        return json_response(self.message(body, CHANNEL_ID))

    async def _channel_message(self, request: web.Request) -> web.Response:
        body = await request.json()
        message = self.message(body, request.match_info["channel"])
        self.channel_messages.append(message)
        return json_response(message)

    async def _thread(self, request: web.Request) -> web.Response:
        body = await request.json()
        thread = {
            "id": request.match_info["message"],
            "type": 11,
            "guild_id": GUILD_ID,
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
        if wanted == CHANNEL_ID:
            return json_response(self._text_channel())
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
        "id": str(500000000000000000 + abs(hash(token)) % 10**12),
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
        "attachment_size_limit": 8388608,
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
