"""Checks on key points' other wordings (`also:`) that a schema cannot express."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.content.markdown_rules import inline_problems
from bot.content.problems import ContentProblem
from bot.content.schema import KeyPoint
from bot.content.yaml_lines import line_of


def phrasing_problems(
    path: Path, points: list[KeyPoint], node: yaml.Node | None, first_line: int
) -> list[ContentProblem]:
    """Inline Markdown rules and repeats, each named on its own line of `path`.

    A repeat (the point's own text again, or the same wording twice, ignoring case and spacing)
    adds nothing for the matcher and usually means a copy-paste slip.
    """
    problems: list[ContentProblem] = []
    for index, point in enumerate(points):
        seen = {_normal(point.point)}
        for number, text in enumerate(point.also or []):
            loc: list[int | str] = ["key_points", index, "also", number]
            line = line_of(node, loc) + first_line
            field = f"key_points.{index}.also.{number}"
            problems += inline_problems(path, text, line, field)
            if _normal(text) in seen:
                problems.append(
                    ContentProblem(path, line, f"`{field}` repeats the point or another wording")
                )
            seen.add(_normal(text))
    return problems


def alternatives(points: list[KeyPoint]) -> tuple[tuple[str, ...], ...]:
    """The `also:` lists in key point order, for `Question.key_point_alternatives`."""
    return tuple(tuple(point.also or ()) for point in points)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


__all__ = ["alternatives", "phrasing_problems"]
