"""exercise-06 end to end: TensorFlow agreement, the matrices of the cases, hidden cases, the regime diagnosis and
the notebook's ungraded plot cell.

Every mutant's own check and words are in ``tests/mutants/exercise_06.toml``; ``test_every_exercise.py``
grades them all.
"""
from __future__ import annotations

import json

import numpy as np

from conftest import ROOT, TESTS, check, graded
from mutation import all_mutants

EX = "exercise-06"
REFERENCE = ROOT / "solutions" / "exercise_06_gradient_flow.py"


def test_reference_agrees_with_live_tensorflow():
    report = graded(str(REFERENCE), EX, keras="live")
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    tf_diagnoses = [d for c in report.checks for d in c.diagnoses if d.against == "keras"]
    assert len(tf_diagnoses) == 11 and all(d.ok for d in tf_diagnoses)
    assert "GradientTape" in report.equivalent.library and "CPU" in report.equivalent.device


def test_reference_total_and_every_function_has_mistakes():
    report = graded(str(REFERENCE), EX)
    assert (report.score, len(report.checks)) == (14, 11)
    names = [m.name for m in all_mutants(EX)]
    assert all(any(n.startswith(f) for n in names) for f in ("power_", "radius_", "regime_", "jacobian_")), names
    assert len(list((TESTS / "alternates" / "exercise_06").glob("*.py"))) >= 2


def test_the_cases_cover_the_issue_s_matrices():
    from grader.specs.exercise_06 import BAND_TOL, matrices

    m = matrices(606)
    eig = {name: np.linalg.eigvals(w) for name, w in m.items()}
    assert np.any(np.abs(eig["W"].imag) > 0.1) and not np.allclose(m["W"], m["W"].T)
    assert np.allclose(m["symmetric"], m["symmetric"].T)
    assert np.allclose(np.abs(eig["rotation"]), 1.0)
    assert np.argmax(np.abs(eig["negative"])) == np.argmin(eig["negative"].real) and eig["negative"].real.min() < -1
    assert np.array_equal(m["ones"], np.ones((2, 2))) and np.allclose(m["ones_04"], 0.4)
    assert abs(np.max(np.abs(eig["just_above"])) - 1) < BAND_TOL < abs(np.max(np.abs(eig["above"])) - 1)


def test_a_one_step_sequence_gives_two_entries_ending_in_one():
    result = check(graded(str(REFERENCE), EX), "jacobian_one_step")
    assert result.passed and {d.field for d in result.diagnoses} >= {"norms tanh", "last entry sigmoid"}


def test_hidden_cases_are_passed_by_the_reference_and_caught_for_a_hard_coded_radius(tmp_path):
    from grader.core import Options, grade
    from grader.specs import get_exercise

    from grader.specs.exercise_06 import matrices

    exercise = get_exercise(EX)
    assert grade(REFERENCE, exercise, Options(hidden_secret=7)).full_marks
    public = float(np.max(np.abs(np.linalg.eigvals(matrices(603)["W"]))))
    cheat = tmp_path / "hard_coded.py"
    cheat.write_text(REFERENCE.read_text() + f"\n\ndef spectral_radius(W):\n    return {public!r}\n")
    assert check(grade(cheat, exercise), "radius_nonsymmetric").passed
    report = grade(cheat, exercise, Options(hidden_secret=7))
    result = check(report, "radius_nonsymmetric")
    assert not result.passed and "fails a hidden case" in result.message


def test_a_correct_regime_gets_no_likely_cause_and_a_swapped_one_is_named():
    from grader.explainers import explain_sentence
    from grader.model import Value
    from grader.specs.exercise_06 import CHECKS

    band = next(c for c in CHECKS if c.name == "regime_band")
    case = band.case()
    right = {f"regime {n}": Value("str", "str", text=t) for n, t in
             zip(case.params["matrices"], ("exploding", "stable", "stable", "vanishing"))}
    assert explain_sentence(band.explain, case, right, right) is None
    swapped = {**right, "regime above": Value("str", "str", text="vanishing"),
               "regime below": Value("str", "str", text="exploding")}
    assert "swapped" in (explain_sentence(band.explain, case, swapped, right) or "")


def _notebook(cells: list[str]) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "source": s, "outputs": [],
                                  "execution_count": None} for s in cells], "metadata": {}, "nbformat": 4,
                       "nbformat_minor": 5})


def test_the_ungraded_plot_cell_of_a_notebook_is_left_out(tmp_path):
    from grader.core import grade
    from grader.specs import get_exercise

    plot = ("# ungraded: the chapter's plot\nimport matplotlib_is_not_installed_here as plt\n"
            "plt.semilogy(power_norms(np.ones([2, 2]), 30))\n")
    notebook = tmp_path / "exercise-06.ipynb"
    notebook.write_text(_notebook([REFERENCE.read_text(), plot]))
    assert grade(notebook, get_exercise(EX)).full_marks
    notebook.write_text(_notebook([REFERENCE.read_text(), plot.replace("# ungraded: the chapter's plot\n", "")]))
    report = grade(notebook, get_exercise(EX))
    assert report.score == 0 and "could not be imported" in report.checks[0].message


def test_grading_exercise_06_does_not_import_tensorflow():
    import subprocess
    import sys

    code = ("import sys\nfrom grader.core import grade\nfrom grader.specs import get_exercise\n"
            f"assert grade({str(REFERENCE)!r}, get_exercise({EX!r})).full_marks\n"
            "print([m for m in ('tensorflow', 'keras', 'sklearn') if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"
