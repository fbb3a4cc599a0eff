"""Parse YAML once for values and once for positions, so errors can name a line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_INT_CHARACTERS = 100


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe loading, except that an absurdly long integer is a syntax problem, not a crash.

    Python refuses to convert more than 4300 digits (ValueError, which is no YAML error), and
    anything near that is no meaningful value in a content file anyway.
    """

    def construct_bounded_int(self, node: yaml.ScalarNode) -> int:
        if len(str(node.value)) > MAX_INT_CHARACTERS:
            raise yaml.constructor.ConstructorError(
                None, None, f"number longer than {MAX_INT_CHARACTERS} characters", node.start_mark
            )
        return super().construct_yaml_int(node)  # type: ignore[no-any-return]


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_bounded_int)


class YamlSyntaxError(Exception):
    """Where PyYAML gave up (0-based lines) and, if known, where the broken construct began."""

    def __init__(self, line: int, problem: str, context: str = "", context_line: int = -1) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem
        self.context = context
        self.context_line = context_line

    def describe(self, offset: int) -> str:
        """The message, with lines counted from the enclosing file's first line."""
        message = f"YAML syntax: {self.problem}"
        if self.context and self.context_line not in (-1, self.line):
            message += f" ({self.context} that starts at line {self.context_line + offset + 1})"
        return message


def load_with_positions(text: str) -> tuple[Any, yaml.Node | None]:
    """Values and the node tree; lines in the tree are 0-based like PyYAML's marks."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        value = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlSyntaxError(
            mark.line if mark else 0,
            str(exc.problem or exc),
            str(exc.context or ""),
            exc.context_mark.line if exc.context_mark else -1,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(0, str(exc)) from None
    return value, node


def line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int:
    """The 0-based line of the value at `loc` (a pydantic error location), or its nearest parent."""
    if node is None:
        return 0
    current = node
    for part in loc:
        child = _child(current, part)
        if child is None:
            break
        current = child
    return current.start_mark.line


def _child(node: yaml.Node, part: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return value  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None
