"""Questions and packs as the core sees them, after the content loader has validated the files."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"


@dataclass(frozen=True)
class QuestionRef:
    """The stable key progress is stored under: pack id plus question id, never the number."""

    pack_id: str
    question_id: str

    def encode(self) -> str:
        return f"{self.pack_id}:{self.question_id}"

    @classmethod
    def decode(cls, value: str) -> QuestionRef:
        pack_id, sep, question_id = value.partition(":")
        if not sep or not pack_id or not question_id:
            raise ValueError(f"not a question reference: {value!r}")
        return cls(pack_id, question_id)


@dataclass(frozen=True)
class Question:
    pack_id: str
    id: str
    number: int
    level: Level
    topics: tuple[str, ...]
    key_points: tuple[str, ...]
    follow_up: str
    prompt: str
    answer: str
    # Other wordings of each key point (content's `also:`), in key point order; the answer
    # matcher reads them. May be shorter than key_points, or empty: missing means none.
    key_point_alternatives: tuple[tuple[str, ...], ...] = ()

    def alternatives_for(self, index: int) -> tuple[str, ...]:
        """The other wordings of key point `index`, or none."""
        alternatives = self.key_point_alternatives
        return alternatives[index] if 0 <= index < len(alternatives) else ()

    @property
    def ref(self) -> QuestionRef:
        return QuestionRef(self.pack_id, self.id)


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    command: str
    description: str
    topics: tuple[str, ...]
    questions: tuple[Question, ...]
    _by_id: dict[str, Question] = field(init=False, repr=False, compare=False)
    _by_number: dict[int, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {q.id: q for q in self.questions})
        object.__setattr__(self, "_by_number", {q.number: q for q in self.questions})

    def by_id(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def by_number(self, number: int) -> Question | None:
        return self._by_number.get(number)


class Catalog:
    """Every loaded pack, found by id or by the slash command that serves it."""

    def __init__(self, packs: list[Pack]) -> None:
        self._by_id = {p.id: p for p in packs}
        self._by_command = {p.command: p for p in packs}

    @property
    def packs(self) -> list[Pack]:
        return list(self._by_id.values())

    def pack(self, pack_id: str) -> Pack | None:
        return self._by_id.get(pack_id)

    def for_command(self, command: str) -> Pack | None:
        return self._by_command.get(command.lstrip("/"))

    def question(self, ref: QuestionRef) -> Question | None:
        pack = self._by_id.get(ref.pack_id)
        return pack.by_id(ref.question_id) if pack else None
