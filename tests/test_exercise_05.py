"""exercise-05 end to end: reference, stub, alternates and realistic mistakes through the sandbox."""
from __future__ import annotations

import pytest

from conftest import ROOT, TESTS, check, full_text, graded

EX = "exercise-05"
REFERENCE = ROOT / "solutions" / "exercise_05_clipping.py"
MUTANTS = TESTS / "mutants" / "exercise_05"
ALTERNATES = TESTS / "alternates" / "exercise_05"

# mutant file -> (a check that must fail, words its diagnosis must contain)
MISTAKES = {
    "value_np_clip": ("value_min_above_max", "clip_by_value follows np.clip, which gives clip_value_max"),
    "value_in_place": ("value_no_mutation", "Your clip_by_value() modified t in place"),
    "norm_scales_up": ("norm_below", "scales a tensor whose norm is below clip_norm up to clip_norm"),
    "norm_zero_nan": ("norm_zero", "contains NaN (first at index (0, 0)) where a finite value was expected. An all-zero"),
    "norm_axes_ignored": ("norm_axes_rows", "axes is ignored: the norm is taken over the whole array"),
    "global_per_tensor": ("global_clip", "each array is clipped by its own norm"),
    "global_returns_clipped_norm": ("global_clip", "the norm returned is the norm after clipping"),
    "global_drops_none": ("global_none", "None at the same positions as the None entries of t_list (do not drop them)"),
    "global_inf_finite": ("global_inf", "your code turns the Inf into finite values"),
    "global_use_norm_ignored": ("global_use_norm", "use_norm is ignored"),
    "global_returns_list": ("global_returns_tuple", "it is 'list', but should be 'tuple'. Return the tuple (clipped, norm)"),
    "global_in_place": ("global_no_mutation", "Your clip_by_global_norm() modified t_list or one of its arrays in place"),
    "global_norm_no_sqrt": ("global_norm_basic", "global_norm returns the sum of squares: take its square root"),
}

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


def test_at_least_two_alternates_and_every_mistake_is_covered():
    assert len(list(ALTERNATES.glob("*.py"))) >= 2
    assert {p.stem for p in MUTANTS.glob("*.py")} == set(MISTAKES)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_realistic_mistake_loses_points_with_its_diagnosis(name):
    failing, words = MISTAKES[name]
    report = graded(str(MUTANTS / f"{name}.py"), EX)
    assert 0 < report.score < report.max_score
    result = check(report, failing)
    assert not result.passed and result.points == 0
    assert words in full_text(result), full_text(result)


def test_expected_nan_is_compared_as_nan():
    """TensorFlow's all-NaN output for an Inf gradient is expected; the reference matches it, zeros do not."""
    ref = check(graded(str(REFERENCE), EX), "global_inf")
    assert ref.passed and any(d.against == "keras" and d.ok for d in ref.diagnoses)
    wrong = check(graded(str(MUTANTS / "global_inf_finite.py"), EX), "global_inf")
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


def test_reference_total_is_25_points():
    assert graded(str(REFERENCE), EX).score == 25
