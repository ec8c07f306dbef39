"""exercise-03 end to end: reference, alternates, partial marks and hidden cases through the sandbox.

Every mutant's own check and words are in ``tests/mutants/exercise_03.toml``; ``test_every_exercise.py``
grades them all.
"""
from __future__ import annotations

from conftest import ROOT, TESTS, check, graded
from mutation import all_mutants

EX = "exercise-03"


def test_reference_agrees_with_live_keras():
    report = graded(str(ROOT / "solutions" / "exercise_03_rnn_cell.py"), EX, keras="live")
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    keras_diagnoses = [d for c in report.checks for d in c.diagnoses if d.against == "keras"]
    assert len(keras_diagnoses) >= 20 and all(d.ok for d in keras_diagnoses)
    assert "CPU" in report.equivalent.device


def test_at_least_three_alternates_and_ten_mistakes_are_covered():
    assert len(list((TESTS / "alternates" / "exercise_03").glob("*.py"))) >= 3
    assert len(all_mutants(EX)) >= 10


def test_partial_marks_keep_other_checks(mutants):
    report = graded(mutants(EX)["missing_c"], EX)
    assert check(report, "activate_tanh").passed and check(report, "loss").passed
    assert not check(report, "isolate_c").passed


def test_hidden_cases_catch_hard_coded_answers(tmp_path):
    from grader.core import Options, grade
    from grader.keys.build import expected_outcomes
    from grader.specs import get_exercise

    exercise = get_exercise(EX)
    loss_check = next(c for c in exercise.checks if c.name == "loss")
    public = float(expected_outcomes(exercise, (loss_check,), [loss_check.case()])["loss"].values["loss"].data)
    source = (ROOT / "solutions" / "exercise_03_rnn_cell.py").read_text()
    source = source.replace("return float(-np.sum(y_true * np.log(y_hat)) / batch)", f"return {public!r}")
    cheat = tmp_path / "hard_coded.py"
    cheat.write_text(source)
    assert check(grade(cheat, exercise), "loss").passed  # passes the public case locally
    report = grade(cheat, exercise, Options(hidden_secret=20261127))
    result = check(report, "loss")
    assert not result.passed and "fails a hidden case" in result.message
    assert f"{public:.4g}" not in result.message  # no expected values of hidden cases are shown
    assert len(report.checks) == len(exercise.checks) and report.max_score == sum(c.points for c in exercise.checks)
