"""The homes' progress pictures as Slack files, which an `image` block shows by `slack_file`.

A picture is uploaded without being shared in any conversation (files_upload_v2 without a
channel), once per distinct content: while a person's picture is unchanged (nothing graded,
same day) every publish of their home reuses the file. When a home stops showing a file and no
other home this process published shows it, the file is deleted, so a person who grades every
day does not leave a trail of old pictures. Memory is bounded: files beyond `capacity` are
forgotten (not deleted: a home may still show them), and uploaded again if needed.

A file belongs to the workspace it was uploaded to, so files are kept per bot token (one token
per workspace): each call names the client, with the token of the person's workspace.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, OrderedDict

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.failures import SLACK_FAILURES, describe
from bot.domain.replies import Attachment

CAPACITY = 10_000

log = logging.getLogger(__name__)


class HomePictures:
    def __init__(self, *, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        # (bot token, content hash) → file id
        self._files: OrderedDict[tuple[str | None, str], str] = OrderedDict()
        # user → the file their home shows, and the client of its workspace
        self._shown: dict[str, tuple[AsyncWebClient, str]] = {}
        self._homes_showing: Counter[str] = Counter()  # file id → homes showing it

    async def file_for(self, client: AsyncWebClient, picture: Attachment) -> str:
        """The id of a file with exactly these bytes in `client`'s workspace, uploaded now if
        need be. Raises one of SLACK_FAILURES when the upload fails."""
        key = (client.token, hashlib.sha256(picture.data).hexdigest())
        found = self._files.get(key)
        if found is not None:
            self._files.move_to_end(key)
            return found
        response = await client.files_upload_v2(
            file=picture.data,
            filename=picture.filename,
            title=picture.title or picture.filename,
        )
        file_id = str(response["files"][0]["id"])
        self._files[key] = file_id
        while len(self._files) > self._capacity:
            self._files.popitem(last=False)
        return file_id

    async def shown(self, client: AsyncWebClient, user_id: str, file_id: str | None) -> None:
        """After a publish with `client`: this person's home now shows `file_id` (or no
        picture). A file no home shows any more is deleted, in its own workspace."""
        shown = self._shown.pop(user_id, None)
        if file_id is not None:
            self._shown[user_id] = (client, file_id)
            self._homes_showing[file_id] += 1
        if shown is None:
            return
        owner, previous = shown
        self._homes_showing[previous] -= 1
        if self._homes_showing[previous] > 0:
            return
        del self._homes_showing[previous]
        for key, known in list(self._files.items()):
            if known == previous:
                del self._files[key]
        try:
            await owner.files_delete(file=previous)
        except SLACK_FAILURES as exc:
            log.warning("Could not delete the old home picture %s: %s", previous, describe(exc))

    def forget(self, user_id: str) -> None:
        """The person's home is no longer tracked: their file stays (their home shows it)."""
        shown = self._shown.pop(user_id, None)
        if shown is not None:
            previous = shown[1]
            self._homes_showing[previous] -= 1
            if self._homes_showing[previous] <= 0:
                del self._homes_showing[previous]
