"""Daily posts across workspaces that installed Quizbot through OAuth: each channel gets its
post with its own workspace's token; uninstalling one stops only its posts, with its progress
kept; installing it again resumes them with the new token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.storage.schema import attempts
from tests.adapters.slack.conftest import SECRET, texts
from tests.adapters.slack.standin import action_body, command_body, in_workspace, sign
from tests.adapters.slack.test_slack_oauth import ONE, TWO, Installs, install, installs

__all__ = ["installs"]

ADMIN_ONE, ADMIN_TWO = "UADMINONE", "UADMINTWO"
CHANNEL_ONE, CHANNEL_TWO = "CONE", "CTWO"


async def send(installs: Installs, body: str) -> dict[str, Any]:
    seen = len(installs.standin.responses)
    headers = sign(SECRET, body)
    async with installs.session.post(installs.events_url, data=body, headers=headers) as answer:
        assert answer.status == 200
    await installs.standin.wait_for(lambda: len(installs.standin.responses) > seen)
    return installs.standin.responses[-1]


async def command(installs: Installs, team: str, user: str, channel: str, text: str) -> Any:
    url = installs.standin.response_url()
    return await send(
        installs, in_workspace(command_body("/mini-quiz", text, user, channel, url), team)
    )


async def practise(installs: Installs, team: str, user: str, channel: str) -> None:
    message = await command(installs, team, user, channel, "1")
    for label in ("Reveal answer", "Knew it"):
        button = next(
            element
            for block in message["blocks"]
            if block["type"] == "actions"
            for element in block["elements"]
            if element["text"]["text"] == label
        )
        url = installs.standin.response_url()
        body = action_body(button["action_id"], button["value"], user, channel, url, team=team)
        message = await send(installs, body)
    assert "Recorded" in texts(message)


def posts(installs: Installs) -> list[tuple[str, str]]:
    """(channel, token) of every chat.postMessage."""
    return [
        (str(c.args["channel"]), c.token)
        for c in installs.standin.calls
        if c.method == "chat.postMessage"
    ]


async def test_uninstalling_one_workspace_stops_only_its_posts_until_it_installs_again(
    installs: Installs,
) -> None:
    standin = installs.standin
    for user, team in ((ADMIN_ONE, ONE), (ADMIN_TWO, TWO)):
        standin.users[user] = {"id": user, "name": user.lower(), "is_admin": True, "tz": "UTC"}
        standin.user_teams[user] = team
    standin.channel_teams[CHANNEL_TWO] = TWO
    assert (await install(installs, ONE)).installed
    assert (await install(installs, TWO)).installed
    (one,) = standin.tokens_of(ONE)
    (two,) = standin.tokens_of(TWO)
    await command(installs, ONE, ADMIN_ONE, CHANNEL_ONE, "subscribe 09:00 UTC")
    await command(installs, TWO, ADMIN_TWO, CHANNEL_TWO, "subscribe 09:00 UTC")
    await practise(installs, TWO, ADMIN_TWO, CHANNEL_TWO)

    nine = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    poster = installs.runtime.poster
    assert (await poster.post_due(nine + timedelta(minutes=1))).posted == 2
    assert sorted(posts(installs)) == [(CHANNEL_ONE, one), (CHANNEL_TWO, two)]

    await installs.remove(TWO)  # app_uninstalled and tokens_revoked: the hook pauses T2
    tomorrow = nine + timedelta(days=1, minutes=1)
    report = await poster.post_due(tomorrow)
    assert (report.posted, report.failed) == (1, 0)
    assert posts(installs)[2:] == [(CHANNEL_ONE, one)]  # T2 not even tried
    async with installs.runtime.engine.connect() as connection:
        kept = (await connection.execute(select(func.count()).select_from(attempts))).scalar()
    assert kept == 1  # progress stays until the person asks forget-me

    assert (await install(installs, TWO)).installed  # the hook resumes T2
    _old, again = standin.tokens_of(TWO)
    assert (await poster.post_due(tomorrow + timedelta(minutes=1))).posted == 1
    # This process remembered T2's old token for a minute: Slack refuses it, the new one posts.
    assert posts(installs)[3:] == [(CHANNEL_TWO, two), (CHANNEL_TWO, again)]
    assert [r.error for r in standin.refused("chat.postMessage")] == ["token_revoked"]
