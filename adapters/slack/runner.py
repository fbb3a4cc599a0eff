"""Serve the Bolt app on this process's loop: Socket Mode, or HTTP at /slack/events (and, when
workspaces install the app through OAuth, Bolt's install pages beside it)."""

from __future__ import annotations

import logging
import socket

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from adapters.one_line import one_line_errors
from adapters.slack import endpoint
from adapters.slack.app import SlackApp
from adapters.slack.startup import issue_socket_url

EVENTS_PATH = "/slack/events"
# Requests still being answered when we stop get this long to finish.
SHUTDOWN_SECONDS = 3.0


log = logging.getLogger(__name__)


class SlackRunner:
    def __init__(
        self, app: SlackApp, *, app_token: str | None, host: str = "0.0.0.0", port: int = 3000
    ) -> None:
        self._app = app
        self._app_token = app_token
        self._host = host
        self._port = port
        self._socket: AsyncSocketModeHandler | None = None
        self._web: web.AppRunner | None = None
        self.bound_port: int | None = None

    @property
    def mode(self) -> str:
        if self._app_token:
            return "Socket Mode"
        served = f"HTTP on port {self.bound_port or self._port} at {EVENTS_PATH}"
        flow = self._app.oauth_flow
        if flow is not None:
            served += f", installs at {flow.install_path}"
        return served

    async def start(self) -> None:
        if self._app_token:
            self._socket = AsyncSocketModeHandler(self._app, self._app_token)
            one_line_errors(self._socket.client.logger)
            await issue_socket_url(self._socket.client)
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            return
        application = web.Application(client_max_size=endpoint.MAX_BODY_BYTES)
        application.router.add_post(EVENTS_PATH, self._handle)
        flow = self._app.oauth_flow
        if flow is not None:
            # GET only: a HEAD from a link checker would store a state nobody uses.
            application.router.add_get(flow.install_path, self._install, allow_head=False)
            application.router.add_get(flow.redirect_uri_path, self._redirected, allow_head=False)
        self._web = web.AppRunner(application, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        await self._web.setup()
        listener = socket.create_server((self._host, self._port), reuse_port=False)
        self.bound_port = int(listener.getsockname()[1])
        await web.SockSite(self._web, listener).start()

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
        if self._web is not None:
            await self._web.cleanup()
        await self._app.aclose()

    async def _handle(self, request: web.Request) -> web.Response:
        """Bolt gets only what `endpoint.check` accepts; the rest is refused in one log line."""
        raw = await _read_bounded(request)
        if raw is None:
            outcome: endpoint.Refused | endpoint.Accepted = endpoint.Refused(
                400, f"the body is larger than {endpoint.MAX_BODY_BYTES} bytes"
            )
        else:
            outcome = endpoint.check(request.headers, raw, self._app.signing_secret)
        if isinstance(outcome, endpoint.Refused):
            log.info(
                "Refused a request at %s (%d): %s", EVENTS_PATH, outcome.status, outcome.reason
            )
            return web.Response(status=outcome.status, text=outcome.reason)
        bolt_request = outcome.bolt_request(request.query_string, request.headers)
        return await to_aiohttp_response(await self._app.async_dispatch(bolt_request))

    async def _install(self, request: web.Request) -> web.Response:
        """A person's browser, on its way to Slack's consent page with a fresh state."""
        assert self._app.oauth_flow is not None
        bolt_request = await to_bolt_request(request)
        return await to_aiohttp_response(
            await self._app.oauth_flow.handle_installation(bolt_request)
        )

    async def _redirected(self, request: web.Request) -> web.Response:
        """Back from Slack's consent page: Bolt checks the state and saves the installation."""
        assert self._app.oauth_flow is not None
        bolt_request = await to_bolt_request(request)
        return await to_aiohttp_response(await self._app.oauth_flow.handle_callback(bolt_request))


async def _read_bounded(request: web.Request) -> bytes | None:
    """The body, or None when it is over the limit (not read further than that)."""
    if (request.content_length or 0) > endpoint.MAX_BODY_BYTES:
        return None
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        return None
