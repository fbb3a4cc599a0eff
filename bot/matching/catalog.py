"""One matcher per installed pack, built once per process, on the first answer to match."""

from __future__ import annotations

import threading

from bot.domain.content import Catalog, Question
from bot.domain.coverage import Coverage
from bot.matching.matcher import KeyPointMatcher


class CatalogMatcher:
    """Implements `AnswerMatcher` for every pack: each question is judged against its own
    pack's questions, which are what "is this answer about another question?" compares with.

    Built lazily: most processes (workers, `post-due`, a Slack web process nobody writes an
    answer to) never match anything, and should not pay for indexing every pack at start."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._by_pack: dict[str, KeyPointMatcher] = {}
        self._lock = threading.Lock()  # assess runs in worker threads

    def assess(self, question: Question, answer: str) -> Coverage:
        return self._for(question).assess(question, answer)

    def _for(self, question: Question) -> KeyPointMatcher:
        with self._lock:
            matcher = self._by_pack.get(question.pack_id)
            if matcher is None:
                pack = self._catalog.pack(question.pack_id)
                matcher = KeyPointMatcher(pack.questions if pack else [question])
                matcher.load()
                self._by_pack[question.pack_id] = matcher
            return matcher
