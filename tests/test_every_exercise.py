"""What every exercise must satisfy: the reference earns full marks, the stub 0, every alternate full marks."""
from __future__ import annotations

import pytest

from conftest import TESTS, graded
from grader.specs import all_exercises

EXERCISES = all_exercises()
ALTERNATES = [(e.id, p) for e in EXERCISES for p in sorted((TESTS / "alternates" / e.id.replace("-", "_")).glob("*.py"))]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_reference_gets_full_marks(exercise):
    report = graded(str(exercise.reference), exercise.id)
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    assert report.score == report.max_score > 0
    assert report.equivalent.source == "stored"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_stub_gets_zero_and_a_friendly_report(exercise):
    report = graded(str(exercise.stub), exercise.id)
    assert report.score == 0
    assert report.nothing_implemented
    assert all("not implemented yet" in c.message for c in report.checks)


@pytest.mark.parametrize("exercise_id, path", ALTERNATES, ids=lambda v: getattr(v, "stem", v))
def test_alternative_correct_implementations_get_full_marks(exercise_id, path):
    report = graded(str(path), exercise_id)
    assert report.full_marks, [c.message for c in report.checks if not c.passed]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_exercise_has_alternates_and_mutants(exercise):
    folder = exercise.id.replace("-", "_")
    assert len(list((TESTS / "alternates" / folder).glob("*.py"))) >= 2
    assert len(list((TESTS / "mutants" / folder).glob("*.py"))) >= 10


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_checks_that_expect_a_raise_match_the_reference(exercise):
    """``Check.expect_raises`` is data the engine does not infer from: the reference must raise exactly that."""
    from grader.core import expected_outcomes

    checks = exercise.checks
    outcomes = expected_outcomes(exercise, checks, [c.case() for c in checks])
    for check in checks:
        outcome = outcomes[check.name]
        raised = outcome.error.type_name if outcome.status == "raised" and outcome.error else None
        if check.expect_raises:
            assert raised == check.expect_raises, check.name
        else:
            assert raised is None, f"{check.name}: the reference raised {raised} but the check does not expect it"
