"""Read one content file within bounds: a size cap, strict UTF-8, a problem instead of a crash.

A pack is authored by people and may arrive from anywhere (a pull request, a mounted folder), so a
huge, binary or unreadable file must become one line in the problem list, never a traceback or a
process that reads a gigabyte into memory.
"""

from __future__ import annotations

from pathlib import Path

from bot.content.problems import ContentProblem

MAX_FILE_BYTES = 1_000_000
_BOM = b"\xef\xbb\xbf"


def read_content_file(path: Path) -> tuple[str | None, list[ContentProblem]]:
    """The file's text with newlines normalised, or the problem that stops us reading it."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [ContentProblem(path, 1, f"cannot be read: {exc.strerror or exc}")]
    if len(data) > MAX_FILE_BYTES:
        limit = f"the 1 MB limit for content files ({MAX_FILE_BYTES:,} bytes)"
        return None, [ContentProblem(path, 1, f"file is over {limit}")]
    data = data.removeprefix(_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8")) + 1
        where = f"byte 0x{data[exc.start]:02x} at column {column}"
        return None, [ContentProblem(path, line, f"not UTF-8 ({where}); save the file as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []
