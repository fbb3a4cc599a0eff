"""Reading typed lines without a thread, so that Ctrl-C leaves at once.

A line read in a worker thread cannot be abandoned: the thread stays blocked in `readline`
until Enter, and `asyncio.run` waits for it before the process can exit. Here a terminal, pipe
or socket is watched by the event loop and read only once it has data, so cancelling a wait
leaves nothing behind. A regular file or an in-memory stream never blocks and is read directly.
Only where the loop cannot watch a descriptor at all (Windows) does a thread read it.

The end of input is not remembered: at a terminal, Ctrl-D ends one read (a form is cancelled)
and the next read waits for typing again; a pipe or file that has ended ends every read.
"""

from __future__ import annotations

import asyncio
import codecs
import os
import stat
from typing import TextIO

_CHUNK = 65536


class LineReader:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._fd = _watchable(stream)
        encoding = getattr(stream, "encoding", None) or "utf-8"
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._pending = ""

    async def readline(self) -> str:
        """The next line with its newline; the last one may lack it; "" at the end."""
        if self._fd is None:
            return self._stream.readline()
        if self._fd < 0:
            return await asyncio.to_thread(self._stream.readline)
        while True:
            newline = self._pending.find("\n")
            if newline >= 0:
                line, self._pending = self._pending[: newline + 1], self._pending[newline + 1 :]
                return line
            await self._readable(self._fd)
            chunk = os.read(self._fd, _CHUNK)
            if not chunk:
                line, self._pending = self._pending + self._decoder.decode(b"", final=True), ""
                self._decoder.reset()
                return line
            self._pending += self._decoder.decode(chunk)

    @staticmethod
    async def _readable(fd: int) -> None:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, wake)
        try:
            await ready
        finally:
            loop.remove_reader(fd)


def _watchable(stream: TextIO) -> int | None:
    """The file descriptor to watch; None for a stream that never blocks; -1 for one that may
    block but that this event loop cannot watch."""
    try:
        fd = stream.fileno()
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):
        return None
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)):
        return None
    loop = asyncio.get_running_loop()
    try:
        loop.add_reader(fd, lambda: None)
    except NotImplementedError:
        return -1
    except (OSError, ValueError):
        return None  # e.g. /dev/null, which epoll refuses and which never blocks
    loop.remove_reader(fd)
    return fd
