"""The homes' progress pictures as Slack files, which an `image` block shows by `slack_file`.

A picture is uploaded without being shared in any conversation (files_upload_v2 without a
channel), once per distinct content: while a person's picture is unchanged (nothing graded,
same day) every publish of their home reuses the file. When a home stops showing a file and no
other home this process published shows it, the file is deleted, so a person who grades every
day does not leave a trail of old pictures. Memory is bounded: files beyond `capacity` are
forgotten (not deleted: a home may still show them), and uploaded again if needed.
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
    def __init__(self, client: AsyncWebClient, *, capacity: int = CAPACITY) -> None:
        self._client = client
        self._capacity = capacity
        self._files: OrderedDict[str, str] = OrderedDict()  # content hash → file id
        self._shown: dict[str, str] = {}  # user → the file their home shows
        self._homes_showing: Counter[str] = Counter()  # file id → homes showing it

    async def file_for(self, picture: Attachment) -> str:
        """The id of a file with exactly these bytes, uploaded now if need be. Raises one of
        SLACK_FAILURES when the upload fails."""
        key = hashlib.sha256(picture.data).hexdigest()
        found = self._files.get(key)
        if found is not None:
            self._files.move_to_end(key)
            return found
        response = await self._client.files_upload_v2(
            file=picture.data,
            filename=picture.filename,
            title=picture.title or picture.filename,
        )
        file_id = str(response["files"][0]["id"])
        self._files[key] = file_id
        while len(self._files) > self._capacity:
            self._files.popitem(last=False)
        return file_id

    async def shown(self, user_id: str, file_id: str | None) -> None:
        """After a publish: this person's home now shows `file_id` (or no picture). A file no
        home shows any more is deleted."""
        previous = self._shown.pop(user_id, None)
        if file_id is not None:
            self._shown[user_id] = file_id
            self._homes_showing[file_id] += 1
        if previous is None:
            return
        self._homes_showing[previous] -= 1
        if self._homes_showing[previous] > 0:
            return
        del self._homes_showing[previous]
        for key, known in list(self._files.items()):
            if known == previous:
                del self._files[key]
        try:
            await self._client.files_delete(file=previous)
        except SLACK_FAILURES as exc:
            log.warning("Could not delete the old home picture %s: %s", previous, describe(exc))

    def forget(self, user_id: str) -> None:
        """The person's home is no longer tracked: their file stays (their home shows it)."""
        previous = self._shown.pop(user_id, None)
        if previous is not None:
            self._homes_showing[previous] -= 1
            if self._homes_showing[previous] <= 0:
                del self._homes_showing[previous]
