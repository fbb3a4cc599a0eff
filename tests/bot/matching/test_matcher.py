"""The answer matcher on real packaged questions: shared words alone never earn "Knew it"."""

from __future__ import annotations

import pytest

from bot.content.loader import load_catalog
from bot.content.locations import default_content_root
from bot.domain.content import Pack, Question
from bot.domain.coverage import AnswerMatcher, Coverage
from bot.domain.grades import Grade
from bot.matching import TUNINGS, KeyPointMatcher, suggest

STRONG = (
    "FastAPI is an ASGI framework for building APIs out of ordinary Python functions with type "
    "annotations. Starlette gives it routing, request and response classes, middleware and "
    "WebSocket support. Pydantic validates the incoming data and serialises what the handlers "
    "return. The type hints decide whether a parameter is read from the path, the query or the "
    "body, how it is converted, and what ends up in the OpenAPI schema. From that schema it "
    "serves interactive documentation at /docs and /redoc."
)
# Lifespan, said without the key points' words: "ahead of", "single time", "halves".
PARAPHRASE = (
    "You write one async generator function, wrap it as an async context manager and hand it to "
    "the app's lifespan argument. Whatever runs ahead of the yield happens a single time before "
    "the first request is served, and whatever follows it runs a single time when the server "
    "shuts down. Because both halves live in one function they share local variables, so the "
    "client you opened is right there to close."
)
# Every noun of the key points, joined into claims that are all false.
SALAD = (
    "Starlette validates the OpenAPI schema of Pydantic, type hints route /redoc into middleware, "
    "and the ASGI framework serialises WebSockets out of /docs for type-annotated Python functions."
)
TERM_LIST = "ASGI, Starlette, Pydantic, type hints, OpenAPI, /docs, /redoc, WebSockets, middleware"
# Correct, fluent, and about CORS: nothing to do with status codes.
OFF_TOPIC = (
    "Browsers apply the same-origin policy, so a page served from one origin cannot read "
    "responses from another unless the server opts in. You add CORSMiddleware with the list of "
    "allowed origins, and it answers the OPTIONS preflight requests on its own."
)
TERSE = "Put status_code=201 on the decorator; raise HTTPException(404) for errors."


@pytest.fixture(scope="module")
def pack() -> Pack:
    found = load_catalog(default_content_root()).pack("fastapi")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def matcher(pack: Pack) -> KeyPointMatcher:
    return KeyPointMatcher(pack.questions)


def question(pack: Pack, question_id: str) -> Question:
    found = pack.by_id(question_id)
    assert found is not None
    return found


def test_a_strong_answer_covers_every_point(matcher: KeyPointMatcher, pack: Pack) -> None:
    port: AnswerMatcher = matcher  # mypy checks that it fits the use cases' port
    coverage = port.assess(question(pack, "what-is-fastapi"), STRONG)
    assert coverage == Coverage((True, True, True, True, True), Grade.KNEW)


def test_a_paraphrase_in_other_words_counts(matcher: KeyPointMatcher, pack: Pack) -> None:
    coverage = matcher.assess(question(pack, "lifespan-events"), PARAPHRASE)
    assert coverage.covered[:3] == (True, True, True)
    assert coverage.suggested is Grade.KNEW


@pytest.mark.parametrize("text", [SALAD, TERM_LIST])
def test_keyword_salad_is_never_knew_it(matcher: KeyPointMatcher, pack: Pack, text: str) -> None:
    coverage = matcher.assess(question(pack, "what-is-fastapi"), text)
    assert coverage.suggested is not Grade.KNEW
    assert coverage.count <= 1


def test_an_answer_about_another_topic_is_never_knew_it(
    matcher: KeyPointMatcher, pack: Pack
) -> None:
    coverage = matcher.assess(question(pack, "custom-status-codes"), OFF_TOPIC)
    assert coverage.suggested is Grade.MISSED
    assert coverage.count == 0


def test_another_questions_strong_answer_is_not_knew_it(
    matcher: KeyPointMatcher, pack: Pack
) -> None:
    coverage = matcher.assess(question(pack, "asgi-vs-wsgi"), STRONG)
    assert coverage.suggested is not Grade.KNEW


def test_a_terse_partial_answer_is_partly(matcher: KeyPointMatcher, pack: Pack) -> None:
    coverage = matcher.assess(question(pack, "custom-status-codes"), TERSE)
    assert coverage.suggested is Grade.PARTLY
    assert coverage.covered[0] is True  # status_code= on the decorator
    assert coverage.covered[3] is True  # HTTPException for an error status


@pytest.mark.parametrize("text", ["", "   \n\t  ", "?!.;", "é" * 50])
def test_empty_or_wordless_input_is_missed(matcher: KeyPointMatcher, pack: Pack, text: str) -> None:
    q = question(pack, "what-is-fastapi")
    assert matcher.assess(q, text) == Coverage((False,) * len(q.key_points), Grade.MISSED)


def test_a_very_long_answer_is_read_and_answered(matcher: KeyPointMatcher, pack: Pack) -> None:
    q = question(pack, "what-is-fastapi")
    text = (STRONG + " ") * 25
    assert len(text) > 10_000
    coverage = matcher.assess(q, text)
    assert coverage.total == len(q.key_points)
    assert coverage.suggested is Grade.KNEW  # the first 4,000 characters hold the answer
    junk = "word " * 2_000 + STRONG  # the points only after the part that is read
    assert matcher.assess(q, junk).suggested is Grade.MISSED


def test_same_input_same_result_in_any_matcher(matcher: KeyPointMatcher, pack: Pack) -> None:
    q = question(pack, "custom-status-codes")
    first = [matcher.assess(q, t) for t in (TERSE, OFF_TOPIC, STRONG)]
    again = [matcher.assess(q, t) for t in (TERSE, OFF_TOPIC, STRONG)]
    fresh = KeyPointMatcher(reversed(pack.questions))
    assert first == again == [fresh.assess(q, t) for t in (TERSE, OFF_TOPIC, STRONG)]


def test_a_question_it_was_not_built_with_is_still_matched(pack: Pack) -> None:
    q = question(pack, "what-is-fastapi")
    matcher = KeyPointMatcher([])
    assert matcher.assess(q, STRONG).suggested is Grade.KNEW


def test_the_packaged_pack_carries_wordings_for_the_matcher(pack: Pack) -> None:
    with_wordings = [q for q in pack.questions if q.key_point_alternatives]
    assert len(with_wordings) >= 36
    for q in with_wordings:
        assert len(q.key_point_alternatives) == len(q.key_points)
        for wordings in q.key_point_alternatives:
            assert all(3 <= len(w) <= 200 for w in wordings)


@pytest.mark.parametrize(
    ("covered", "total", "grade"),
    [(0, 5, Grade.MISSED), (1, 5, Grade.PARTLY), (2, 5, Grade.PARTLY), (3, 5, Grade.KNEW),
     (3, 6, Grade.PARTLY), (4, 6, Grade.KNEW), (2, 3, Grade.KNEW), (0, 0, Grade.MISSED)],
)  # fmt: skip
def test_suggested_grade_follows_the_rubric(covered: int, total: int, grade: Grade) -> None:
    assert suggest(covered, total) is grade


def test_the_embedding_candidate_loads_offline_from_its_wheel(pack: Pack) -> None:
    matcher = KeyPointMatcher(pack.questions[:3], TUNINGS["embedding"])
    coverage = matcher.assess(question(pack, "what-is-fastapi"), STRONG)
    assert coverage.total == 5
    assert coverage.count >= 3
