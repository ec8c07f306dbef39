"""exercise-03 end to end: reference, stub, alternates and realistic mistakes through the sandbox."""
from __future__ import annotations

import pytest

from conftest import ROOT, TESTS, check, full_text, graded

EX = "exercise-03"
MUTANTS = TESTS / "mutants" / "exercise_03"

# mutant file -> (a check that must fail, words its diagnosis must contain)
MISTAKES = {
    "swapped_UW": ("forward_tanh", "U and W are not swapped"),
    "missing_b": ("isolate_b", "with U, W = 0 your h_t is act(0), expected act(b)"),
    "missing_c": ("isolate_c", "the output bias c is not added"),
    "output_from_previous_state": ("forward_tanh", "o_t uses h_{t-1} instead of h_t"),
    "softmax_wrong_axis": ("softmax_columns", "softmax is taken over the batch axis"),
    "unstable_softmax": ("softmax_large", "subtract each column's maximum"),
    "wrong_sigmoid": ("activate_sigmoid", "your sigmoid has the wrong sign"),
    "y_hat_not_set": ("forward_tanh", "Store softmax(o) in self.y_hat"),
    "returns_probabilities": ("forward_tanh", "returns probabilities instead of logits"),
    "loss_summed": ("loss", "summed over the batch instead of averaged"),
    "input_modified_in_place": ("no_mutation", "modified ht_1 in place"),
    "W_transposed": ("isolate_Wh", "W is transposed"),
    "build_typo": ("build", "you wrote self.build = True"),
    "activate_no_valueerror": ("activate_unknown", "ValueError was expected, but it returned normally"),
    "sigmoid_is_tanh": ("activate_sigmoid", "the tanh formula is used for the sigmoid"),
    "loss_no_minus": ("loss", "the minus sign is missing"),
    "call_dunder_missing": ("call_builds", "must return a tuple (o, ht)"),
    "wrong_bias_shape_build": ("build", "b [n_h, 1]"),
    "no_activation": ("forward_tanh", "the activation is not applied"),
    "loss_mean_all_elements": ("loss", "averaged over classes too"),
    "xt_not_transposed": ("forward_tanh", "multiplies x_t^T"),
    "build_uses_batch_dim": ("build", "['U'][1] is 2, but should be 5"),
    "rebuild_every_call": ("forward_tanh", "does not match the expected values"),
}


def test_reference_agrees_with_live_keras():
    report = graded(str(ROOT / "solutions" / "exercise_03_rnn_cell.py"), EX, keras="live")
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    keras_diagnoses = [d for c in report.checks for d in c.diagnoses if d.against == "keras"]
    assert len(keras_diagnoses) >= 20 and all(d.ok for d in keras_diagnoses)
    assert "CPU" in report.equivalent.device


def test_at_least_three_alternates_and_ten_mistakes_are_covered():
    assert len(list((TESTS / "alternates" / "exercise_03").glob("*.py"))) >= 3
    assert {p.stem for p in MUTANTS.glob("*.py")} == set(MISTAKES)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_realistic_mistake_loses_points_with_its_diagnosis(name):
    failing, words = MISTAKES[name]
    report = graded(str(MUTANTS / f"{name}.py"), EX)
    assert 0 < report.score < report.max_score or name in ("swapped_UW", "xt_not_transposed")
    result = check(report, failing)
    assert not result.passed and result.points == 0
    assert words in full_text(result), full_text(result)


def test_partial_marks_keep_other_checks():
    report = graded(str(MUTANTS / "missing_c.py"), EX)
    assert check(report, "activate_tanh").passed and check(report, "loss").passed
    assert not check(report, "isolate_c").passed


def test_hidden_cases_catch_hard_coded_answers(tmp_path):
    from grader.core import Options, expected_outcomes, grade
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
