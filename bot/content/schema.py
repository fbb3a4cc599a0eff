"""What a valid pack.yaml and question front matter look like, as pydantic models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.domain.content import Level

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
# Slack allows 32 characters, Discord lowercase letters, digits, '-' and '_'.
CommandName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
# Numbers are typed by people (`/fastapi-quiz 12`) and listed in replies; four digits is plenty.
MAX_QUESTION_NUMBER = 9999
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]
# Another way to say a key point, for the answer matcher: a phrase or a sentence, never an essay.
Phrasing = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]
MAX_PHRASINGS = 8


class PackFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    command: CommandName
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    topics: Annotated[list[Slug], Field(min_length=1)]


class KeyPoint(BaseModel):
    """A key point: the text shown, plus other wordings an answer may use (`also:`)."""

    model_config = ConfigDict(extra="forbid")

    point: Sentence
    also: Annotated[list[Phrasing], Field(min_length=1, max_length=MAX_PHRASINGS)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, data: object) -> object:
        """A plain string is the common case: a point with no other wordings."""
        if isinstance(data, dict) and "point" not in data:
            # Usually an unquoted point containing `: `, which YAML reads as a mapping.
            raise ValueError(
                "a key point is text (quote it if it contains `: `) or a mapping with `point:`"
            )
        return {"point": data} if isinstance(data, str) else data


class QuestionFrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    number: Annotated[int, Field(ge=1, le=MAX_QUESTION_NUMBER)]
    level: Level
    topics: Annotated[list[Slug], Field(min_length=1, max_length=4)]
    key_points: Annotated[list[KeyPoint], Field(min_length=3, max_length=6)]
    follow_up: Sentence
