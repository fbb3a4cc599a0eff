"""Telling whoever shows a person's progress somewhere lasting (a Slack home) that it changed.

Listeners are called on the event loop right after the grade is committed; they must return at
once (schedule work, don't do it) and a failing one is logged, never the grade's problem.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.domain.context import Actor

log = logging.getLogger(__name__)

GradedListener = Callable[[Actor, str], None]  # who graded, in which pack


@dataclass
class GradedSignal:
    listeners: list[GradedListener] = field(default_factory=list)

    def connect(self, listener: GradedListener) -> None:
        self.listeners.append(listener)

    def notify(self, actor: Actor, pack_id: str) -> None:
        for listener in self.listeners:
            try:
                listener(actor, pack_id)
            except Exception:
                log.exception("A listener for grades failed; the grade is recorded")
