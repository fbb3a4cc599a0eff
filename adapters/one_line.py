"""Connection trouble in one log line: the platform libraries log every failed reconnect with a
full traceback, though the error's own text says all an operator can act on."""

from __future__ import annotations

import logging


class OneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record.args = None
            record.exc_info, record.exc_text = None, None
        return True


def one_line_errors(logger: logging.Logger) -> None:
    """Idempotent: a logger gets the filter once however often this is called."""
    if not any(isinstance(f, OneLine) for f in logger.filters):
        logger.addFilter(OneLine())
