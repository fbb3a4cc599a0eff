"""What a valid pack.yaml and question front matter look like, as pydantic models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.domain.content import Level

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
# Slack allows 32 characters, Discord lowercase letters, digits, '-' and '_'.
CommandName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
# Numbers are typed by people (`/fastapi-quiz 12`) and listed in replies; four digits is plenty.
MAX_QUESTION_NUMBER = 9999
Sentence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500)]


class PackFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    command: CommandName
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    topics: Annotated[list[Slug], Field(min_length=1)]


class QuestionFrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    number: Annotated[int, Field(ge=1, le=MAX_QUESTION_NUMBER)]
    level: Level
    topics: Annotated[list[Slug], Field(min_length=1, max_length=4)]
    key_points: Annotated[list[Sentence], Field(min_length=3, max_length=6)]
    follow_up: Sentence
