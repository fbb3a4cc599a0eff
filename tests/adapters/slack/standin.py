"""A local stand-in for Slack: Web API methods, response_url, and a Socket Mode websocket.

It records what Quizbot sends, so tests can assert on what a user would see, and it refuses what
real Slack refuses (see `slack_rules`): a method whose scope the install lacks (`missing_scope`),
blocks that slack_sdk's own models reject (`invalid_blocks`; HTTP 400 on a response_url), a post
in a channel the bot may not post in, an unknown method. It serves several workspaces, each
with its own bot token, and records which token each call used (see `standin_teams`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import WSMsgType, web

from adapters.slack.manifest import manifest
from tests.adapters.slack.home_rules import home_view_problems
from tests.adapters.slack.slack_rules import (
    HISTORY_SCOPES,
    MESSAGE_METHODS,
    METHOD_SCOPES,
    POST_ANYWHERE,
    VIEW_METHODS,
    block_problems,
    channel_kind,
    message_error,
    options_response_problems,
    submission_ack_problems,
)
from tests.adapters.slack.standin_teams import DEFAULT_TEAM, SlackTeams
from tests.adapters.slack.standin_views import ViewsDesk
from tests.waiting import wait_until

# What a workspace grants when it installs the app from our generated manifest.
MANIFEST_SCOPES = frozenset(manifest([])["oauth_config"]["scopes"]["bot"])
# The events Slack sends the app (only those its manifest subscribes), and its Home tab.
MANIFEST_EVENTS = frozenset(
    manifest([])["settings"].get("event_subscriptions", {}).get("bot_events", [])
)
MANIFEST_HOME_TAB = bool(manifest([])["features"]["app_home"]["home_tab_enabled"])
HOME_METHODS = frozenset({"views.publish", "files.delete"})
# What installs made from the manifest before issue 12 were granted.
PRE_ISSUE_12_SCOPES = frozenset({"commands", "chat:write", "chat:write.public", "users:read"})
RESPOND = "response_url"  # put in `hang` to make response_url posts never answer


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str = ""  # the bearer token it was sent with


@dataclass
class Refusal:
    method: str
    error: str
    detail: dict[str, Any]


class EventNotSubscribed(Exception):
    """Slack never sends an app an event type its manifest does not subscribe."""


@dataclass
class SlackStandIn(SlackTeams):
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    scopes: frozenset[str] = MANIFEST_SCOPES
    members_of: set[str] = field(default_factory=set)  # channels the bot was invited to
    private_channels: set[str] = field(default_factory=set)
    hang: set[str] = field(default_factory=set)  # methods (or RESPOND) that never answer
    calls: list[Call] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    refused_responses: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by channel
    rate_limit_next: int = 0
    fail_next: int = 0
    bot_token: str = "xoxb-test"
    app_token: str = "xapp-test"
    post_delay: float = 0.0  # chat.postMessage answers this late, after keeping the message
    drop_after_post_next: int = 0  # keep the message, then drop the connection unanswered
    socket_url: str | None = None  # what apps.connections.open hands out (default: ours)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    views: ViewsDesk = field(default_factory=ViewsDesk)  # trigger ids and modals
    ephemerals: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by channel
    # App Home: what the app subscribed to and enabled, the views it published (by user), the
    # files that exist in the workspace (uploaded, completed, not deleted).
    bot_events: frozenset[str] = MANIFEST_EVENTS
    home_tab_enabled: bool = MANIFEST_HOME_TAB
    homes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    deleted_files: list[str] = field(default_factory=list)
    _dms: set[str] = field(default_factory=set)
    _runner: web.AppRunner | None = None
    _socket: web.WebSocketResponse | None = None
    _socket_ready: asyncio.Event = field(default_factory=asyncio.Event)
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0
    _last_ts: float = 0.0

    def __post_init__(self) -> None:
        self.token_teams.setdefault(self.bot_token, DEFAULT_TEAM)

    def tokens_used(self, method: str) -> list[str]:
        """The token each call of `method` was sent with, in order."""
        return [c.token for c in self.calls if c.method == method]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{token}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._websocket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._released.set()
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, token: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{token}"

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def refused(self, method: str) -> list[Refusal]:
        return [r for r in self.refusals if r.method == method]

    async def wait_for(self, condition: Callable[[], bool], seconds: float = 10) -> None:
        await wait_until(condition, seconds, "the expected call to Slack")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.body_exists:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        token = token or str(args.get("token", ""))
        self.calls.append(Call(method, args, token))
        if method in self.hang:
            await self._released.wait()
            return web.Response(status=503)
        refusal = self._refusal(method, args, token)
        if refusal is None and method == "chat.postMessage" and self.rate_limit_next:
            self.rate_limit_next -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        if refusal is None and method == "chat.postMessage" and self.fail_next:
            self.fail_next -= 1
            refusal = {"ok": False, "error": "channel_not_found"}
        headers = {
            "X-OAuth-Scopes": ",".join(sorted(self.scopes)),
            "X-Accepted-OAuth-Scopes": ",".join(self._needed(method, args)),
        }
        if refusal is not None:
            detail = {k: v for k, v in refusal.items() if k not in ("ok", "error")}
            self.refusals.append(Refusal(method, refusal["error"], detail))
            return web.json_response(refusal, headers=headers)
        answer = self._answer(method, args, token)
        if method == "chat.postMessage":
            if self.drop_after_post_next:
                self.drop_after_post_next -= 1
                assert request.transport is not None
                request.transport.abort()  # Slack kept the message; the answer never arrives
                return web.Response(status=204)
            await asyncio.sleep(self.post_delay)
        return web.json_response(answer, headers=headers)

    def _needed(self, method: str, args: dict[str, Any]) -> tuple[str, ...]:
        if method == "conversations.history":
            kind = channel_kind(str(args.get("channel", "")), self.private_channels)
            return (HISTORY_SCOPES[kind],)
        return METHOD_SCOPES.get(method, ())

    def _refusal(self, method: str, args: dict[str, Any], token: str) -> dict[str, Any] | None:
        """Slack's checks, in Slack's order: token, method, scopes, then the method's own."""
        if not token:
            return {"ok": False, "error": "not_authed"}
        if method == "apps.connections.open":
            if token == self.app_token:
                return None
            if token in self.token_teams:
                return {"ok": False, "error": "not_allowed_token_type"}
            return {"ok": False, "error": "invalid_auth"}
        token_refusal = self.token_refusal(token)
        if token_refusal is not None:
            return token_refusal
        if method not in METHOD_SCOPES:
            return {"ok": False, "error": "unknown_method", "req_method": method}
        missing = [scope for scope in self._needed(method, args) if scope not in self.scopes]
        if missing:
            return {
                "ok": False,
                "error": "missing_scope",
                "needed": ",".join(missing),
                "provided": ",".join(sorted(self.scopes)),
            }
        elsewhere = self.workspace_refusal(method, args, token)
        if elsewhere is not None:
            return elsewhere
        if method in MESSAGE_METHODS:
            problem = message_error(args)
            if problem is not None:
                error, errors = problem
                answer: dict[str, Any] = {"ok": False, "error": error}
                if errors:
                    answer["errors"] = errors
                    answer["response_metadata"] = {"messages": [f"[ERROR] {e}" for e in errors]}
                return answer
        if method in ("chat.postMessage", "conversations.history"):
            return self._membership_refusal(method, str(args.get("channel", "")))
        if method == "chat.postEphemeral":
            return self._ephemeral_refusal(str(args.get("channel", "")), str(args.get("user")))
        if method in HOME_METHODS:
            return self._home_refusal(method, args)
        if method in VIEW_METHODS:
            return self.views.refusal(method, args)
        return None

    def _membership_refusal(self, method: str, channel: str) -> dict[str, Any] | None:
        """A bot reads and posts only where it is a member, except posting in public channels
        with chat:write.public; private channels it is not in do not exist for it."""
        kind = channel_kind(channel, self.private_channels)
        if kind == "im":
            return None if channel in self._dms else {"ok": False, "error": "channel_not_found"}
        if channel in self.members_of:
            return None
        if kind == "private" or not channel:
            return {"ok": False, "error": "channel_not_found"}
        if method == "chat.postMessage" and POST_ANYWHERE in self.scopes:
            return None
        return {"ok": False, "error": "not_in_channel"}

    def _ephemeral_refusal(self, channel: str, user: str) -> dict[str, Any] | None:
        """An ephemeral post needs the bot in the channel, chat:write.public or not; in a
        direct message, only the bot's own with that person exists for it."""
        kind = channel_kind(channel, self.private_channels)
        if kind == "im":
            ok = channel in self._dms or channel == f"D{user}"
            return None if ok else {"ok": False, "error": "channel_not_found"}
        if channel in self.members_of:
            return None
        error = "channel_not_found" if kind == "private" or not channel else "not_in_channel"
        return {"ok": False, "error": error}

    def _answer(self, method: str, args: dict[str, Any], token: str) -> dict[str, Any]:
        if method == "auth.test":
            team = self.team_of_token(token)
            return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": team, "team": "t"}
        if method == "users.info":
            user = self.users.get(args.get("user", ""), {"id": args.get("user"), "name": "someone"})
            return {"ok": True, "user": user}
        if method == "chat.postMessage":
            return self._post(args)
        if method == "chat.postEphemeral":
            self.ephemerals.setdefault(str(args["channel"]), []).append(args)
            return {"ok": True, "message_ts": f"{time.time():.6f}"}
        if method in ("views.open", "views.push", "views.update"):
            return self.views.answer(method, args)
        if method == "conversations.open":
            channel = f"D{args.get('users', '')}"
            self._dms.add(channel)
            return {"ok": True, "channel": {"id": channel}}
        if method == "conversations.join":
            return self._join(str(args.get("channel", "")))
        if method == "conversations.history":
            return self._history(args)
        if method == "files.getUploadURLExternal":
            file_id = f"F{len(self.uploads) + 1}"
            self.uploads[file_id] = b""
            self.uploaded(file_id, token)
            return {
                "ok": True,
                "file_id": file_id,
                "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
            }
        if method == "files.completeUploadExternal":
            listed = _json_value(args.get("files")) or []
            self.files.update(f["id"] for f in listed if self.uploads.get(f["id"]))
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in listed]}
        if method in HOME_METHODS:
            return self._home_answer(method, args)
        if method == "files.info":
            return {"ok": True, "file": {"id": args.get("file")}}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url or f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": True}

    def _home_refusal(self, method: str, args: dict[str, Any]) -> dict[str, Any] | None:
        """views.publish: the Home tab enabled, a user of the workspace, a valid home view;
        files.delete: a file that exists."""
        if method == "files.delete":
            found = args.get("file") in self.files
            return None if found else {"ok": False, "error": "file_not_found"}
        if not self.home_tab_enabled:
            return {"ok": False, "error": "not_enabled"}
        user = args.get("user_id")
        problems = [] if user in self.users else ["invalid `user_id`"]
        problems += home_view_problems(args.get("view"), self.files)
        if not problems:
            return None
        return {
            "ok": False,
            "error": "invalid_arguments",
            "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
        }

    def _home_answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "files.delete":
            self.files.discard(args["file"])
            self.deleted_files.append(args["file"])
            return {"ok": True}
        user = str(args["user_id"])
        view = _json_value(args["view"])
        published = self.homes.setdefault(user, [])
        published.append(view)
        shown = {**view, "id": f"V{user}", "hash": f"{time.time():.6f}.{len(published)}"}
        return {"ok": True, "view": shown | {"state": {"values": {}}}}

    def home_of(self, user: str) -> dict[str, Any]:
        """The home view the person sees now: the last one published for them."""
        return self.homes[user][-1]

    def home_opened(self, user: str, tab: str = "home") -> dict[str, Any]:
        """The event Slack sends when someone opens the app's Home (or Messages) tab. The
        app's direct-message conversation with them exists from then on."""
        channel = f"D{user}"
        self._dms.add(channel)
        return {
            "type": "app_home_opened",
            "user": user,
            "channel": channel,
            "tab": tab,
            "event_ts": f"{time.time():.6f}",
        }

    def _subscribed(self, event: dict[str, Any]) -> None:
        if event.get("type") not in self.bot_events:
            raise EventNotSubscribed(
                f"the manifest does not subscribe {event.get('type')!r} "
                f"(it subscribes {sorted(self.bot_events)})"
            )

    async def deliver_http(
        self,
        url: str,
        secret: str,
        event: dict[str, Any],
        event_id: str,
        *,
        retry: int = 0,
        team: str = DEFAULT_TEAM,
    ) -> int:
        """An Events API delivery over HTTP, signed as Slack signs it; a retry carries
        `X-Slack-Retry-Num`. Returns the app's HTTP status."""
        self._subscribed(event)
        body = json.dumps(event_callback(event, event_id, team))
        headers = sign(secret, body, content_type="application/json")
        if retry:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=body, headers=headers) as response,
        ):
            await response.read()
            return response.status

    async def deliver_socket(self, event: dict[str, Any], event_id: str, *, retry: int = 0) -> str:
        """An Events API delivery in Socket Mode (`retry_attempt` on a retry); the envelope id,
        which the app's acknowledgement names."""
        self._subscribed(event)
        envelope_id = f"env-{event_id}-{retry}"
        await self.send_envelope(
            {
                "envelope_id": envelope_id,
                "type": "events_api",
                "payload": event_callback(event, event_id),
                "accepts_response_payload": False,
                "retry_attempt": retry,
                "retry_reason": "timeout" if retry else "",
            }
        )
        return envelope_id

    def _post(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args["channel"])
        # Slack's ts is the time it kept the message, unique within the channel.
        self._last_ts = max(time.time(), self._last_ts + 0.000001)
        ts = f"{self._last_ts:.6f}"
        message: dict[str, Any] = {
            "type": "message",
            "ts": ts,
            "bot_id": "BBOT",
            "text": args.get("text", ""),
            "blocks": _json_value(args.get("blocks")) or [],
        }
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        if args.get("metadata"):
            message["metadata"] = _json_value(args["metadata"])
        self.messages.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _join(self, channel: str) -> dict[str, Any]:
        if channel_kind(channel, self.private_channels) != "public":
            return {"ok": False, "error": "method_not_supported_for_channel_type"}
        self.members_of.add(channel)
        return {"ok": True, "channel": {"id": channel}}

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages, newest first; metadata only with include_all_metadata."""
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or "inf")
        inclusive = _truthy(args.get("inclusive"))
        with_metadata = _truthy(args.get("include_all_metadata"))
        found = [
            m
            for m in reversed(self.messages.get(str(args["channel"]), []))
            if m.get("thread_ts", m["ts"]) == m["ts"]
            and _within(float(m["ts"]), oldest, latest, inclusive)
        ]
        start = int(args.get("cursor") or 0)
        limit = min(int(args.get("limit") or 100), 999)
        page = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in found[start : start + limit]
        ]
        more = start + limit < len(found)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK")

    async def _respond(self, request: web.Request) -> web.Response:
        """A response_url answers 200 "ok", or 400 with the error as plain text."""
        if RESPOND in self.hang:
            await self._released.wait()
            return web.Response(status=503)
        try:
            body = await request.json()
        except ValueError:
            body = None
        error = "invalid_payload" if not isinstance(body, dict) else None
        if body is not None and error is None:
            if not body.get("text") and not body.get("blocks"):
                error = "no_text"
            elif block_problems(body.get("blocks")):
                error = "invalid_blocks"
        if error is not None:
            self.refused_responses.append((400, error, body if isinstance(body, dict) else {}))
            return web.Response(status=400, text=error)
        assert isinstance(body, dict)
        self.responses.append(body)
        return web.Response(text="ok")

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1})
        self._socket_ready.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        return socket

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        await asyncio.wait_for(self._socket_ready.wait(), 10)
        assert self._socket is not None
        await self._socket.send_json(envelope)


def _json_value(value: object) -> Any:
    """Form-encoded calls carry JSON fields as strings; JSON calls carry them as they are."""
    return json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value


def _within(ts: float, oldest: float, latest: float, inclusive: bool) -> bool:
    return oldest <= ts <= latest if inclusive else oldest < ts < latest


def _truthy(value: object) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def sign(
    secret: str,
    body: str | bytes,
    timestamp: int | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> dict[str, str]:
    """The headers Slack adds to every request it sends an app (a signature over the bytes)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    raw = body.encode() if isinstance(body, str) else body
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + raw, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": content_type,
    }


def command_body(
    command: str,
    text: str,
    user: str,
    channel: str,
    response_url: str,
    trigger_id: str = "trigger",
    team: str = DEFAULT_TEAM,
) -> str:
    """Pass a trigger_id from `SlackStandIn.views.mint` for one that can open a modal."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": team,
            "channel_id": channel,
            "channel_name": channel.lower(),
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger_id,
            "api_app_id": "A1",
        }
    )


def event_callback(
    event: dict[str, Any], event_id: str, team: str = DEFAULT_TEAM
) -> dict[str, Any]:
    """The Events API wrapper around one event, for the app's installation in `team`."""
    return {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A1",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
    }


def home_action_body(user: str, view: dict[str, Any], element: dict[str, Any], chosen: str) -> str:
    """`home_action` as Slack posts it to the app's request URL."""
    return urlencode({"payload": json.dumps(home_action(user, view, element, chosen))})


def home_action(
    user: str, view: dict[str, Any], element: dict[str, Any], chosen: str
) -> dict[str, Any]:
    """A click on a published home: a button (`chosen` is ignored: the button's value is sent),
    or a select or radio button set to the option whose value is `chosen`. Unlike a click on
    a message it has no channel and no response_url; it carries the view."""
    action: dict[str, Any] = {
        "type": element["type"],
        "action_id": element["action_id"],
        "block_id": "b1",
        "action_ts": f"{time.time():.6f}",
    }
    if element["type"] == "button":
        action["value"] = element["value"]
        action["text"] = element["text"]
    else:
        options = element.get("options") or [{"text": {"type": "plain_text", "text": chosen}}]
        label = next((o["text"] for o in options if o.get("value") == chosen), options[0]["text"])
        action["selected_option"] = {"text": label, "value": chosen}
    payload = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T1"},
        "api_app_id": "A1",
        "container": {"type": "view", "view_id": f"V{user}"},
        "trigger_id": "trigger",
        "view": {
            **view,
            "id": f"V{user}",
            "team_id": "T1",
            "state": {"values": {}},
            "hash": "1.1",
            "app_id": "A1",
            "bot_id": "BBOT",
        },
        "actions": [action],
    }
    return payload


def home_suggestion(user: str, view: dict[str, Any], action_id: str, typed: str) -> str:
    """The block_suggestion Slack sends as the person types into an external select on their
    home (only from its min_query_length on)."""
    (element,) = [
        b["accessory"]
        for b in view["blocks"]
        if b.get("accessory", {}).get("action_id") == action_id
    ]
    assert element["type"] == "external_select"
    assert len(typed) >= element.get("min_query_length", 3), "Slack would not ask yet"
    payload = {
        "type": "block_suggestion",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T1"},
        "container": {"type": "view", "view_id": f"V{user}"},
        "api_app_id": "A1",
        "token": "legacy",
        "action_id": action_id,
        "block_id": "b1",
        "value": typed,
        "team": {"id": "T1", "domain": "t"},
        "view": {**view, "id": f"V{user}", "team_id": "T1", "state": {"values": {}}},
    }
    return urlencode({"payload": json.dumps(payload)})


def action_body(
    action_id: str,
    value: str,
    user: str,
    channel: str,
    response_url: str,
    trigger_id: str = "trigger",
    team: str = DEFAULT_TEAM,
) -> str:
    payload = {
        "type": "block_actions",
        "team": {"id": team},
        "user": {"id": user, "name": user.lower()},
        "api_app_id": "A1",
        "channel": {"id": channel, "name": channel.lower()},
        "container": {"type": "message", "channel_id": channel},
        "response_url": response_url,
        "trigger_id": trigger_id,
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b1", "value": value}],
    }
    return urlencode({"payload": json.dumps(payload)})


# --- Modals: what the person does in an open view, sent to the app as Slack sends it --------


async def send_interactive(
    session: aiohttp.ClientSession, url: str, secret: str, payload: dict[str, Any]
) -> tuple[int, Any]:
    """POST an interactive payload to the app's request URL, signed, as Slack does; the HTTP
    status and the ack's body (JSON when there is one)."""
    body = urlencode({"payload": json.dumps(payload)})
    async with session.post(url, data=body, headers=sign(secret, body)) as response:
        text = await response.text()
        return response.status, json.loads(text) if text.startswith("{") else text


async def send_socket_interactive(standin: SlackStandIn, payload: dict[str, Any]) -> Any:
    """The same over Socket Mode: an `interactive` envelope; the ack's payload, if any."""
    envelope_id = f"env-{payload['type']}-{len(standin.socket_acks)}-{time.monotonic_ns()}"
    await standin.send_envelope(
        {
            "envelope_id": envelope_id,
            "type": "interactive",
            "payload": payload,
            "accepts_response_payload": True,
        }
    )
    await standin.wait_for(
        lambda: any(a.get("envelope_id") == envelope_id for a in standin.socket_acks)
    )
    (ack,) = [a for a in standin.socket_acks if a.get("envelope_id") == envelope_id]
    return ack.get("payload", "")


async def submit_view(
    standin: SlackStandIn,
    view_id: str,
    changes: dict[str, object] | None = None,
    *,
    http: tuple[aiohttp.ClientSession, str, str] | None = None,
) -> Any:
    """Submit an open modal (over HTTP when `http` is (session, url, secret), else over Socket
    Mode); the app's ack, after checking it is one Slack would act on."""
    opened = standin.views.by_id(view_id)
    payload = standin.views.submission(view_id, changes)
    if http is None:
        ack = await send_socket_interactive(standin, payload)
    else:
        status, ack = await send_interactive(*http, payload)
        assert status == 200, (status, ack)
    problems = submission_ack_problems(ack, opened.view)
    assert problems == [], problems
    standin.views.acknowledged(view_id, ack)
    return ack


async def search_options(
    standin: SlackStandIn,
    view_id: str,
    block_id: str,
    typed: str,
    *,
    http: tuple[aiohttp.ClientSession, str, str] | None = None,
) -> list[dict[str, Any]]:
    """Type into an external select of an open modal (over HTTP when `http` is given, else
    over Socket Mode); the options the app answered."""
    payload = standin.views.suggestion(view_id, block_id, typed)
    if http is None:
        ack = await send_socket_interactive(standin, payload)
    else:
        status, ack = await send_interactive(*http, payload)
        assert status == 200, (status, ack)
    problems = options_response_problems(ack)
    assert problems == [], problems
    options: list[dict[str, Any]] = ack["options"]
    return options
