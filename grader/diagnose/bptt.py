"""Honest blame for exercise-04's backward pass: "the error enters at step k" only when that is verified.

The carried-gradient diagnosis (``grader/explainers.py: carried_gradient``) reads the student's carried gradient
dL/dh_k as the ``"h0"`` gradient of the sequence's last T-k steps. That reading is only sound when the student's
backward loop runs every step and the ``"h0"`` entry really is the gradient carried past step 1. Before the
divergence is named, this module rules out what would make it a lie:

* the step sums (dU, dW, db) are right and only the h0 gradient is wrong: the loop is right, the h0 entry is not;
* with a single step (T = 1, the last of the shorter sequences) the h0 gradient is all zeros: the loop does not
  run at all for T = 1, its bounds are off by one;
* the gradient, or the carried gradient, is pinned at ±c where the expected values go beyond it: something clips
  inside rnn_backward.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from grader.structural import close, structural_cause
from grader.i18n import Translator, translator
from grader.model import Value

Outputs = Mapping[str, Value]


def _data(value: Value | None) -> np.ndarray | None:
    return None if value is None or value.kind != "array" or value.data is None else value.data


def _clipped(got: np.ndarray, want: np.ndarray, atol: float, rtol: float) -> float | None:
    if got.shape != want.shape or not np.all(np.isfinite(got)):
        return None
    cause = structural_cause(got, want, atol=atol, rtol=rtol)
    return cause.amount if cause is not None and cause.kind == "clipped" else None


def verified_blame(key: str, act: str, mode: str, got: Outputs, expected: Outputs, *, atol: float,
                   rtol: float, tr: Translator | None = None) -> tuple[bool, str | None]:
    """``(decided, sentence)``: when ``decided``, ``sentence`` (maybe None) replaces the divergence diagnosis."""
    tr = tr or translator()
    name = f"d{key} ({act}, {mode})"
    mine, want = _data(got.get(name)), _data(expected.get(name))
    if mine is not None and want is not None and _clipped(mine, want, atol, rtol) is not None:
        return True, None  # the likely cause (values cut off at ±c) says it all; no step is to blame
    sums, want_sums = _data(got.get(f"step sums ({act}, {mode})")), _data(expected.get(f"step sums ({act}, {mode})"))
    if key == "h0" and sums is not None and want_sums is not None and sums.shape == want_sums.shape and close(
            sums, want_sums, atol=atol, rtol=rtol):
        return True, tr._("With %(act)s and mode '%(mode)s', your dU, dW and db are right, so your backward loop is "
                          "right: only the gradient of h0 is wrong. It is the gradient carried back past step 1, W.T @ "
                          "dz_1 (what dh_next holds after the loop's last step), not dz_1 itself nor a term of step 1.",
                          act=act, mode=mode)
    carried, ref = _data(got.get(f"carried ({act}, {mode})")), _data(expected.get(f"carried ({act}, {mode})"))
    if carried is None or ref is None or carried.shape != ref.shape:
        return False, None
    if np.all(np.abs(carried[-1]) < 1e-12) and np.any(np.abs(ref[-1]) > atol):
        return True, tr._("With %(act)s and mode '%(mode)s' and a single time step (T = 1), your rnn_backward returns "
                          "an all-zero gradient for h0, so your backward loop does not run at all when T = 1: its "
                          "bounds are off by one. Going from step T down to step 1 is range(T - 1, -1, -1) over the "
                          "indices; check that it starts at index T - 1 and reaches index 0 (step 1).", act=act,
                          mode=mode)
    c = _clipped(carried, ref, atol, rtol)
    if c is not None:
        return True, tr._("With %(act)s and mode '%(mode)s', your carried gradient dL/dh_t is cut off at ±%(limit)s "
                          "inside rnn_backward: rnn_backward must return the gradients themselves; clip them "
                          "afterwards, outside it (clip_by_value or clip_by_global_norm of exercise-05).", act=act,
                          mode=mode, limit=f"{c:.4g}")
    return False, None
