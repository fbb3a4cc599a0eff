"""A Slack Web API stand-in that enforces a rate limit: N calls per one-second window, 429 with
Retry-After beyond it. Runs in its own process so it does not share the bot's event loop."""

from __future__ import annotations

import asyncio
import json
import sys
import time

from aiohttp import web


def app(rate: int) -> web.Application:
    state = {"window": 0, "used": 0, "posted": 0, "limited": 0}

    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "chat.postMessage":
            await request.read()
            window = int(time.monotonic())
            if window != state["window"]:
                state["window"], state["used"] = window, 0
            if state["used"] >= rate:
                state["limited"] += 1
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            state["used"] += 1
            state["posted"] += 1
            return web.json_response({"ok": True, "ts": f"{state['posted']}.0001"})
        return web.json_response({"ok": True, "user_id": "UBOT", "team_id": "T1"})

    async def counts(request: web.Request) -> web.Response:
        return web.json_response(state)

    application = web.Application()
    application.router.add_post("/api/{method}", api)
    application.router.add_get("/counts", counts)
    return application


async def main(rate: int) -> None:
    runner = web.AppRunner(app(rate), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(json.dumps({"port": runner.addresses[0][1]}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
