"""Telling a failing database (disk full, lock timeout, lost connection) from a bug.

Either way the person gets a reply; a database failure is logged as one line with its cause,
because the cause (not our code) is what the operator has to act on.
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError


def is_storage_failure(exc: BaseException) -> bool:
    return isinstance(exc, SQLAlchemyError | OSError)


def cause_of(exc: BaseException) -> str:
    """The driver's own words, without the statement and parameters SQLAlchemy appends (they
    can hold what people wrote)."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    first = text[0] if text else ""
    return f"{type(original).__name__}: {first}" if first else type(original).__name__
