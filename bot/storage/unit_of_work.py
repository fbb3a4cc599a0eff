"""Unit of work: one transaction, the repositories bound to it, rolled back unless committed."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.engine import BEGIN_OPTION
from bot.storage.repositories.attempts import AttemptRepository
from bot.storage.repositories.channels import ChannelRepository
from bot.storage.repositories.exposures import ExposureRepository
from bot.storage.repositories.mocks import MockRepository
from bot.storage.repositories.personal_data import PersonalDataRepository
from bot.storage.repositories.posts import PostRepository
from bot.storage.repositories.reviews import ReviewRepository
from bot.storage.repositories.subscriptions import SubscriptionRepository
from bot.storage.repositories.users import UserRepository
from bot.storage.repositories.workspaces import WorkspaceRepository


class UnitOfWork:
    users: UserRepository
    channels: ChannelRepository
    exposures: ExposureRepository
    attempts: AttemptRepository
    reviews: ReviewRepository
    subscriptions: SubscriptionRepository
    posts: PostRepository
    personal: PersonalDataRepository
    mocks: MockRepository
    workspaces: WorkspaceRepository

    def __init__(
        self, engine: AsyncEngine, *, write: bool, write_lock: asyncio.Lock | None = None
    ) -> None:
        self._engine = engine
        self._write = write
        self._write_lock = write_lock if write else None
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        if self._write_lock is not None:
            await self._write_lock.acquire()
        try:
            connection = await self._engine.connect()
        except BaseException:
            self._release()
            raise
        if self._write and connection.dialect.name == "sqlite":
            connection = await connection.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        await connection.begin()
        self._connection = connection
        self.users = UserRepository(connection)
        self.channels = ChannelRepository(connection)
        self.exposures = ExposureRepository(connection)
        self.attempts = AttemptRepository(connection)
        self.reviews = ReviewRepository(connection)
        self.subscriptions = SubscriptionRepository(connection)
        self.posts = PostRepository(connection)
        self.personal = PersonalDataRepository(connection)
        self.mocks = MockRepository(connection)
        self.workspaces = WorkspaceRepository(connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._connection is not None
        try:
            if self._connection.in_transaction():
                await self._connection.rollback()
        finally:
            await self._connection.close()
            self._connection = None
            self._release()

    def _release(self) -> None:
        if self._write_lock is not None and self._write_lock.locked():
            self._write_lock.release()

    async def commit(self) -> None:
        assert self._connection is not None
        await self._connection.commit()


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = False) -> UnitOfWork: ...


class EngineUnitOfWorkFactory:
    """On SQLite, writers in this process queue on one lock before taking a connection.

    SQLite has one writer at a time anyway; queueing here is first come, first served and
    holds no pooled connection while waiting, where SQLite's own busy handler would make
    thousands of waiting writers back off, hold the pool and time out. Other processes still
    meet the busy timeout.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._write_lock = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    def __call__(self, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self._engine, write=write, write_lock=self._write_lock)
