"""Unit of work: one transaction, the repositories bound to it, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.daily_repositories import PostRepository, SubscriptionRepository
from bot.storage.engine import BEGIN_OPTION
from bot.storage.personal_data import PersonalDataRepository
from bot.storage.repositories import (
    AttemptRepository,
    ChannelRepository,
    ExposureRepository,
    ReviewRepository,
    UserRepository,
)


class UnitOfWork:
    users: UserRepository
    channels: ChannelRepository
    exposures: ExposureRepository
    attempts: AttemptRepository
    reviews: ReviewRepository
    subscriptions: SubscriptionRepository
    posts: PostRepository
    personal: PersonalDataRepository

    def __init__(self, engine: AsyncEngine, *, write: bool) -> None:
        self._engine = engine
        self._write = write
        self._connection: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        connection = await self._engine.connect()
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

    async def commit(self) -> None:
        assert self._connection is not None
        await self._connection.commit()


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = False) -> UnitOfWork: ...


class EngineUnitOfWorkFactory:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def __call__(self, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self._engine, write=write)
