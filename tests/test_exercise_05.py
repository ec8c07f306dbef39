"""exercise-05 end to end: reference, alternates, NaN/Inf, dtypes and a forged norm through the sandbox.

Every mutant's own check and words are in ``tests/mutants/exercise_05.toml``; ``test_every_exercise.py``
grades them all.
"""
from __future__ import annotations

from conftest import ROOT, TESTS, check, graded
from mutation import all_mutants

EX = "exercise-05"
REFERENCE = ROOT / "solutions" / "exercise_05_clipping.py"
ALTERNATES = TESTS / "alternates" / "exercise_05"

FORGED = '''
class ForgedFloat(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__

    def __abs__(self):
        return 0.0

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__


def global_norm(t_list):
    return ForgedFloat(0.5)
'''


def test_reference_agrees_with_live_tensorflow():
    report = graded(str(REFERENCE), EX, keras="live")
    assert report.full_marks, [c.message for c in report.checks if not c.passed]
    tf_diagnoses = [d for c in report.checks for d in c.diagnoses if d.against == "keras"]
    assert len(tf_diagnoses) >= 30 and all(d.ok for d in tf_diagnoses)
    assert "TensorFlow" in report.equivalent.library and "CPU" in report.equivalent.device


def test_at_least_two_alternates_and_every_function_has_mistakes():
    assert len(list(ALTERNATES.glob("*.py"))) >= 2
    names = [m.name for m in all_mutants(EX)]
    assert all(any(n.startswith(f) for n in names) for f in ("value_", "norm_", "global_norm_", "global_")), names


def test_expected_nan_is_compared_as_nan(mutants):
    """TensorFlow's all-NaN output for an Inf gradient is expected; the reference matches it, zeros do not."""
    ref = check(graded(str(REFERENCE), EX), "global_inf")
    assert ref.passed and any(d.against == "keras" and d.ok for d in ref.diagnoses)
    wrong = check(graded(mutants(EX)["global_inf_finite"], EX), "global_inf")
    assert "where nan was expected and yours is 0" in wrong.message
    assert "Likely cause: an Inf norm gives clip_norm / max(norm, clip_norm) = 0" in wrong.message


def test_float32_in_float32_out_is_checked(tmp_path):
    source = REFERENCE.read_text().replace("return clipped.astype(arr.dtype, copy=False)", "return clipped")
    upcast = tmp_path / "upcast.py"
    upcast.write_text(source)
    from grader.core import grade
    from grader.specs import get_exercise

    report = grade(upcast, get_exercise(EX))
    result = check(report, "norm_float32")
    assert not result.passed and "has dtype float64, but it should be float32" in result.message
    assert check(report, "norm_clips").passed


def test_forged_float_gets_no_marks_for_global_norm(tmp_path):
    forged = tmp_path / "forged_float.py"
    forged.write_text(REFERENCE.read_text() + FORGED)
    from grader.core import grade
    from grader.specs import get_exercise

    report = grade(forged, get_exercise(EX))
    for name in ("global_norm_basic", "global_norm_none", "global_norm_empty"):
        result = check(report, name)
        assert not result.passed, name
        assert "subclass of float" in result.message and "does not accept" in result.message, result.message
    for name in ("global_clip", "global_none", "global_below", "global_float32"):
        assert not check(report, name).passed, name
    assert check(report, "value_basic").passed


def test_reference_total_is_29_points():  # 25 + the four contract checks of issue 11
    assert graded(str(REFERENCE), EX).score == 29
