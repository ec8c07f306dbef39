"""The pure comparison function: each diagnosis kind, on plain arrays."""
from __future__ import annotations

import numpy as np

from grader.compare import compare
from grader.model import Value
from grader.spec import Field

F = Field("o", "o (the logits)")


def arr(x, dtype="float64") -> Value:
    a = np.asarray(x, dtype=dtype)
    return Value("array", "numpy.ndarray", dtype=str(a.dtype), data=a.astype(np.float64))


E = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])


def test_equal_within_float32_tolerance_passes():
    assert compare(F, arr(E.astype(np.float32), "float32"), arr(E)).ok


def test_shape_mismatch_names_both_shapes_and_transposition():
    d = compare(F, arr(E.T), arr(E))
    assert not d.ok and d.kind == "shape" and "(3, 2)" in d.message and "(2, 3)" in d.message
    assert d.likely_cause == "the result is transposed"


def test_dtype_is_checked():
    d = compare(F, arr(E, "int64"), arr(E))
    assert d.kind == "dtype" and "int64" in d.message


def test_nan_is_reported_with_index():
    bad = E.copy()
    bad[1, 2] = np.nan
    d = compare(F, arr(bad), arr(E))
    assert d.kind == "nonfinite" and "NaN" in d.message and "(1, 2)" in d.message


def test_value_error_reports_worst_index_errors_and_tolerance():
    got = E.copy()
    got[0, 2] += 0.5
    d = compare(F, arr(got), arr(E))
    assert d.kind == "value" and d.worst_index == (0, 2)
    assert abs(d.max_abs_err - 0.5) < 1e-12 and abs(d.max_rel_err - 0.25) < 1e-12
    assert "atol=1e-05" in d.message and d.excerpt is not None and (0, 2) in d.excerpt.indices


def test_sign_flip_scale_and_offset_are_recognised():
    assert "sign is flipped" in compare(F, arr(-E), arr(E)).likely_cause
    assert "constant factor of about 2" in compare(F, arr(2 * E), arr(E)).likely_cause
    assert "off by the same constant" in compare(F, arr(E + 0.3), arr(E)).likely_cause


def test_square_transpose_is_recognised():
    sq = np.array([[1.0, 2.0], [3.0, 4.5]])
    assert compare(F, arr(sq.T), arr(sq)).likely_cause == "the result is transposed"


def test_reverse_order_is_recognised():
    seq = np.arange(12.0).reshape(4, 3) ** 1.5
    assert "reverse order" in compare(F, arr(seq[::-1]), arr(seq)).likely_cause


def test_forbidden_type_and_none():
    forged = Value("forbidden", "student.Liar", keys=("Liar", "ndarray", "object"))
    d = compare(F, forged, arr(E))
    assert d.kind == "type" and "subclass of numpy.ndarray" in d.message
    assert compare(F, Value("none", "NoneType"), arr(E)).kind == "none"


def test_scalar_type_is_exact():
    spec = Field("loss", "loss", kind="scalar")
    got = Value("array", "numpy.ndarray", dtype="float64", data=np.asarray(1.0))
    want = Value("scalar", "float", dtype="float64", data=np.asarray(1.0))
    assert compare(spec, got, want).kind == "type"
    assert compare(spec, Value("scalar", "numpy.float32", dtype="float32", data=np.asarray(1.0)), want).ok


def test_unchanged_detects_in_place_modification():
    spec = Field("x_after", "The argument x", kind="unchanged")
    changed = E.copy()
    changed[0, 0] = 9
    assert compare(spec, arr(changed), arr(E)).kind == "mutated"
    assert compare(spec, arr(E), arr(E)).ok


def test_unchanged_compares_nested_structures():
    spec = Field("params_after", "The argument params", kind="unchanged")
    a = Value("mapping", "dict", items=(arr(E),), keys=("U",))
    extra = Value("mapping", "dict", items=(arr(E), arr(E)), keys=("U", "dU"))
    changed = Value("mapping", "dict", items=(arr(E + 1),), keys=("U",))
    assert compare(spec, a, a).ok
    assert compare(spec, extra, a).kind == "mutated"
    assert compare(spec, changed, a).kind == "mutated"


def test_self_consistency_message_names_the_other_output():
    spec = Field("dU", "dU", against="fd_U", against_text="your finite-difference estimate")
    got = E.copy()
    got[0, 0] += 1
    from grader.compare import compare_numbers

    d = compare_numbers(spec, got, E, against="self-consistency")
    assert not d.ok and "your finite-difference estimate" in d.message


def test_a_disagreement_with_the_independent_library_names_it():
    from grader.evaluate import _compare_equivalent
    from grader.spec import Check

    chk = Check(name="c", title="t", points=1, probe="p", make_case=lambda seed: None, seed=0, fields=(F,))
    diags = _compare_equivalent(chk, {"o": arr(E)}, {"o": E + 1}, (1e-5, 1e-4), "scikit-learn cosine_similarity")
    assert len(diags) == 1 and not diags[0].ok and diags[0].against == "keras"
    assert "computed by scikit-learn cosine_similarity" in diags[0].message


def test_values_pinned_at_a_limit_are_recognised_as_clipping():
    grad = np.array([[0.02, -0.3, 0.08], [0.5, -0.01, 0.04]])
    cause = compare(F, arr(np.clip(grad, -0.1, 0.1)), arr(grad)).likely_cause
    assert "cut off at ±0.1" in cause
    # a value that merely happens to be the largest is no clipping
    assert "cut off" not in (compare(F, arr(grad * 1.5 + 0.2), arr(grad)).likely_cause or "")
