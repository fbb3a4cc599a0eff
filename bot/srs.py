"""Spaced repetition with fsrs, on a daily rhythm: no minute-long learning steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

from bot.domain.grades import Grade

_RATINGS = {Grade.KNEW: Rating.Good, Grade.PARTLY: Rating.Hard, Grade.MISSED: Rating.Again}


@dataclass(frozen=True)
class CardUpdate:
    card_json: str
    due: datetime


class SpacedRepetition:
    """Turns a recall grade into the card's next due date; cards are stored as fsrs JSON."""

    def __init__(self, desired_retention: float = 0.9) -> None:
        # Fuzzing is off so that the same history always gives the same schedule.
        self._scheduler = Scheduler(
            desired_retention=desired_retention,
            learning_steps=(),
            relearning_steps=(),
            enable_fuzzing=False,
        )

    def review(self, card_json: str | None, grade: Grade, now: datetime) -> CardUpdate:
        if now.tzinfo is None:
            raise ValueError("a review needs a timezone-aware datetime")
        # fsrs accepts UTC alone; any aware instant is the same moment once converted.
        now = now.astimezone(UTC)
        card = Card.from_json(card_json) if card_json else self._new_card(now)
        updated, _log = self._scheduler.review_card(card, _RATINGS[grade], review_datetime=now)
        return CardUpdate(card_json=updated.to_json(), due=updated.due)

    @staticmethod
    def _new_card(now: datetime) -> Card:
        """fsrs stamps a new card with the epoch milliseconds and then sleeps 1 ms so the next
        stamp differs; that sleep would block the event loop on every first grade. We never
        read the id, so we give the same stamp without the sleep."""
        return Card(card_id=int(now.timestamp() * 1000))
