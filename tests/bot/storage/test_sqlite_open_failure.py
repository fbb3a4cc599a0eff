"""A SQLite file that cannot be opened is one line, with no thread traceback after it."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from queue import SimpleQueue
from typing import Any

import aiosqlite.core
import pytest

from bot.storage.database_url import resolve
from bot.storage.engine import DatabaseUnavailable, check_connection, create_engine


class UnhurriedQueue:
    """aiosqlite's work queue on a busy machine: after the first job, the worker is slow to wake."""

    def __init__(self, queue: SimpleQueue[Any]) -> None:
        self.queue = queue
        self.taken = 0

    def get(self) -> Any:
        item = self.queue.get()
        self.taken += 1
        if self.taken > 1:
            time.sleep(0.3)
        return item


def test_a_failed_open_waits_for_aiosqlites_worker_before_the_loop_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`quizbot db upgrade` ran `asyncio.run`, which closed the loop while aiosqlite's worker still
    had the failed connection's stop to finish; the worker then printed "Exception in thread ...
    Event loop is closed" under our message (1 run in 6). A slow worker makes that certain."""
    (tmp_path / "q.sqlite3").mkdir()  # a folder where the database file should be
    target = resolve(f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite3'}")
    workers: list[threading.Thread] = []
    failures: list[threading.ExceptHookArgs] = []
    real_worker = aiosqlite.core._connection_worker_thread

    def unhurried_worker(tx: SimpleQueue[Any]) -> None:
        workers.append(threading.current_thread())
        real_worker(UnhurriedQueue(tx))  # type: ignore[arg-type]

    monkeypatch.setattr(aiosqlite.core, "_connection_worker_thread", unhurried_worker)
    monkeypatch.setattr(threading, "excepthook", failures.append)

    async def start() -> None:
        await check_connection(create_engine(target), target)

    with pytest.raises(DatabaseUnavailable, match="Could not open the database"):
        asyncio.run(start())
    for worker in workers:
        worker.join(5)
    assert workers, "the open went through aiosqlite"
    assert not any(worker.is_alive() for worker in workers)
    assert [f.exc_value for f in failures] == []
