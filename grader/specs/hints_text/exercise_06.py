"""Graded hints for exercise-06 (vanishing and exploding gradients), by check name: a nudge first, then more
specific, never code. The stub's module docstring holds the Jacobian these hints point to."""
from __future__ import annotations

_POWER = (
    "power_norms multiplies W by itself again and again and records how large each power is.",
    "W^2 means the matrix product of W with itself, not squaring every entry; keep a running product and "
    "multiply it by W once per power.",
    "The norm to record is the Frobenius norm: the square root of the sum of the squared entries (not the "
    "largest singular value). The first entry belongs to W^1, the last to W^k.",
)
_RADIUS = (
    "The spectral radius is about eigenvalues, not singular values or entries.",
    "Take the eigenvalues of W with the general solver (W need not be symmetric), then their sizes.",
    "The eigenvalues can be negative or complex: the radius is the largest absolute value among them, a real "
    "float.",
)
_REGIME = (
    "gradient_regime only needs the spectral radius and the tolerance.",
    "There are three bands: above 1 + tol, below 1 - tol, and the band around 1 in between (inclusive).",
    "A rotation has every eigenvalue on the unit circle, so its radius is 1 up to rounding: it must fall in "
    "the middle band, which is why tol exists.",
)
_JACOBIAN = (
    "Run the recurrence forward first and keep, for every step, what the activation derivative needs.",
    "One step back multiplies by diag(act'(z_s)) W, where act'(z_s) is computed from the new state h_s "
    "(1 - h_s**2 for tanh, h_s * (1 - h_s) for sigmoid).",
    "Build dh_T/dh_t from t = T down to 0, starting from the identity and multiplying each older step's "
    "Jacobian on the right; record the spectral norm (largest singular value) of each product.",
    "The result has T + 1 entries: entry 0 goes through all T steps back to h0, and the last entry is the "
    "identity's norm, 1. b is a column; flatten it to add it to a 1-D state.",
)

HINTS: dict[str, tuple[str, ...]] = {
    "power_norms": _POWER,
    "power_norms_chapter": (
        "For ones([2, 2]), W^k has every entry 2^(k-1), so its norms double at each power; for 0.4 * ones([2, 2]) "
        "they shrink by 0.8.",
        *_POWER[1:],
    ),
    "radius_nonsymmetric": _RADIUS,
    "radius_symmetric": (
        "For a symmetric matrix the eigenvalues are real, so this case is the easiest one.",
        *_RADIUS[1:],
    ),
    "radius_negative": (
        "Which eigenvalue is the largest: the most positive, or the largest in size?",
        *_RADIUS[2:],
        "Taking the maximum before the absolute value picks the wrong eigenvalue here.",
    ),
    "regime": _REGIME,
    "regime_band": (
        "This check puts radii just inside and just outside the band around 1 whose half-width is tol.",
        "A radius within tol of 1 (above or below 1) is 'stable'; only beyond 1 + tol is it 'exploding' and only "
        "below 1 - tol is it 'vanishing'.",
        "Compare the radius with both edges of the band, 1 - tol and 1 + tol, and mind which side is which.",
    ),
    "jacobian_tanh": _JACOBIAN,
    "jacobian_sigmoid": (
        "The sigmoid's derivative, written with its output h, is different from tanh's.",
        *_JACOBIAN[1:],
    ),
    "jacobian_one_step": (
        "With T = 1 there is one step: the result has two entries, the norm of that step's Jacobian and then 1.",
        *_JACOBIAN[3:],
    ),
    "no_mutation": (
        "The inputs must be unchanged after the call: the caller still owns them.",
        "Operators such as @=, += and slice assignments write into an array; a state updated in place can be the "
        "caller's h0. Compute new arrays instead.",
    ),
}
