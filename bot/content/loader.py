"""Read a pack folder into domain objects, collecting every problem with its file and line."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content.files import read_content_file
from bot.content.markdown_rules import Section, body_problems, inline_problems
from bot.content.phrasings import alternatives, phrasing_problems
from bot.content.problems import ContentError, ContentProblem
from bot.content.schema import MAX_QUESTION_NUMBER, PackFile, QuestionFrontMatter
from bot.content.yaml_lines import YamlSyntaxError, line_of, load_with_positions
from bot.domain.content import Catalog, Pack, Question

M = TypeVar("M", bound=BaseModel)

PACK_FILE = "pack.yaml"
QUESTIONS_DIR = "questions"
_SECTION = re.compile(r"^##[ \t]+(.*?)[ \t]*$")
_FENCE = re.compile(r"^[ \t]*```(.*)$")


@dataclass(frozen=True)
class _ParsedQuestion:
    question: Question
    path: Path
    id_line: int
    number_line: int
    topics_line: int


def load_catalog(root: Path) -> Catalog:
    """Every pack under `root`; refuses to serve anything if any file is invalid."""
    packs, problems = check_root(root)
    if problems:
        raise ContentError(problems)
    return Catalog(packs)


def check_root(root: Path) -> tuple[list[Pack], list[ContentProblem]]:
    """Validate a content folder (a folder of packs) or a single pack folder."""
    if not root.is_dir():
        return [], [ContentProblem(root, 0, "no such content folder")]
    if (root / PACK_FILE).exists():
        folders = [root]
    else:
        try:
            folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError as exc:
            return [], [ContentProblem(root, 0, f"cannot list the folder: {exc.strerror or exc}")]
    packs: list[Pack] = []
    problems: list[ContentProblem] = []
    for folder in folders:
        pack, found = load_pack(folder)
        problems += found
        if pack is not None:
            packs.append(pack)
    if not folders:
        problems.append(ContentProblem(root, 0, f"no packs here (a pack has a {PACK_FILE})"))
    problems += _cross_pack_problems(packs, root)
    return packs, sorted(problems)


def load_pack(folder: Path) -> tuple[Pack | None, list[ContentProblem]]:
    pack_path = folder / PACK_FILE
    if not pack_path.is_file():
        return None, [ContentProblem(pack_path, 0, f"missing {PACK_FILE}")]
    text, problems = read_content_file(pack_path)
    meta: PackFile | None = None
    if text is not None:
        meta, problems = _validate_yaml(pack_path, text, 0, PackFile)
    if meta is not None and meta.id != folder.name:
        problems.append(
            ContentProblem(pack_path, 1, f"id `{meta.id}` must match folder `{folder.name}`")
        )
    files = sorted((folder / QUESTIONS_DIR).glob("*.md"))
    if not files:
        problems.append(ContentProblem(folder / QUESTIONS_DIR, 0, "no question files (*.md)"))
    pack_id = meta.id if meta else folder.name
    parsed: list[_ParsedQuestion] = []
    for path in files:
        item, found = _load_question(path, pack_id)
        problems += found
        if item is not None:
            parsed.append(item)
    if meta is not None:
        problems += _pack_problems(meta, pack_path, parsed, complete=len(parsed) == len(files))
    if meta is None or problems:
        return None, problems
    questions = tuple(sorted((p.question for p in parsed), key=lambda q: q.number))
    pack = Pack(
        id=meta.id,
        title=meta.title,
        command=meta.command,
        description=meta.description,
        topics=tuple(meta.topics),
        questions=questions,
    )
    return pack, problems


def _validate_yaml(
    path: Path, text: str, first_line: int, model: type[M]
) -> tuple[M | None, list[ContentProblem]]:
    """Validate YAML text that starts at 0-based `first_line` of `path`."""
    try:
        data, node = load_with_positions(text)
    except YamlSyntaxError as exc:
        return None, [ContentProblem(path, first_line + exc.line + 1, exc.describe(first_line))]
    if not isinstance(data, dict):
        return None, [ContentProblem(path, first_line + 1, "expected a mapping of fields")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [
            ContentProblem(
                path,
                first_line + line_of(node, err["loc"]) + 1,
                _describe(err),
            )
            for err in exc.errors()
        ]


def _describe(err: Any) -> str:
    field = ".".join(str(p) for p in err["loc"]) or "file"
    if field == "number":
        return f"`number` must be a whole number from 1 to {MAX_QUESTION_NUMBER}"
    if err["type"] == "extra_forbidden":
        return f"unknown field `{field}`"
    if err["type"] == "missing":
        return f"missing field `{field}`"
    return f"`{field}`: {err['msg']}"


def _load_question(path: Path, pack_id: str) -> tuple[_ParsedQuestion | None, list[ContentProblem]]:
    text, unreadable = read_content_file(path)
    if text is None:
        return None, unreadable
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None, [ContentProblem(path, 1, "must start with `---` and YAML front matter")]
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return None, [ContentProblem(path, 1, "front matter has no closing `---` line")]
    front_text = "\n".join(lines[1:end])
    meta, problems = _validate_yaml(path, front_text, 1, QuestionFrontMatter)
    prompt, answer, found_in_body = _split_body(path, lines, end + 1)
    problems += found_in_body
    if meta is None:
        return None, problems
    _, node = load_with_positions(front_text)
    for index, point in enumerate(meta.key_points):
        line = line_of(node, ["key_points", index, "point"]) + 2
        problems += inline_problems(path, point.point, line, f"key_points.{index}")
    problems += phrasing_problems(path, meta.key_points, node, 2)
    problems += inline_problems(path, meta.follow_up, line_of(node, ["follow_up"]) + 2, "follow_up")
    if problems:
        return None, problems
    question = Question(
        pack_id=pack_id,
        id=meta.id,
        number=meta.number,
        level=meta.level,
        topics=tuple(meta.topics),
        key_points=tuple(point.point for point in meta.key_points),
        follow_up=meta.follow_up,
        prompt=prompt,
        answer=answer,
        key_point_alternatives=alternatives(meta.key_points),
    )
    return _ParsedQuestion(
        question,
        path,
        id_line=line_of(node, ["id"]) + 2,
        number_line=line_of(node, ["number"]) + 2,
        topics_line=line_of(node, ["topics"]) + 2,
    ), []


def _split_body(path: Path, lines: list[str], start: int) -> tuple[str, str, list[ContentProblem]]:
    """The `## Question` and `## Answer` sections, with fence, code and Markdown checks."""
    sections: dict[str, list[str]] = {}
    numbers: dict[str, list[int]] = {}
    order: list[str] = []
    section_line: dict[str, int] = {}
    problems: list[ContentProblem] = []
    current: str | None = None
    fence_open_at: int | None = None
    fence_info = ""
    code: list[str] = []
    for index in range(start, len(lines)):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence:
            if fence_open_at is None:
                fence_open_at, fence_info, code = index, fence.group(1).strip(), []
            else:
                problems += _code_problems(path, fence_open_at, fence_info, code)
                fence_open_at = None
        elif fence_open_at is not None:
            code.append(line)
        elif heading := _SECTION.match(line):
            name = heading.group(1)
            if name not in ("Question", "Answer") or name in sections:
                problems.append(
                    ContentProblem(
                        path, index + 1, f"unexpected heading `## {name}`: only Question, Answer"
                    )
                )
            else:
                sections[name], numbers[name], current = [], [], name
                order.append(name)
                section_line[name] = index + 1
            continue
        if current is not None:
            sections[current].append(line)
            numbers[current].append(index + 1)
        elif line.strip():
            problems.append(ContentProblem(path, index + 1, "text before `## Question`"))
    if fence_open_at is not None:
        problems.append(ContentProblem(path, fence_open_at + 1, "code block is never closed"))
    for name in ("Question", "Answer"):
        if name not in sections:
            problems.append(ContentProblem(path, len(lines), f"missing `## {name}` section"))
        elif not "\n".join(sections[name]).strip():
            problems.append(ContentProblem(path, section_line[name], f"`## {name}` is empty"))
        else:
            section = Section(path, sections[name], numbers[name])
            answer_heading = section_line[name] if name == "Answer" else None
            problems += body_problems(section, answer_heading=answer_heading)
    if order == ["Answer", "Question"]:
        problems.append(ContentProblem(path, section_line["Answer"], "`## Answer` comes first"))
    prompt = "\n".join(sections.get("Question", [])).strip()
    answer = "\n".join(sections.get("Answer", [])).strip()
    return prompt, answer, problems


def _code_problems(path: Path, fence_at: int, info: str, code: list[str]) -> list[ContentProblem]:
    """Python blocks must at least compile; the line named is the offending line in the file."""
    if not info.split() or info.split()[0] not in ("python", "py"):
        return []
    try:
        # A fence indented in a list indents its code as well; Python sees it without that.
        compile(textwrap.dedent("\n".join(code)) + "\n", str(path), "exec")
    except SyntaxError as exc:
        line = fence_at + 1 + (exc.lineno or 1)
        return [ContentProblem(path, line, f"Python code does not compile: {exc.msg}")]
    return []


def _pack_problems(
    meta: PackFile, pack_path: Path, parsed: list[_ParsedQuestion], *, complete: bool
) -> list[ContentProblem]:
    """Problems across files; number gaps only when every file parsed, to avoid echoes."""
    problems: list[ContentProblem] = []
    allowed = set(meta.topics)
    seen_ids: dict[str, Path] = {}
    seen_numbers: dict[int, Path] = {}
    for item in parsed:
        q = item.question
        if q.id in seen_ids:
            problems.append(
                ContentProblem(item.path, item.id_line, f"id `{q.id}` also in {seen_ids[q.id]}")
            )
        seen_ids.setdefault(q.id, item.path)
        if q.number in seen_numbers:
            problems.append(
                ContentProblem(
                    item.path,
                    item.number_line,
                    f"number {q.number} also in {seen_numbers[q.number]}",
                )
            )
        seen_numbers.setdefault(q.number, item.path)
        unknown = [t for t in q.topics if t not in allowed]
        if unknown:
            problems.append(
                ContentProblem(
                    item.path,
                    item.topics_line,
                    f"topic(s) {', '.join(unknown)} not in {PACK_FILE} topics",
                )
            )
    if seen_numbers and complete:
        missing = _first_missing(seen_numbers, 10)
        if missing:
            listed = ", ".join(str(n) for n in missing)
            problems.append(
                ContentProblem(pack_path, 1, f"question numbers must run 1..N; missing {listed}")
            )
    return problems


def _first_missing(numbers: Iterable[int], limit: int) -> list[int]:
    """Up to `limit` gaps in 1..max, in time and memory that follow how many numbers there are."""
    missing: list[int] = []
    expected = 1
    for number in sorted(set(numbers)):
        while expected < number and len(missing) < limit:
            missing.append(expected)
            expected += 1
        if len(missing) == limit:
            break
        expected = number + 1
    return missing


def _cross_pack_problems(packs: list[Pack], root: Path) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    commands: dict[str, str] = {}
    for pack in packs:
        if pack.command in commands:
            problems.append(
                ContentProblem(
                    root / pack.id / PACK_FILE,
                    1,
                    f"command `{pack.command}` is also used by pack `{commands[pack.command]}`",
                )
            )
        commands.setdefault(pack.command, pack.id)
    return problems


__all__ = ["ContentError", "ContentProblem", "check_root", "load_catalog", "load_pack"]
