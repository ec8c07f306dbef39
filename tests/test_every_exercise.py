"""What every exercise must satisfy: the reference earns full marks, the stub 0, every alternate full marks,
and every mutant (``tests/mutants/``, see ``tests/mutation.py``) loses points with its diagnosis."""
from __future__ import annotations

import pytest

from conftest import TESTS, check, full_text, graded
from grader.specs import all_exercises
from mutation import all_mutants, undescribed_files

EXERCISES = all_exercises()
ALTERNATES = [(e.id, p) for e in EXERCISES for p in sorted((TESTS / "alternates" / e.id.replace("-", "_")).glob("*.py"))]
MUTANTS = [m for e in EXERCISES for m in all_mutants(e.id)]


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
    assert len(all_mutants(exercise.id)) >= 10
    assert not undescribed_files(exercise.id), "give each whole-file mutant a [[file]] entry in its TOML"


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"{m.exercise}-{m.name}")
def test_realistic_mistake_loses_points_with_its_diagnosis(mutant, mutants):
    """The mutant loses points, but (unless ``zero_ok``) not all; each expected check fails with its words."""
    report = graded(mutants(mutant.exercise)[mutant.name], mutant.exercise)
    assert report.score < report.max_score and (report.score > 0 or mutant.zero_ok), report.score
    for failing, words in mutant.expectations:
        result = check(report, failing)
        assert not result.passed and result.points == 0, failing
        assert words in full_text(result), full_text(result)
    for failing in mutant.fails:
        assert not check(report, failing).passed, failing


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_checks_that_expect_a_raise_match_the_reference(exercise):
    """``Check.expect_raises`` is data the engine does not infer from: the reference must raise exactly that."""
    from grader.keys.build import expected_outcomes

    checks = exercise.checks
    outcomes = expected_outcomes(exercise, checks, [c.case() for c in checks])
    for check in checks:
        outcome = outcomes[check.name]
        raised = outcome.error.type_name if outcome.status == "raised" and outcome.error else None
        if check.expect_raises:
            assert raised == check.expect_raises, check.name
        else:
            assert raised is None, f"{check.name}: the reference raised {raised} but the check does not expect it"
