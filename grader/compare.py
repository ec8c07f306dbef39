"""Comparison as a pure function: (field spec, got, expected) -> Diagnosis.

Nothing here touches student code: both sides are :class:`~grader.model.Value` objects already
converted to float64 in the parent process. Every sentence is written in the language of the ``tr``
keyword (grader/i18n.py; English when it is left out).
"""
from __future__ import annotations


import numpy as np

from grader.i18n import Translator, translator
from grader.model import Diagnosis, Excerpt, Value
from grader.spec import Field
from grader.structural import close, structural_cause

FLOAT_DTYPES = ("float32", "float64")
FLOAT_TYPES = ("float", "numpy.float64", "numpy.float32")


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def _shape(shape: tuple[int, ...] | None) -> str:
    return "()" if not shape else "(" + ", ".join(str(s) for s in shape) + (",)" if len(shape) == 1 else ")")


def _excerpt(got: np.ndarray, expected: np.ndarray, worst: int, width: int = 2) -> Excerpt:
    lo, hi = max(0, worst - width), min(expected.size, worst + width + 1)
    idx = tuple(tuple(int(i) for i in np.unravel_index(k, expected.shape)) for k in range(lo, hi))
    return Excerpt(indices=idx, expected=tuple(float(v) for v in expected.ravel()[lo:hi]),
                   got=tuple(float(v) for v in got.ravel()[lo:hi]))


def _fail(spec: Field, kind: str, message: str, *, tr: Translator, **extra: object) -> Diagnosis:
    text = tr.text(spec.messages.get(kind, ""))
    if text:
        message = text if kind == "mutated" or not message else tr._("%(diagnosis)s %(explanation)s",
                                                                        diagnosis=message, explanation=text)
    return Diagnosis(field=spec.name, ok=False, kind=kind, message=message, atol=spec.atol, rtol=spec.rtol, **extra)


def _label(spec: Field, tr: Translator) -> str:
    return tr.text(spec.label) or spec.name


def _ok(spec: Field, against: str, tr: Translator) -> Diagnosis:
    return Diagnosis(field=spec.name, ok=True, kind="ok", message=tr._("%(label)s is correct.", label=_label(spec, tr)),
                     atol=spec.atol, rtol=spec.rtol, against=against)


def _either(names: tuple[str, ...], tr: Translator) -> str:
    """``a``, ``a or b``, ``a, b or c`` (type and dtype names stay as they are)."""
    if len(names) <= 1:
        return "".join(names)
    return tr._("%(some)s or %(last)s", some=", ".join(names[:-1]), last=names[-1])


def _type_problem(spec: Field, got: Value, want_kind: str, tr: Translator) -> Diagnosis | None:
    label = _label(spec, tr)
    if got.kind == "forbidden":
        base = next((b for b in got.keys[1:] if b in ("ndarray", "float", "int", "list", "tuple", "dict", "str")), "")
        if base:
            message = tr._("%(label)s is a %(type)s (it is a subclass of %(base)s), which the grader does not accept: "
                           "return a plain numpy.ndarray, float, int, str, list, tuple or dict.", label=label,
                           type=got.type_name, base=f"{'numpy.' if base == 'ndarray' else ''}{base}")
        elif got.text:
            message = tr._("%(label)s is a %(type)s (%(why)s), which the grader does not accept: return a plain "
                           "numpy.ndarray, float, int, str, list, tuple or dict.", label=label, type=got.type_name,
                           why=tr.text(got.text))
        else:
            message = tr._("%(label)s is a %(type)s, which the grader does not accept: return a plain numpy.ndarray, "
                           "float, int, str, list, tuple or dict.", label=label, type=got.type_name)
        return _fail(spec, "type", message, tr=tr)
    if got.kind == "none":
        return _fail(spec, "none", tr._("%(label)s is None: a value was expected.", label=label), tr=tr)
    if want_kind == "array" and got.kind != "array":
        return _fail(spec, "type", tr._("%(label)s should be a numpy.ndarray, but it is a %(type)s.", label=label,
                                        type=got.type_name), tr=tr)
    if want_kind == "scalar" and (got.type_name not in (spec.types or FLOAT_TYPES)):
        return _fail(spec, "type", tr._("%(label)s should be a %(allowed)s, but it is a %(type)s.", label=label,
                                        allowed=_either(spec.types or FLOAT_TYPES, tr), type=got.type_name), tr=tr)
    return None


def compare(spec: Field, got: Value | None, expected: Value, *, against: str = "reference",
            hidden: bool = False, tr: Translator | None = None) -> Diagnosis:
    """Compare one output with its expected value and explain any difference in a sentence."""
    tr = tr or translator()
    if got is None:
        return _fail(spec, "missing", tr._("%(label)s was not produced.", label=_label(spec, tr)), tr=tr)
    if spec.kind == "exact":
        return _compare_exact(spec, got, expected, against, hidden, tr)
    if spec.kind == "unchanged":
        return _compare_unchanged(spec, got, expected, tr)
    problem = _type_problem(spec, got, spec.kind, tr)
    if problem is not None:
        return problem
    if spec.kind == "array" and got.dtype not in (spec.dtypes or FLOAT_DTYPES):
        return _fail(spec, "dtype", tr._("%(label)s has dtype %(dtype)s, but it should be %(allowed)s.",
                                         label=_label(spec, tr), dtype=got.dtype,
                                         allowed=_either(spec.dtypes or FLOAT_DTYPES, tr)), tr=tr)
    assert got.data is not None and expected.data is not None
    return compare_numbers(spec, got.data, expected.data, against=against, hidden=hidden, tr=tr)


def compare_numbers(spec: Field, got: np.ndarray, expected: np.ndarray, *, against: str = "reference",
                    hidden: bool = False, tr: Translator | None = None) -> Diagnosis:
    tr = tr or translator()
    label = _label(spec, tr)
    if got.shape != expected.shape:
        cause = None
        if got.shape == expected.shape[::-1] and got.ndim == 2 and close(got.T, expected, atol=spec.atol, rtol=spec.rtol):
            cause = tr._("the result is transposed")
        return _fail(spec, "shape", tr._("%(label)s has shape %(got)s, but it should have shape %(want)s.",
                                         label=label, got=_shape(got.shape), want=_shape(expected.shape)),
                     likely_cause=cause, against=against, tr=tr)
    finite_expected = np.isfinite(expected)
    bad = finite_expected & ~np.isfinite(got)
    if np.any(bad):
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        what = "NaN" if np.isnan(got[where]) else "Inf"
        if hidden or not where:
            message = tr._("%(label)s contains %(what)s where a finite value was expected.", label=label, what=what)
        else:
            message = tr._("%(label)s contains %(what)s (first at index %(index)s) where a finite value was expected.",
                           label=label, what=what, index=where)
        return _fail(spec, "nonfinite", message, worst_index=where, against=against, tr=tr)
    if close(got, expected, atol=spec.atol, rtol=spec.rtol):
        return _ok(spec, against, tr)
    return _value_mismatch(spec, got, expected, against=against, hidden=hidden, tr=tr)


def _target(spec: Field, against: str, tr: Translator) -> str:
    """What the output is compared with, in words."""
    if spec.against and spec.against_text:
        return tr.text(spec.against_text)
    if against == "reference":
        return tr._("the expected values")
    source = {"keras": "Keras/TensorFlow"}.get(against, against)
    return tr._("the expected values computed by %(source)s", source=source)


def _value_mismatch(spec: Field, got: np.ndarray, expected: np.ndarray, *, against: str, hidden: bool,
                    tr: Translator) -> Diagnosis:
    with np.errstate(invalid="ignore"):
        err = np.where(np.isfinite(expected), np.abs(got - expected), np.where(got == expected, 0.0, np.inf))
    flat = int(np.argmax(err)) if err.size else 0
    worst = tuple(int(i) for i in np.unravel_index(flat, expected.shape)) if expected.ndim else ()
    max_abs = float(err.max()) if err.size else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        max_rel = float(np.max(err / np.maximum(np.abs(expected), 1e-12))) if err.size else 0.0
    finite = np.all(np.isfinite(expected))
    found = (structural_cause(got, expected, atol=spec.atol, rtol=spec.rtol, hidden=hidden, tr=tr) if finite
             else None)
    cause = None if found is None else found.text
    label, target = _label(spec, tr), _target(spec, against, tr)
    if hidden:
        message = tr._("%(label)s does not match %(target)s.", label=label, target=target)
    else:
        numbers = {"label": label, "target": target, "error": _fmt(max_abs), "want": _fmt(float(expected.ravel()[flat])),
                   "got": _fmt(float(got.ravel()[flat])), "relative": _fmt(max_rel), "atol": f"{spec.atol:g}",
                   "rtol": f"{spec.rtol:g}"}
        if worst:
            message = tr._("%(label)s does not match %(target)s: the largest error is %(error)s at index %(index)s, "
                           "where %(want)s was expected and yours is %(got)s (relative error %(relative)s; tolerance "
                           "atol=%(atol)s, rtol=%(rtol)s).", index=worst, **numbers)
        else:
            message = tr._("%(label)s does not match %(target)s: the largest error is %(error)s, where %(want)s was "
                           "expected and yours is %(got)s (relative error %(relative)s; tolerance atol=%(atol)s, "
                           "rtol=%(rtol)s).", **numbers)
    return _fail(spec, "value", message, tr=tr, likely_cause=cause, max_abs_err=max_abs, max_rel_err=max_rel,
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


def _compare_unchanged(spec: Field, got: Value, expected: Value, tr: Translator) -> Diagnosis:
    if _same(got, expected):
        return _ok(spec, "reference", tr)
    return _fail(spec, "mutated", tr._("%(label)s was modified in place by your code.", label=_label(spec, tr)), tr=tr)


def _describe(value: Value, tr: Translator) -> str:
    if value.kind == "str":
        return repr(value.text)
    if value.kind == "bool" and value.data is not None:
        return str(bool(value.data))
    if value.kind == "scalar" and value.data is not None:
        return _fmt(float(value.data))
    if value.kind == "sequence":
        return tr.ngettext("a %(type)s of %(n)s item", "a %(type)s of %(n)s items", len(value.items),
                           type=value.type_name)
    return tr._("a %(type)s", type=value.type_name)


def _is_not(path: str, got: Value, expected: Value, tr: Translator) -> str:
    if path:
        return tr._("%(path)s is %(got)s, but should be %(want)s", path=path, got=_describe(got, tr),
                    want=_describe(expected, tr))
    return tr._("it is %(got)s, but should be %(want)s", got=_describe(got, tr), want=_describe(expected, tr))


def _exact_mismatch(got: Value, expected: Value, *, atol: float, rtol: float, tr: Translator,
                    path: str = "") -> str | None:
    if expected.kind in ("sequence", "mapping"):
        if got.kind != expected.kind:
            return _is_not(path, got, expected, tr)
        if len(got.items) != len(expected.items):
            return tr.ngettext("%(path)s has %(n)s item, but should have %(want)s",
                               "%(path)s has %(n)s items, but should have %(want)s", len(got.items),
                               path=path or tr._("it"), want=len(expected.items))
        if got.keys != expected.keys:
            return tr._("%(path)s has keys %(got)s, but should have %(want)s", path=path or tr._("it"),
                        got=list(got.keys), want=list(expected.keys))
        for i, (g, e) in enumerate(zip(got.items, expected.items)):
            key = repr(expected.keys[i]) if expected.keys else str(i)
            found = _exact_mismatch(g, e, atol=atol, rtol=rtol, tr=tr, path=f"{path}[{key}]")
            if found:
                return found
        return None
    if got.kind == "forbidden" or got.kind != expected.kind and not {got.kind, expected.kind} <= {"scalar", "array"}:
        return _is_not(path, got, expected, tr)
    if expected.kind == "str":
        return None if got.text == expected.text else _is_not(path, got, expected, tr)
    if expected.data is not None and got.data is not None and close(got.data, expected.data, atol=atol, rtol=rtol):
        return None
    return _is_not(path, got, expected, tr)


def _compare_exact(spec: Field, got: Value, expected: Value, against: str, hidden: bool,
                   tr: Translator) -> Diagnosis:
    label = _label(spec, tr)
    if spec.types and got.type_name not in spec.types:
        if got.kind == "forbidden":
            return _type_problem(spec, got, "exact", tr) or _fail(spec, "type", "", tr=tr)
        return _fail(spec, "type", tr._("%(label)s should be a %(allowed)s, but it is a %(type)s.", label=label,
                                        allowed=_either(spec.types, tr), type=got.type_name), tr=tr)
    if got.kind == "forbidden":
        return _type_problem(spec, got, "exact", tr) or _fail(spec, "type", "", tr=tr)
    found = _exact_mismatch(got, expected, atol=spec.atol, rtol=spec.rtol, tr=tr)
    if found is None:
        return _ok(spec, against, tr)
    if hidden:  # the difference would show the hidden expected value
        return _fail(spec, "value", tr._("%(label)s is wrong.", label=label), against=against, tr=tr)
    return _fail(spec, "value", tr._("%(label)s is wrong: %(difference)s.", label=label, difference=found),
                 against=against, tr=tr)
