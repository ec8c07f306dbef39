"""exercise-04 end to end: reference, alternates and how BPTT mistakes are located, through the sandbox.

Every mutant's own check and words are in ``tests/mutants/exercise_04.toml``; ``test_every_exercise.py``
grades them all.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from conftest import ROOT, TESTS, check, graded
from grader.core import Options, grade
from grader.model import GradeReport
from grader.specs import get_exercise
from grader.specs.exercise_04 import GRAD_HINTS, KEYS, outputs
from mutation import load_mutants

EX = "exercise-04"
ALTERNATES = TESTS / "alternates" / "exercise_04"
REFERENCE = str(ROOT / "solutions" / "exercise_04_bptt.py")

MUTANTS = {m.name: m for m in load_mutants(EX)}


@pytest.fixture
def mutant(mutants: Callable[[str], dict[str, str]]) -> Callable[[str], GradeReport]:
    """``mutant(name)``: the report of one of this exercise's mutants (each graded once per session)."""
    return lambda name: graded(mutants(EX)[name], EX)


def test_reference_agrees_with_live_tensorflow():
    report = graded(REFERENCE, EX, keras="live")
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    against_tf = [d for c in report.checks for d in c.diagnoses if d.against == "keras"]
    assert len(against_tf) == 4 + 2 + 6 * 4 and all(d.ok for d in against_tf)
    assert "CPU" in report.equivalent.device or "GPU" in report.equivalent.device


def test_reference_gets_full_marks_on_hidden_cases():
    report = grade(ROOT / "solutions" / "exercise_04_bptt.py", get_exercise(EX), Options(keras="off", hidden_secret=11))
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    assert any("Hidden cases" in note for note in report.notes)


def test_every_mutant_says_what_it_changes_and_there_are_three_alternates():
    assert len(list(ALTERNATES.glob("*.py"))) >= 3
    assert len(MUTANTS) >= 10 and all(m.changes and m.when for m in MUTANTS.values())


def test_cases_follow_the_issue():
    for c in get_exercise(EX).checks:
        a = c.case().arrays
        batch, T, n_x = a["X"].shape
        n_h, n_o = a["W"].shape[0], a["V"].shape[0]
        assert len({n_x, n_h, n_o}) == 3 and batch >= 2 and T >= 4, c.name
        assert not np.allclose(a["W"], a["W"].T) and np.all(a["h0"] != 0), c.name
        assert np.all(a["y"].sum(axis=1) == 1) and set(np.unique(a["y"])) == {0.0, 1.0}, c.name
        assert np.max(np.abs(a["H_tanh"][1:])) < 0.999, c.name  # not saturated


def test_every_gradient_hint_describes_a_different_gradient():
    case = next(c for c in get_exercise(EX).checks if c.name == "grad_U").case()
    right = outputs(case)
    for hint in GRAD_HINTS:
        wrong = hint.variant(case)
        assert any(not np.allclose(wrong[f], right[f]) for f in hint.fields), hint.message


def test_the_wrong_parameter_is_named_with_its_relative_error(mutant):
    report = mutant("db_averaged_over_batch")
    failed = {c.name for c in report.checks if not c.passed}
    assert failed == {"grad_b", "fd_b"}
    text = check(report, "grad_b").message
    assert "The gradient of b (activation 'tanh', mode 'all')" in text and "relative error 0.5;" in text


@pytest.mark.parametrize("name, words", [
    ("no_carried_gradient", "counting back from T = 6, your carried gradient dL/dh_t diverges first at t = 4 "
                            "(it is correct at t = 5)"),
    ("w_not_transposed", "your carried gradient dL/dh_t diverges already at t = 5, the first step back"),
    ("derivative_from_previous_state", "the error enters at step 6 of your backward loop"),
    ("mode_last_ignored", "With tanh and mode 'last', counting back from T = 6, your carried gradient dL/dh_t diverges "
                          "first at t = 4"),
])
def test_the_first_step_where_the_carried_gradient_diverges_is_named(name, words, mutant):
    for key in ("U", "W", "b", "h0"):
        assert words in check(mutant(name), f"grad_{key}").message, key


@pytest.mark.parametrize("name, key", [("overwrite_not_accumulate", "U"), ("dw_uses_h_t", "W")])
def test_a_correct_carried_gradient_points_to_the_sums(name, key, mutant):
    text = check(mutant(name), f"grad_{key}").message
    assert "your carried gradient dL/dh_t is correct at every step" in text


def test_no_step_is_named_for_mistakes_the_carried_gradient_cannot_locate(mutant):
    for name in ("h0_grad_zero", "grads_averaged_over_time", "forward_ignores_h0"):
        assert "counting back from T" not in check(mutant(name), "grad_h0").message, name


def test_finite_differences_judge_the_backward_pass_against_the_students_own_forward_pass(mutant):
    report = mutant("forward_ignores_h0")  # the forward pass is wrong, but rnn_backward is consistent with it
    assert all(not check(report, f"grad_{k}").passed for k in KEYS)
    assert all(check(report, f"fd_{k}").passed for k in ("U", "W", "V", "b", "c"))
    text = check(report, "fd_h0").message
    assert "does not change at all when h0 changes" in text and "finite-difference estimate" in text
    loss_only = mutant("loss_averaged_over_time")  # rnn_backward is right, rnn_loss is not: they disagree
    assert check(loss_only, "grad_U").passed and not check(loss_only, "fd_U").passed
    assert "constant factor of about 6" in check(loss_only, "fd_U").message


def test_backward_mistakes_also_fail_the_finite_difference_check(mutant):
    for name, key in (("no_carried_gradient", "W"), ("w_not_transposed", "h0"), ("overwrite_not_accumulate", "U"),
                      ("tanh_derivative_for_sigmoid", "U"), ("output_gradient_sign_flipped", "V")):
        result = check(mutant(name), f"fd_{key}")
        assert not result.passed and "rnn_backward is not the derivative" in result.message, name


def test_partial_marks_keep_the_other_checks(mutant):
    report = mutant("tanh_derivative_for_sigmoid")
    assert all(check(report, n).passed for n in ("forward_values", "loss_all", "grad_V", "grad_c", "no_mutation"))
    assert "Also wrong: dU (sigmoid, last)" in check(report, "grad_U").message


def _claimed_failures(name: str) -> set[str]:
    """The checks that the mutant's ``changes`` / ``when`` (in ``tests/mutants/exercise_04.toml``) say must fail."""
    changes, when = MUTANTS[name].changes, MUTANTS[name].when
    out = {"forward_values"} if any(c.startswith("forward.") for c in changes) else set()
    if "loss" in changes:
        out |= {f"loss_{m}" for m in ("all", "last") if when in ("always", f"mode={m}")}
    out |= {f"grad_{c.split('.')[1]}" for c in changes if c.startswith("backward.")}
    return out | ({"no_mutation"} if any(c.startswith("inputs.") for c in changes) else set())


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_exactly_the_outputs_a_mutant_changes_fail(name, mutant):
    judged = {"forward_values", "loss_all", "loss_last", "no_mutation", *(f"grad_{k}" for k in KEYS)}
    failed = {c.name for c in mutant(name).checks if not c.passed} & judged
    assert failed == _claimed_failures(name)


def test_stored_equivalents_come_from_gradient_tape():
    assert "GradientTape" in graded(REFERENCE, EX).equivalent.library
