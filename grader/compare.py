"""Comparison as a pure function: (field spec, got, expected) -> Diagnosis.

Nothing here touches student code: both sides are :class:`~grader.model.Value` objects already
converted to float64 in the parent process.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.model import Diagnosis, Excerpt, Value
from grader.spec import Field

FLOAT_DTYPES = ("float32", "float64")
FLOAT_TYPES = ("float", "numpy.float64", "numpy.float32")


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _shape(shape: tuple[int, ...] | None) -> str:
    return "()" if not shape else "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def close(got: np.ndarray, expected: np.ndarray, *, atol: float, rtol: float) -> bool:
    """Elementwise ``|got - expected| <= atol + rtol * |expected|`` everywhere, NaN equal to NaN."""
    if got.shape != expected.shape:
        return False
    both_nan = np.isnan(got) & np.isnan(expected)
    same_inf = np.isinf(expected) & (got == expected)
    with np.errstate(invalid="ignore"):
        ok = np.abs(got - expected) <= atol + rtol * np.abs(expected)
    return bool(np.all(ok | both_nan | same_inf))


@dataclass(frozen=True)
class Cause:
    """A structural mistake recognised between two arrays: its kind, its amount (factor or offset) and sentence."""

    kind: str
    text: str
    amount: float | None = None


def structural_cause(got: np.ndarray, expected: np.ndarray, *, atol: float, rtol: float,
                     hidden: bool = False) -> Cause | None:
    """Recognise common structural mistakes between two finite arrays of the same shape.

    A constant factor or offset is claimed only when it explains at least two different expected values: between
    two single numbers there is always "a factor" and "an offset", which says nothing. (Across the fields of one
    check, grader/diagnose/consistency.py keeps a claim only when every field agrees with it.)
    For a hidden case (``hidden``) no number is given: a factor or an offset would reveal the expected values.
    """
    tol = {"atol": atol, "rtol": rtol}
    if np.any(expected != 0) and close(-got, expected, **tol):
        return Cause("sign", "the sign is flipped: your values are the negatives of the expected ones")
    if got.ndim == 2 and got.shape[0] == got.shape[1] and got.shape[0] > 1 and close(got.T, expected, **tol):
        return Cause("transposed", "the result is transposed")
    flat_e, flat_g = expected.ravel(), got.ravel()
    big = np.abs(flat_e) > 1e-8
    distinct = np.unique(np.round(flat_e, 12)).size >= 2
    if distinct and np.count_nonzero(big) >= 2:
        ratios = flat_g[big] / flat_e[big]
        k = float(np.median(ratios))
        if abs(k - 1) > 1e-3 and np.isfinite(k) and k != 0 and close(got, k * expected, **tol):
            about = "" if hidden else f" of about {k:.4g}"
            return Cause("factor", f"your values are the expected ones times a constant factor{about}", k)
    if distinct:
        offset = float(np.median(flat_g - flat_e))
        if abs(offset) > atol and close(got - offset, expected, **tol):
            amount = "" if hidden else f" ({offset:.4g})"
            return Cause("offset", f"your values are all off by the same constant{amount}: a term or bias is missing "
                         "or extra", offset)
    if expected.ndim >= 1 and expected.shape[0] > 1 and close(got[::-1], expected, **tol):
        return Cause("reversed", "the values are in reverse order along the first axis")
    return _clipped(got, expected, tol=tol, hidden=hidden)


def _clipped(got: np.ndarray, expected: np.ndarray, *, tol: dict[str, float], hidden: bool) -> Cause | None:
    """Values pinned at ±c where the expected ones go beyond c: something clips them (np.clip, clip_by_value)."""
    c = float(np.max(np.abs(got))) if got.size else 0.0
    beyond = np.abs(expected) > c * (1 + 10 * tol["rtol"]) + tol["atol"]
    if c <= 0 or not np.any(beyond) or not close(got, np.clip(expected, -c, c), **tol):
        return None
    at = "" if hidden else f" ±{c:.4g}"
    return Cause("clipped", f"your values are cut off at{at}: every expected value beyond that is replaced by the "
                 "limit, so something clips them (np.clip or a clip_by_value) where the contract asks for the "
                 "values themselves", c)


def generic_cause(got: np.ndarray, expected: np.ndarray, *, atol: float, rtol: float,
                  hidden: bool = False) -> str | None:
    """The sentence of :func:`structural_cause`, or None."""
    cause = structural_cause(got, expected, atol=atol, rtol=rtol, hidden=hidden)
    return None if cause is None else cause.text


def _excerpt(got: np.ndarray, expected: np.ndarray, worst: int, width: int = 2) -> Excerpt:
    lo, hi = max(0, worst - width), min(expected.size, worst + width + 1)
    idx = tuple(tuple(int(i) for i in np.unravel_index(k, expected.shape)) for k in range(lo, hi))
    return Excerpt(indices=idx, expected=tuple(float(v) for v in expected.ravel()[lo:hi]),
                   got=tuple(float(v) for v in got.ravel()[lo:hi]))


def _fail(spec: Field, kind: str, message: str, **extra: object) -> Diagnosis:
    text = spec.messages.get(kind)
    if text:
        message = text if kind == "mutated" else f"{message} {text}"
    return Diagnosis(field=spec.name, ok=False, kind=kind, message=message, atol=spec.atol, rtol=spec.rtol, **extra)


def _ok(spec: Field, against: str) -> Diagnosis:
    return Diagnosis(field=spec.name, ok=True, kind="ok", message=f"{spec.label} is correct.", atol=spec.atol,
                     rtol=spec.rtol, against=against)


def _type_problem(spec: Field, got: Value, want_kind: str) -> Diagnosis | None:
    if got.kind == "forbidden":
        base = next((b for b in got.keys[1:] if b in ("ndarray", "float", "int", "list", "tuple", "dict", "str")), "")
        why = f"it is a subclass of {'numpy.' if base == 'ndarray' else ''}{base}" if base else got.text
        why = f" ({why})" if why else ""
        return _fail(spec, "type", f"{spec.label} is a {got.type_name}{why}, which the grader does not accept: "
                     "return a plain numpy.ndarray, float, int, str, list, tuple or dict.")
    if got.kind == "none":
        return _fail(spec, "none", f"{spec.label} is None: a value was expected.")
    if want_kind == "array" and got.kind != "array":
        return _fail(spec, "type", f"{spec.label} should be a numpy.ndarray, but it is a {got.type_name}.")
    if want_kind == "scalar" and (got.type_name not in (spec.types or FLOAT_TYPES)):
        allowed = " or ".join(spec.types or FLOAT_TYPES)
        return _fail(spec, "type", f"{spec.label} should be a {allowed}, but it is a {got.type_name}.")
    return None


def compare(spec: Field, got: Value | None, expected: Value, *, against: str = "reference",
            hidden: bool = False) -> Diagnosis:
    """Compare one output with its expected value and explain any difference in a sentence."""
    if got is None:
        return _fail(spec, "missing", f"{spec.label} was not produced.")
    if spec.kind == "exact":
        return _compare_exact(spec, got, expected, against, hidden)
    if spec.kind == "unchanged":
        return _compare_unchanged(spec, got, expected)
    problem = _type_problem(spec, got, spec.kind)
    if problem is not None:
        return problem
    if spec.kind == "array" and got.dtype not in (spec.dtypes or FLOAT_DTYPES):
        allowed = " or ".join(spec.dtypes or FLOAT_DTYPES)
        return _fail(spec, "dtype", f"{spec.label} has dtype {got.dtype}, but it should be {allowed}.")
    assert got.data is not None and expected.data is not None
    return compare_numbers(spec, got.data, expected.data, against=against, hidden=hidden)


def compare_numbers(spec: Field, got: np.ndarray, expected: np.ndarray, *, against: str = "reference",
                    hidden: bool = False) -> Diagnosis:
    if got.shape != expected.shape:
        cause = None
        if got.shape == expected.shape[::-1] and got.ndim == 2 and close(got.T, expected, atol=spec.atol, rtol=spec.rtol):
            cause = "the result is transposed"
        return _fail(spec, "shape", f"{spec.label} has shape {_shape(got.shape)}, but it should have shape "
                     f"{_shape(expected.shape)}.", likely_cause=cause, against=against)
    finite_expected = np.isfinite(expected)
    bad = finite_expected & ~np.isfinite(got)
    if np.any(bad):
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        what = "NaN" if np.isnan(got[where]) else "Inf"
        detail = "" if hidden or not where else f" (first at index {where})"
        return _fail(spec, "nonfinite", f"{spec.label} contains {what}{detail} where a finite value was expected.",
                     worst_index=where, against=against)
    if close(got, expected, atol=spec.atol, rtol=spec.rtol):
        return _ok(spec, against)
    return _value_mismatch(spec, got, expected, against=against, hidden=hidden)


def _value_mismatch(spec: Field, got: np.ndarray, expected: np.ndarray, *, against: str, hidden: bool) -> Diagnosis:
    with np.errstate(invalid="ignore"):
        err = np.where(np.isfinite(expected), np.abs(got - expected), np.where(got == expected, 0.0, np.inf))
    flat = int(np.argmax(err)) if err.size else 0
    worst = tuple(int(i) for i in np.unravel_index(flat, expected.shape)) if expected.ndim else ()
    max_abs = float(err.max()) if err.size else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        max_rel = float(np.max(err / np.maximum(np.abs(expected), 1e-12))) if err.size else 0.0
    finite = np.all(np.isfinite(expected))
    found = structural_cause(got, expected, atol=spec.atol, rtol=spec.rtol, hidden=hidden) if finite else None
    cause = None if found is None else found.text
    source = {"reference": "", "keras": "Keras/TensorFlow"}.get(against, against)
    versus = f" computed by {source}" if source else ""
    target = spec.against_text if spec.against and spec.against_text else f"the expected values{versus}"
    if hidden:
        message = f"{spec.label} does not match {target}."
    else:
        at = f" at index {worst}" if worst else ""
        message = (f"{spec.label} does not match {target}: the largest error is {_fmt(max_abs)}{at}, "
                   f"where {_fmt(float(expected.ravel()[flat]))} was expected and yours is {_fmt(float(got.ravel()[flat]))} "
                   f"(relative error {_fmt(max_rel)}; tolerance atol={spec.atol:g}, rtol={spec.rtol:g}).")
    return _fail(spec, "value", message, likely_cause=cause, max_abs_err=max_abs, max_rel_err=max_rel,
                 worst_index=worst, expected_at_worst=None if hidden else float(expected.ravel()[flat]),
                 got_at_worst=None if hidden else float(got.ravel()[flat]),
                 excerpt=None if hidden or expected.ndim == 0 else _excerpt(got, expected, flat), against=against,
                 cause_kind=found.kind if found else "", cause_amount=found.amount if found else None,
                 generic_cause=cause or "")


def _same(got: Value, expected: Value) -> bool:
    """Identical kind, dtype, shape, data, text and, for lists and dicts, keys and items (recursively)."""
    if (got.kind, got.dtype, got.shape, got.text, got.keys, len(got.items)) != (
            expected.kind, expected.dtype, expected.shape, expected.text, expected.keys, len(expected.items)):
        return False
    if got.data is not None and not np.array_equal(got.data, expected.data, equal_nan=True):
        return False
    return all(_same(g, e) for g, e in zip(got.items, expected.items))


def _compare_unchanged(spec: Field, got: Value, expected: Value) -> Diagnosis:
    if _same(got, expected):
        return _ok(spec, "reference")
    return _fail(spec, "mutated", f"{spec.label} was modified in place by your code.")


def _describe(value: Value) -> str:
    if value.kind == "str":
        return repr(value.text)
    if value.kind == "bool" and value.data is not None:
        return str(bool(value.data))
    if value.kind == "scalar" and value.data is not None:
        return _fmt(float(value.data))
    if value.kind == "sequence":
        return f"a {value.type_name} of {len(value.items)} items"
    return f"a {value.type_name}"


def _exact_mismatch(got: Value, expected: Value, *, atol: float, rtol: float, path: str = "") -> str | None:
    if expected.kind in ("sequence", "mapping"):
        if got.kind != expected.kind:
            return f"{path or 'it'} is {_describe(got)}, but should be {_describe(expected)}"
        if len(got.items) != len(expected.items):
            return f"{path or 'it'} has {len(got.items)} items, but should have {len(expected.items)}"
        if got.keys != expected.keys:
            return f"{path or 'it'} has keys {list(got.keys)}, but should have {list(expected.keys)}"
        for i, (g, e) in enumerate(zip(got.items, expected.items)):
            key = repr(expected.keys[i]) if expected.keys else str(i)
            found = _exact_mismatch(g, e, atol=atol, rtol=rtol, path=f"{path}[{key}]")
            if found:
                return found
        return None
    if got.kind == "forbidden" or got.kind != expected.kind and not {got.kind, expected.kind} <= {"scalar", "array"}:
        return f"{path or 'it'} is {_describe(got)}, but should be {_describe(expected)}"
    if expected.kind == "str":
        return None if got.text == expected.text else f"{path or 'it'} is {_describe(got)}, but should be {_describe(expected)}"
    if expected.data is not None and got.data is not None and close(got.data, expected.data, atol=atol, rtol=rtol):
        return None
    return f"{path or 'it'} is {_describe(got)}, but should be {_describe(expected)}"


def _compare_exact(spec: Field, got: Value, expected: Value, against: str, hidden: bool = False) -> Diagnosis:
    if spec.types and got.type_name not in spec.types:
        if got.kind == "forbidden":
            return _type_problem(spec, got, "exact") or _fail(spec, "type", "")
        return _fail(spec, "type", f"{spec.label} should be a {' or '.join(spec.types)}, but it is a {got.type_name}.")
    if got.kind == "forbidden":
        return _type_problem(spec, got, "exact") or _fail(spec, "type", "")
    found = _exact_mismatch(got, expected, atol=spec.atol, rtol=spec.rtol)
    if found is None:
        return _ok(spec, against)
    if hidden:  # the difference would show the hidden expected value
        return _fail(spec, "value", f"{spec.label} is wrong.", against=against)
    return _fail(spec, "value", f"{spec.label} is wrong: {found}.", against=against)
