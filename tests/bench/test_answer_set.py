"""The labelled answer sets for answer practice (issue 15) keep the promises of their rubric.

A matcher will be scored against bench/answer_set/answers.yaml and, for the published figure, the
held-out bench/answer_set/holdout.yaml, so a typo in a question id, a key point index past the end,
a question whose answers leak into both splits, or a held-out question that the development set
already uses would quietly skew every figure measured on them. Each check below returns its
problems; the real sets must have none, and a deliberately broken copy must trip each check, so the
checks are known to bite.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.content.loader import load_catalog
from bot.content.locations import default_content_root
from bot.domain.content import Level, Question

ANSWER_SET = Path(__file__).resolve().parents[2] / "bench" / "answer_set"
ANSWERS = ANSWER_SET / "answers.yaml"
# Written and labelled after development, on questions answers.yaml does not use (RUBRIC.md).
HOLDOUT = ANSWER_SET / "holdout.yaml"
HOLDOUT_SPLIT = "holdout"
HOLDOUT_QUESTIONS = 20
ANSWERS_PER_HOLDOUT_QUESTION = 4
HOLDOUT_MIN_PER_KIND = 7
# Written on 2026-12-02, blind, on the 14 questions neither other set uses; measured once.
FRESH = ANSWER_SET / "fresh.yaml"
FRESH_SPLIT = "fresh"
FRESH_QUESTIONS = 14
ANSWERS_PER_FRESH_QUESTION = 5
FRESH_MIN_PER_KIND = 8
KINDS = ("strong", "paraphrase", "partial", "terse", "wrong", "off-topic", "salad", "confused")
LABELS = ("knew", "partly", "missed")
SPLITS = ("tune", "report")
FIELDS = ("id", "question", "kind", "label", "covered", "split", "text")
# Label share the set was built to (RUBRIC.md section 6), as inclusive fractions.
LABEL_SHARE = {"knew": (0.35, 0.45), "partly": (0.25, 0.35), "missed": (0.25, 0.35)}
# Which labels each kind may carry (RUBRIC.md section 4).
KIND_LABELS = {
    "strong": {"knew"},
    "paraphrase": {"knew", "partly"},
    "partial": {"partly"},
    "terse": set(LABELS),
    "wrong": {"missed"},
    "off-topic": {"missed"},
    "salad": {"missed"},
    "confused": {"partly", "missed"},
}
SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z`(\"]|\s*$)")


@dataclass(frozen=True)
class Answer:
    id: str
    question: str
    kind: str
    label: str
    covered: tuple[int, ...]
    split: str
    text: str


def load_answers(path: Path) -> list[Answer]:
    """Read answers.yaml into typed entries; a missing, extra or mistyped field is an error."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]
    answers = []
    for index, entry in enumerate(entries):
        where = entry.get("id", f"entry {index + 1}") if isinstance(entry, dict) else index + 1
        if not isinstance(entry, dict) or tuple(entry) != FIELDS:
            raise ValueError(f"{where}: fields must be exactly {', '.join(FIELDS)} in that order")
        covered = entry["covered"]
        if not isinstance(covered, list) or not all(type(i) is int for i in covered):
            raise ValueError(f"{where}: covered must be a list of whole numbers")
        strings = [entry[f] for f in FIELDS if f != "covered"]
        if not all(isinstance(s, str) and s.strip() for s in strings):
            raise ValueError(f"{where}: every field but covered must be a non-empty string")
        answers.append(Answer(**{**entry, "covered": tuple(covered)}))
    return answers


def threshold(points: int) -> int:
    """Covered points needed for `knew` (RUBRIC.md section 3): 3 of 4, 3 of 5, 4 of 6."""
    return math.ceil(0.6 * points)


Questions = dict[str, Question]
Check = Callable[[list[Answer], Questions], list[str]]


def _id_problems(answers: list[Answer], prefix: str) -> list[str]:
    expected = [f"{prefix}{n}" for n in range(1, len(answers) + 1)]
    if [a.id for a in answers] != expected:
        return [f"ids must run {prefix}1, {prefix}2, ... in file order, each once"]
    return []


def check_ids(answers: list[Answer], questions: Questions) -> list[str]:
    problems = [f"{len(answers)} answers, want at least 128"] if len(answers) < 128 else []
    return problems + _id_problems(answers, "a")


def check_holdout_ids(answers: list[Answer], questions: Questions) -> list[str]:
    want = HOLDOUT_QUESTIONS * ANSWERS_PER_HOLDOUT_QUESTION
    problems = [f"{len(answers)} answers, want exactly {want}"] if len(answers) != want else []
    return problems + _id_problems(answers, "h")


def check_questions_exist(answers: list[Answer], questions: Questions) -> list[str]:
    return [
        f"{a.id}: no question `{a.question}` in the pack"
        for a in answers
        if a.question not in questions
    ]


def check_covered(answers: list[Answer], questions: Questions) -> list[str]:
    problems = []
    for a in answers:
        points = len(questions[a.question].key_points) if a.question in questions else 0
        if list(a.covered) != sorted(set(a.covered)):
            problems.append(f"{a.id}: covered must be ascending without repeats")
        if any(not 1 <= i <= points for i in a.covered):
            problems.append(f"{a.id}: covered {list(a.covered)} outside 1..{points}")
    return problems


def _vocabulary_problems(answers: list[Answer], splits: Collection[str]) -> list[str]:
    return [
        f"{a.id}: {field} `{value}` not one of {', '.join(allowed)}"
        for a in answers
        for field, value, allowed in (
            ("kind", a.kind, KINDS),
            ("label", a.label, LABELS),
            ("split", a.split, splits),
        )
        if value not in allowed
    ]


def check_vocabularies(answers: list[Answer], questions: Questions) -> list[str]:
    return _vocabulary_problems(answers, SPLITS)


def check_holdout_vocabularies(answers: list[Answer], questions: Questions) -> list[str]:
    return _vocabulary_problems(answers, (HOLDOUT_SPLIT,))


def _kind_shortfalls(answers: list[Answer], minimum: int) -> list[str]:
    counts = Counter(a.kind for a in answers)
    return [
        f"{counts[k]} `{k}` answers, want at least {minimum}" for k in KINDS if counts[k] < minimum
    ]


def check_kind_counts(answers: list[Answer], questions: Questions) -> list[str]:
    return _kind_shortfalls(answers, 10)


def check_holdout_kind_counts(answers: list[Answer], questions: Questions) -> list[str]:
    return _kind_shortfalls(answers, HOLDOUT_MIN_PER_KIND)


def check_levels(answers: list[Answer], questions: Questions) -> list[str]:
    """At least 32 questions, each level's share within 10 points of its share of the pack."""
    used = {a.question for a in answers if a.question in questions}
    problems = [f"{len(used)} questions, want at least 32"] if len(used) < 32 else []
    in_pack = Counter(q.level for q in questions.values())
    in_set = Counter(questions[q].level for q in used)
    for level in Level:
        pack_share = in_pack[level] / len(questions)
        set_share = in_set[level] / max(len(used), 1)
        if abs(set_share - pack_share) > 0.10:
            problems.append(
                f"{level}: {set_share:.0%} of the set's questions, pack has {pack_share:.0%}"
            )
    return problems


@functools.cache
def _development_questions() -> frozenset[str]:
    """Questions answers.yaml uses: a matcher has been developed against their answers."""
    return frozenset(a.question for a in load_answers(ANSWERS))


def check_holdout_questions(answers: list[Answer], questions: Questions) -> list[str]:
    """Held-out questions are new to development, twenty of them with four answers each."""
    seen = _development_questions()
    problems = [
        f"{a.id}: `{a.question}` is already in answers.yaml" for a in answers if a.question in seen
    ]
    per_question = Counter(a.question for a in answers)
    if len(per_question) != HOLDOUT_QUESTIONS:
        problems.append(f"{len(per_question)} questions, want {HOLDOUT_QUESTIONS}")
    problems += [
        f"`{q}` has {n} answers, want {ANSWERS_PER_HOLDOUT_QUESTION}"
        for q, n in per_question.items()
        if n != ANSWERS_PER_HOLDOUT_QUESTION
    ]
    return problems


def check_fresh_ids(answers: list[Answer], questions: Questions) -> list[str]:
    want = FRESH_QUESTIONS * ANSWERS_PER_FRESH_QUESTION
    problems = [f"{len(answers)} answers, want exactly {want}"] if len(answers) != want else []
    return problems + _id_problems(answers, "f")


def check_fresh_questions(answers: list[Answer], questions: Questions) -> list[str]:
    """Fresh questions are in neither earlier set: five answers to each of fourteen."""
    seen = _development_questions() | {a.question for a in load_answers(HOLDOUT)}
    problems = [
        f"{a.id}: `{a.question}` is in an earlier set" for a in answers if a.question in seen
    ]
    per_question = Counter(a.question for a in answers)
    if len(per_question) != FRESH_QUESTIONS:
        problems.append(f"{len(per_question)} questions, want {FRESH_QUESTIONS}")
    problems += [
        f"`{q}` has {n} answers, want {ANSWERS_PER_FRESH_QUESTION}"
        for q, n in per_question.items()
        if n != ANSWERS_PER_FRESH_QUESTION
    ]
    return problems


def check_fresh_vocabularies(answers: list[Answer], questions: Questions) -> list[str]:
    return _vocabulary_problems(answers, (FRESH_SPLIT,))


def check_fresh_kind_counts(answers: list[Answer], questions: Questions) -> list[str]:
    return _kind_shortfalls(answers, FRESH_MIN_PER_KIND)


def check_holdout_levels(answers: list[Answer], questions: Questions) -> list[str]:
    """Each level's share of the held-out questions is within 10 points of its share of the pool
    they were drawn from: the pack's questions that answers.yaml does not use."""
    pool = [q for q in questions.values() if q.id not in _development_questions()]
    used = {a.question for a in answers if a.question in questions}
    in_pool = Counter(q.level for q in pool)
    in_set = Counter(questions[q].level for q in used)
    problems = []
    for level in Level:
        pool_share = in_pool[level] / max(len(pool), 1)
        set_share = in_set[level] / max(len(used), 1)
        if abs(set_share - pool_share) > 0.10:
            problems.append(
                f"{level}: {set_share:.0%} of the held-out questions, pool has {pool_share:.0%}"
            )
    return problems


def check_split(answers: list[Answer], questions: Questions) -> list[str]:
    sides: dict[str, set[str]] = {}
    for a in answers:
        sides.setdefault(a.question, set()).add(a.split)
    problems = [f"`{q}` has answers in both splits" for q, s in sides.items() if len(s) > 1]
    for split in SPLITS:
        mine = [a for a in answers if a.split == split]
        if not 0.4 <= len(mine) / len(answers) <= 0.6:
            problems.append(f"{split} holds {len(mine)} of {len(answers)} answers, want about half")
        problems += [
            f"{split} has no `{k}` answer" for k in KINDS if k not in {a.kind for a in mine}
        ]
        problems += [
            f"{split} has no `{x}` label" for x in LABELS if x not in {a.label for a in mine}
        ]
    return problems


def check_label_balance(answers: list[Answer], questions: Questions) -> list[str]:
    counts = Counter(a.label for a in answers)
    problems = []
    for label, (low, high) in LABEL_SHARE.items():
        share = counts[label] / len(answers)
        if not low <= share <= high:
            problems.append(f"`{label}` is {share:.0%} of the set, want {low:.0%}-{high:.0%}")
    return problems


def check_rubric(answers: list[Answer], questions: Questions) -> list[str]:
    """What RUBRIC.md fixes mechanically: labels a kind allows, and the coverage threshold."""
    problems = []
    for a in answers:
        if a.label not in KIND_LABELS.get(a.kind, set(LABELS)):
            problems.append(f"{a.id}: a `{a.kind}` answer cannot be `{a.label}`")
        if a.kind in ("salad", "off-topic") and a.covered:
            problems.append(f"{a.id}: a `{a.kind}` answer covers no key point")
        if a.question not in questions:
            continue
        needed = threshold(len(questions[a.question].key_points))
        if a.label == "knew" and len(a.covered) < needed:
            problems.append(f"{a.id}: `knew` needs {needed} covered points, has {len(a.covered)}")
        if a.label == "partly" and not a.covered:
            problems.append(f"{a.id}: `partly` needs at least one covered point")
    return problems


def check_text_shape(answers: list[Answer], questions: Questions) -> list[str]:
    """Plain prose of 1-8 sentences; a terse answer is one sentence of at most 25 words."""
    problems = []
    for a in answers:
        sentences = len(SENTENCE_END.findall(a.text)) or 1
        if "\n" in a.text.strip() or sentences > 8:
            problems.append(f"{a.id}: text must be one paragraph of 1-8 sentences")
        if a.kind == "terse" and (sentences > 1 or len(a.text.split()) > 25):
            problems.append(f"{a.id}: a terse answer is one line of at most 25 words")
    return problems


CHECKS: list[Check] = [
    check_ids,
    check_questions_exist,
    check_covered,
    check_vocabularies,
    check_kind_counts,
    check_levels,
    check_split,
    check_label_balance,
    check_rubric,
    check_text_shape,
]


HOLDOUT_CHECKS: list[Check] = [
    check_holdout_ids,
    check_questions_exist,
    check_holdout_questions,
    check_covered,
    check_holdout_vocabularies,
    check_holdout_kind_counts,
    check_holdout_levels,
    check_label_balance,
    check_rubric,
    check_text_shape,
]


FRESH_CHECKS: list[Check] = [
    check_fresh_ids,
    check_questions_exist,
    check_fresh_questions,
    check_covered,
    check_fresh_vocabularies,
    check_fresh_kind_counts,
    check_rubric,
    check_text_shape,
]


@pytest.fixture(scope="module")
def questions() -> Questions:
    pack = load_catalog(default_content_root()).pack("fastapi")
    assert pack is not None
    return {q.id: q for q in pack.questions}


@pytest.fixture(scope="module")
def answers() -> list[Answer]:
    return load_answers(ANSWERS)


@pytest.fixture(scope="module")
def holdout() -> list[Answer]:
    return load_answers(HOLDOUT)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_answer_set_passes(check: Check, answers: list[Answer], questions: Questions) -> None:
    assert check(answers, questions) == []


@pytest.mark.parametrize("check", HOLDOUT_CHECKS, ids=lambda c: c.__name__)
def test_holdout_set_passes(check: Check, holdout: list[Answer], questions: Questions) -> None:
    assert check(holdout, questions) == []


@pytest.mark.parametrize("check", FRESH_CHECKS, ids=lambda c: c.__name__)
def test_fresh_set_passes(check: Check, questions: Questions) -> None:
    assert check(load_answers(FRESH), questions) == []


def _first(answers: list[Answer], **match: str) -> int:
    return next(
        i for i, a in enumerate(answers) if all(getattr(a, k) == v for k, v in match.items())
    )


def _break_one(answers: list[Answer], index: int, **changes: object) -> list[Answer]:
    broken = list(answers)
    broken[index] = dataclasses.replace(broken[index], **changes)
    return broken


def _leak_split(answers: list[Answer], questions: Questions) -> list[Answer]:
    """Send one answer to the other side from the rest of its question's answers."""
    flip = {"tune": "report", "report": "tune"}
    return _break_one(answers, 0, split=flip[answers[0].split])


def _drop_kind_from_a_side(answers: list[Answer], questions: Questions) -> list[Answer]:
    side = answers[_first(answers, kind="salad")].split
    return [a for a in answers if not (a.kind == "salad" and a.split == side)]


def _tilt_levels(answers: list[Answer], questions: Questions) -> list[Answer]:
    """Move every senior question's answers onto junior questions the set does not use yet."""
    used = {a.question for a in answers}
    spare = iter(q for q in questions.values() if q.level is Level.JUNIOR and q.id not in used)
    moved: dict[str, str] = {}
    for a in answers:
        if questions[a.question].level is Level.SENIOR and a.question not in moved:
            moved[a.question] = next(spare, questions[a.question]).id
    return [dataclasses.replace(a, question=moved.get(a.question, a.question)) for a in answers]


Breakage = Callable[[list[Answer], Questions], list[Answer]]
BREAKAGES: dict[str, tuple[Check, Breakage]] = {
    "duplicate id": (check_ids, lambda a, q: _break_one(a, 1, id="a1")),
    "too few answers": (check_ids, lambda a, q: a[:100]),
    "unknown question": (check_questions_exist, lambda a, q: _break_one(a, 0, question="nope")),
    "point past the end": (check_covered, lambda a, q: _break_one(a, 0, covered=(1, 9))),
    "unknown kind": (check_vocabularies, lambda a, q: _break_one(a, 0, kind="clever")),
    "unknown split": (check_vocabularies, lambda a, q: _break_one(a, 0, split="test")),
    "too few of a kind": (check_kind_counts, lambda a, q: [x for x in a if x.kind != "salad"]),
    "levels out of proportion": (check_levels, _tilt_levels),
    "question on both sides": (check_split, _leak_split),
    "side lacks a kind": (check_split, _drop_kind_from_a_side),
    "labels skewed": (check_label_balance, lambda a, q: [x for x in a if x.label != "missed"]),
    "knew salad": (check_rubric, lambda a, q: _break_one(a, _first(a, kind="salad"), label="knew")),
    "off-topic covers": (
        check_rubric,
        lambda a, q: _break_one(a, _first(a, kind="off-topic"), covered=(1,)),
    ),
    "knew below threshold": (
        check_rubric,
        lambda a, q: _break_one(a, _first(a, kind="strong"), covered=(1,)),
    ),
    "long terse": (
        check_text_shape,
        lambda a, q: _break_one(a, _first(a, kind="terse"), text="word " * 30 + "end."),
    ),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_each_check_catches_its_breakage(
    name: str, answers: list[Answer], questions: Questions
) -> None:
    check, breakage = BREAKAGES[name]
    assert check(answers, questions) == []  # the untouched set passes this check...
    assert check(breakage(answers, questions), questions) != []  # ...and the broken copy fails it


def _reuse_a_development_question(answers: list[Answer], questions: Questions) -> list[Answer]:
    """Point the first held-out question's answers at a question answers.yaml already uses."""
    taken = sorted(_development_questions())[0]
    first = answers[0].question
    return [dataclasses.replace(a, question=taken) if a.question == first else a for a in answers]


def _only_senior_questions(answers: list[Answer], questions: Questions) -> list[Answer]:
    """Move every junior and mid question's answers onto spare senior questions of the pool."""
    used = {a.question for a in answers} | _development_questions()
    spare = iter(q.id for q in questions.values() if q.level is Level.SENIOR and q.id not in used)
    moved: dict[str, str] = {}
    for a in answers:
        if questions[a.question].level is not Level.SENIOR and a.question not in moved:
            moved[a.question] = next(spare, a.question)
    return [dataclasses.replace(a, question=moved.get(a.question, a.question)) for a in answers]


HOLDOUT_BREAKAGES: dict[str, tuple[Check, Breakage]] = {
    "duplicate id": (check_holdout_ids, lambda a, q: _break_one(a, 1, id="h1")),
    "development-style id": (check_holdout_ids, lambda a, q: _break_one(a, 0, id="a1")),
    "one answer short": (check_holdout_ids, lambda a, q: a[:-1]),
    "question used in development": (check_holdout_questions, _reuse_a_development_question),
    "question with five answers": (
        check_holdout_questions,
        lambda a, q: _break_one(a, 0, question=a[4].question),
    ),
    "development split": (check_holdout_vocabularies, lambda a, q: _break_one(a, 0, split="tune")),
    "too few of a kind": (
        check_holdout_kind_counts,
        lambda a, q: [x for x in a if x.kind != "salad"],
    ),
    "levels out of proportion": (check_holdout_levels, _only_senior_questions),
    "knew below threshold": (
        check_rubric,
        lambda a, q: _break_one(a, _first(a, kind="strong"), covered=(1,)),
    ),
    "covering salad": (
        check_rubric,
        lambda a, q: _break_one(a, _first(a, kind="salad"), covered=(1,)),
    ),
}


@pytest.mark.parametrize("name", HOLDOUT_BREAKAGES)
def test_each_holdout_check_catches_its_breakage(
    name: str, holdout: list[Answer], questions: Questions
) -> None:
    check, breakage = HOLDOUT_BREAKAGES[name]
    assert check(holdout, questions) == []  # the untouched held-out set passes this check...
    assert check(breakage(holdout, questions), questions) != []  # ...and the broken copy fails it


def test_loader_refuses_a_mistyped_entry(tmp_path: Path) -> None:
    entry = dict.fromkeys(FIELDS, "x") | {"covered": "1, 2"}
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({"answers": [entry]}, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValueError, match="covered must be a list"):
        load_answers(path)
