"""One matcher per installed pack, built once when the process starts."""

from __future__ import annotations

from bot.domain.content import Catalog, Question
from bot.domain.coverage import Coverage
from bot.matching.matcher import KeyPointMatcher


class CatalogMatcher:
    """Implements `AnswerMatcher` for every pack: each question is judged against its own
    pack's questions, which are what "is this answer about another question?" compares with."""

    def __init__(self, catalog: Catalog) -> None:
        self._by_pack = {pack.id: KeyPointMatcher(pack.questions) for pack in catalog.packs}
        for matcher in self._by_pack.values():
            matcher.load()

    def assess(self, question: Question, answer: str) -> Coverage:
        matcher = self._by_pack.get(question.pack_id)
        if matcher is None:  # a question built outside the catalog (tests): judged alone
            matcher = KeyPointMatcher([question])
        return matcher.assess(question, answer)
