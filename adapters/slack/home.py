"""Each person's App Home: published when they open it, after they change a setting on it,
and after each grade they make anywhere, within Slack's `views.publish` rate limit.

Refreshes after grades are coalesced per person: at most one publish every `refresh_seconds`,
built when it runs, so the last state wins and a burst of grades costs one or two publishes.
They are also paced across people (`refresh_per_minute`, under the method's Tier 4 limit);
a publish a person asked for (opening the tab, changing a setting) is never delayed.

Only homes this process has published are refreshed, and at most `capacity` people are
remembered (the least recently seen are forgotten first; their home is refreshed again once
they open it). With several web processes, a grade handled by another process than the one
that published the home does not refresh it until the person opens the tab again.

Every call uses the token of the person's workspace (from their last request, or the grade's),
so a refresh long after the request still speaks for the right installation.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import home_view
from adapters.slack.blocks import render
from adapters.slack.clients import WorkspaceClients
from adapters.slack.failures import SLACK_FAILURES, describe
from adapters.slack.home_pictures import HomePictures
from adapters.slack.identity import PLATFORM, SlackIdentity
from bot.daily.pacing import Pacer
from bot.daily.ports import WorkspaceUnavailable
from bot.domain.context import Actor, Context, Place, WorkspaceRef
from bot.domain.home import Home
from bot.domain.replies import Reply
from bot.quizbot import Quizbot

REFRESH_SECONDS = 5.0
REFRESH_PER_MINUTE = 60.0
CAPACITY = 10_000
DIRECT = "directmessage"
# What views.publish answers for a view it will not show (a picture among the reasons).
VIEW_REFUSED = frozenset({"invalid_arguments", "invalid_blocks"})

log = logging.getLogger(__name__)


@dataclass
class _Person:
    pack_id: str | None = None
    dm_channel: str = ""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_publish: float = float("-inf")
    refresh: asyncio.Task[None] | None = None
    stale: bool = False  # graded since the last publish began
    workspace: WorkspaceRef | None = None


class SlackHome:
    def __init__(
        self,
        clients: WorkspaceClients,
        quizbot: Quizbot,
        identity: SlackIdentity,
        *,
        refresh_seconds: float = REFRESH_SECONDS,
        refresh_per_minute: float = REFRESH_PER_MINUTE,
        capacity: int = CAPACITY,
        pictures: HomePictures | None = None,
    ) -> None:
        self._clients = clients
        self._quizbot = quizbot
        self._identity = identity
        self.refresh_seconds = refresh_seconds
        self._pacer = Pacer(refresh_per_minute / 60)
        self._capacity = capacity
        self._pictures = pictures or HomePictures()
        self._people: OrderedDict[str, _Person] = OrderedDict()

    async def opened(
        self, user_id: str, dm_channel: str, workspace: WorkspaceRef | None = None
    ) -> None:
        """The person opened the Home tab (in `workspace`)."""
        person = self._remember(user_id, workspace)
        person.dm_channel = dm_channel or person.dm_channel
        await self._publish(user_id, person)

    async def change(
        self,
        user_id: str,
        pack_id: str,
        setting_id: str,
        value: str,
        workspace: WorkspaceRef | None = None,
    ) -> None:
        """A setting changed on the home: the core decides, and the home shows the outcome
        (the new value, or why it was refused) at its top."""
        person = self._remember(user_id, workspace)
        pack = pack_id or self._quizbot.packs[0].id
        person.pack_id = pack
        ctx = await self._clients.call(
            person.workspace, lambda client: self._context(client, user_id, person)
        )
        reply = await self._quizbot.change_setting(ctx, pack, setting_id, value)
        await self._publish(user_id, person, notice=reply)

    async def press(
        self,
        user_id: str,
        pack_id: str,
        action_id: str,
        value: str,
        workspace: WorkspaceRef | None = None,
    ) -> None:
        """A button on the home ("Ask me a question", "Review now"): what it replies goes to the
        person's direct messages with the app (its Messages tab), where its buttons work."""
        person = self._remember(user_id, workspace)
        person.pack_id = pack_id or person.pack_id
        ctx = await self._clients.call(
            person.workspace, lambda client: self._context(client, user_id, person)
        )
        reply = await self._quizbot.handle_action(ctx, action_id, value)
        await self._clients.call(
            person.workspace,
            lambda client: self._post_direct(client, ctx.place.channel_id, reply),
        )

    def graded(self, actor: Actor, pack_id: str) -> None:
        """Called by the core after each grade; schedules a refresh of a home we published."""
        if actor.platform != PLATFORM:
            return
        person = self._people.get(actor.user_id)
        if person is None:
            return
        self._people.move_to_end(actor.user_id)
        person.pack_id = pack_id
        person.workspace = actor.workspace or person.workspace
        person.stale = True
        if person.refresh is None or person.refresh.done():
            person.refresh = asyncio.create_task(self._refresh(actor.user_id, person))

    async def aclose(self) -> None:
        """Pending refreshes are dropped: the next open of the tab publishes afresh."""
        pending = [p.refresh for p in self._people.values() if p.refresh and not p.refresh.done()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def _remember(self, user_id: str, workspace: WorkspaceRef | None = None) -> _Person:
        person = self._people.get(user_id)
        if person is None:
            person = self._people[user_id] = _Person()
            while len(self._people) > self._capacity:
                forgotten, _ = self._people.popitem(last=False)
                self._pictures.forget(forgotten)
        self._people.move_to_end(user_id)
        person.workspace = workspace or person.workspace
        return person

    async def _refresh(self, user_id: str, person: _Person) -> None:
        while person.stale:
            wait = person.last_publish + self.refresh_seconds - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            await self._pacer.wait()
            await self._publish(user_id, person)

    async def _publish(self, user_id: str, person: _Person, notice: Reply | None = None) -> None:
        """Build the home from the database now and publish it; failures are logged once."""
        async with person.lock:
            person.stale = False
            person.last_publish = time.monotonic()
            try:
                await self._clients.call(
                    person.workspace,
                    lambda client: self._publish_with(client, user_id, person, notice),
                )
            except WorkspaceUnavailable as exc:
                log.error("Could not publish the home of %s: %s", user_id, exc)
            except SLACK_FAILURES as exc:
                log.error("Could not publish the home of %s: %s", user_id, describe(exc))
            except Exception:
                log.exception("Could not publish the home of %s", user_id)

    async def _publish_with(
        self, client: AsyncWebClient, user_id: str, person: _Person, notice: Reply | None
    ) -> None:
        ctx = await self._context(client, user_id, person)
        built = await self._quizbot.home(ctx, person.pack_id)
        if isinstance(built, Home):
            person.pack_id = built.pack_id
        file_id = await self._picture(client, user_id, built)
        view = home_view.render(built, notice=notice, picture_file=file_id)
        try:
            await client.views_publish(user_id=user_id, view=view)
        except SlackApiError as exc:
            if file_id is None or exc.response.get("error") not in VIEW_REFUSED:
                raise
            # Slack could not show the picture (not processed yet, deleted): the rest of the
            # home still helps. The file is kept for the next publish.
            log.warning("Slack refused the home picture %s: %s", file_id, describe(exc))
            file_id = None
            view = home_view.render(built, notice=notice)
            await client.views_publish(user_id=user_id, view=view)
        await self._pictures.shown(client, user_id, file_id)

    async def _picture(
        self, client: AsyncWebClient, user_id: str, built: Home | Reply
    ) -> str | None:
        if not isinstance(built, Home) or built.picture is None:
            return None
        try:
            return await self._pictures.file_for(client, built.picture)
        except SLACK_FAILURES as exc:
            log.warning("The home of %s goes without its picture: %s", user_id, describe(exc))
            return None

    async def _context(self, client: AsyncWebClient, user_id: str, person: _Person) -> Context:
        """The person, and their direct messages with the app as the place (where a home's
        questions are asked); opened once if the event did not name it."""
        workspace = person.workspace
        actor = await self._identity.actor(user_id, "", client=client, workspace=workspace)
        if not person.dm_channel:
            opened = await client.conversations_open(users=user_id)
            person.dm_channel = str(opened["channel"]["id"])
        place = Place(PLATFORM, person.dm_channel, DIRECT, is_direct=True, workspace=workspace)
        return Context(actor, place)

    async def _post_direct(self, client: AsyncWebClient, channel_id: str, reply: Reply) -> None:
        for message in render(reply):
            await client.chat_postMessage(
                channel=channel_id, text=message.text, blocks=message.blocks
            )
        for attachment in reply.files:
            await client.files_upload_v2(
                channel=channel_id,
                file=attachment.data,
                filename=attachment.filename,
                title=attachment.title or attachment.filename,
            )
