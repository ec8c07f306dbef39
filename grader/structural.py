"""Structural mistakes recognised between two arrays, and the elementwise closeness they are judged by.

:func:`close` is the one tolerance rule of the grader (``|got - expected| <= atol + rtol * |expected|``, NaN equal
to NaN). :func:`structural_cause` recognises a flipped sign, a transpose, a constant factor or offset, a reversed
axis, values clipped at a limit and a constant output, and says so in a sentence; :mod:`grader.compare` adds it
to a value mismatch as the likely cause. Pure functions: no student code, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grader.i18n import Translator, translator
from grader.model import Value


def close(got: np.ndarray, expected: np.ndarray, *, atol: float, rtol: float) -> bool:
    """Elementwise ``|got - expected| <= atol + rtol * |expected|`` everywhere, NaN equal to NaN."""
    if got.shape != expected.shape:
        return False
    both_nan = np.isnan(got) & np.isnan(expected)
    same_inf = np.isinf(expected) & (got == expected)
    with np.errstate(invalid="ignore"):
        ok = np.abs(got - expected) <= atol + rtol * np.abs(expected)
    return bool(np.all(ok | both_nan | same_inf))


def value_close(value: Value | None, target: np.ndarray, *, atol: float, rtol: float) -> bool:
    """:func:`close` for a decoded output that may be missing or hold no numbers (then False)."""
    return value is not None and value.data is not None and close(value.data, target, atol=atol, rtol=rtol)


@dataclass(frozen=True)
class Cause:
    """A structural mistake recognised between two arrays: its kind, its amount (factor or offset) and sentence."""

    kind: str
    text: str
    amount: float | None = None


def structural_cause(got: np.ndarray, expected: np.ndarray, *, atol: float, rtol: float,
                     hidden: bool = False, tr: Translator | None = None) -> Cause | None:
    """Recognise common structural mistakes between two finite arrays of the same shape.

    A constant factor or offset is claimed only when it explains at least two different expected values: between
    two single numbers there is always "a factor" and "an offset", which says nothing. (Across the fields of one
    check, grader/diagnose/consistency.py keeps a claim only when every field agrees with it.)
    For a hidden case (``hidden``) no number is given: a factor or an offset would reveal the expected values.
    """
    tr = tr or translator()
    tol = {"atol": atol, "rtol": rtol}
    if np.any(expected != 0) and close(-got, expected, **tol):
        return Cause("sign", tr._("the sign is flipped: your values are the negatives of the expected ones"))
    if got.ndim == 2 and got.shape[0] == got.shape[1] and got.shape[0] > 1 and close(got.T, expected, **tol):
        return Cause("transposed", tr._("the result is transposed"))
    flat_e, flat_g = expected.ravel(), got.ravel()
    big = np.abs(flat_e) > 1e-8
    distinct = np.unique(np.round(flat_e, 12)).size >= 2
    if distinct and np.count_nonzero(big) >= 2:
        ratios = flat_g[big] / flat_e[big]
        k = float(np.median(ratios))
        if abs(k - 1) > 1e-3 and np.isfinite(k) and k != 0 and close(got, k * expected, **tol):
            text = (tr._("your values are the expected ones times a constant factor") if hidden else
                    tr._("your values are the expected ones times a constant factor of about %(factor)s",
                         factor=f"{k:.4g}"))
            return Cause("factor", text, k)
    if distinct:
        offset = float(np.median(flat_g - flat_e))
        if abs(offset) > atol and close(got - offset, expected, **tol):
            text = (tr._("your values are all off by the same constant: a term or bias is missing or extra") if hidden
                    else tr._("your values are all off by the same constant (%(offset)s): a term or bias is missing "
                              "or extra", offset=f"{offset:.4g}"))
            return Cause("offset", text, offset)
    if expected.ndim >= 1 and expected.shape[0] > 1 and close(got[::-1], expected, **tol):
        return Cause("reversed", tr._("the values are in reverse order along the first axis"))
    return _clipped(got, expected, tol=tol, hidden=hidden, tr=tr) or _constant(got, expected, tol=tol, hidden=hidden,
                                                                                tr=tr)


def _clipped(got: np.ndarray, expected: np.ndarray, *, tol: dict[str, float], hidden: bool,
             tr: Translator) -> Cause | None:
    """Values pinned at ±c where the expected ones go beyond c: something clips them (np.clip, clip_by_value)."""
    c = float(np.max(np.abs(got))) if got.size else 0.0
    beyond = np.abs(expected) > c * (1 + 10 * tol["rtol"]) + tol["atol"]
    if c <= 0 or not np.any(beyond) or not close(got, np.clip(expected, -c, c), **tol):
        return None
    if np.all(beyond) and not (np.any(got > 0) and np.any(got < 0)):
        return None  # one value everywhere: nothing shows a limit (structural_cause tries a constant output next)
    if hidden:
        return Cause("clipped", tr._("your values are cut off at a limit: every expected value beyond it is replaced "
                                     "by the limit, so something clips them (np.clip or a clip_by_value) where the "
                                     "contract asks for the values themselves"), c)
    return Cause("clipped", tr._("your values are cut off at ±%(limit)s: every expected value beyond that is replaced "
                                 "by the limit, so something clips them (np.clip or a clip_by_value) where the "
                                 "contract asks for the values themselves", limit=f"{c:.4g}"), c)


def _constant(got: np.ndarray, expected: np.ndarray, *, tol: dict[str, float], hidden: bool,
              tr: Translator) -> Cause | None:
    """Every value the same where the expected ones differ: a loop that never updates, a value computed once."""
    if got.size < 2 or np.unique(np.round(expected.ravel(), 12)).size < 2:
        return None
    if not close(got, np.full_like(got, got.ravel()[0]), **tol):
        return None
    if hidden:
        return Cause("constant", tr._("every one of your values is the same, where the expected ones differ: "
                                      "something that should change from entry to entry does not (a loop variable "
                                      "that is never updated, or a value computed once and repeated)"))
    return Cause("constant", tr._("every one of your values is %(value)s, where the expected ones differ: something "
                                  "that should change from entry to entry does not (a loop variable that is never "
                                  "updated, or a value computed once and repeated)", value=f"{got.ravel()[0]:.4g}"))


def generic_cause(got: np.ndarray, expected: np.ndarray, *, atol: float, rtol: float,
                  hidden: bool = False, tr: Translator | None = None) -> str | None:
    """The sentence of :func:`structural_cause`, or None."""
    cause = structural_cause(got, expected, atol=atol, rtol=rtol, hidden=hidden, tr=tr)
    return None if cause is None else cause.text
