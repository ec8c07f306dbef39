"""Stored Keras/TensorFlow/scikit-learn values are regenerated live here; any drift fails."""
from __future__ import annotations

import numpy as np
import pytest

from grader.equivalents.store import compute_live, read_store
from grader.specs import all_exercises

WITH_EQUIVALENTS = [e for e in all_exercises() if e.equivalent is not None]


@pytest.mark.parametrize("exercise", WITH_EQUIVALENTS, ids=lambda e: e.id)
def test_stored_equivalents_match_a_live_regeneration(exercise):
    stored, info = read_store(exercise)
    live, live_info = compute_live(exercise, exercise.checks, [c.case() for c in exercise.checks])
    assert set(stored) == set(live) and stored
    for check, fields in live.items():
        assert set(stored[check]) == set(fields), check
        for field, value in fields.items():
            np.testing.assert_allclose(stored[check][field], value, rtol=1e-12, atol=1e-12, err_msg=f"{check}/{field}")
    assert info.library == live_info.library


@pytest.mark.parametrize("exercise", WITH_EQUIVALENTS, ids=lambda e: e.id)
def test_every_equivalent_field_is_stored(exercise):
    stored, _ = read_store(exercise)
    for check in exercise.checks:
        for field in check.equivalent_fields:
            assert field in stored.get(check.name, {}), f"{check.name}/{field}"
