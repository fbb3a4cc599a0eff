"""The serving process's garbage-collector settings (tests/conftest.py restores the defaults)."""

from __future__ import annotations

import gc

from bot.process_tuning import SERVING_THRESHOLDS, tune_for_serving


def test_start_up_objects_are_frozen_and_collections_are_rarer() -> None:
    assert gc.get_freeze_count() == 0
    tune_for_serving()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == SERVING_THRESHOLDS
