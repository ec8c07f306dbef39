"""exercise-06: what the reference and its realistic mistakes compute, for the spec's hints (parent side only).

:func:`jacobian_norms` is the reference ``hidden_jacobian_norms`` with mistakes switched on by name (see
``JACOBIAN_MISTAKES`` in the spec); :func:`power_norms` and :func:`radius` do the same for the matrix functions.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np


def power_norms(W: np.ndarray, k: int, mistake: str = "") -> np.ndarray:
    """Frobenius norms of W^1..W^k, or a mistake: ``elementwise`` (W**i), ``spectral``, ``from_zero`` (W^0..W^k-1),
    ``no_sqrt`` (the sum of squares)."""
    out, power = [], np.eye(W.shape[0])
    for i in range(1, k + 1):
        power = W**i if mistake == "elementwise" else power @ W
        shown = np.linalg.matrix_power(W, i - 1) if mistake == "from_zero" else power
        if mistake == "spectral":
            out.append(np.linalg.norm(shown, 2))
        else:
            out.append(np.sum(shown * shown) if mistake == "no_sqrt" else np.sqrt(np.sum(shown * shown)))
    return np.array(out)


def radius(W: np.ndarray, mistake: str = "") -> float:
    """The spectral radius, or a mistake: ``eigh`` (symmetric solver), ``no_abs`` (largest real eigenvalue),
    ``spectral_norm`` (largest singular value), ``frobenius``."""
    if mistake == "eigh":
        return float(np.max(np.abs(np.linalg.eigh(W)[0])))
    if mistake == "no_abs":
        return float(np.max(np.linalg.eigvals(W).real))
    if mistake == "spectral_norm":
        return float(np.linalg.norm(W, 2))
    if mistake == "frobenius":
        return float(np.linalg.norm(W))
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def _act(z: np.ndarray, act: str) -> np.ndarray:
    return np.tanh(z) if act == "tanh" else 1.0 / (1.0 + np.exp(-z))


def jacobian_norms(a: Mapping[str, np.ndarray], act: str, mistake: str = "") -> np.ndarray:
    """hidden_jacobian_norms of the reference, or with one mistake switched on (see the spec's JACOBIAN_MISTAKES)."""
    U, W, b = a["U"], a["W"], a["b"].ravel()
    states = [np.zeros_like(a["h0"]) if mistake == "zero_h0" else a["h0"]]
    for x in a["X"]:
        states.append(_act(U @ x + W @ states[-1] + b, act))
    H = np.stack(states)
    S = H[:-1] if mistake == "deriv_prev" else H[1:]  # S[s-1] is the state whose derivative step s uses
    D = 1.0 - S**2 if act == "tanh" or mistake == "tanh_deriv" else S * (1.0 - S)
    if mistake == "no_deriv":
        D = np.ones_like(D)
    T, n = len(D), W.shape[0]
    norms, jac = np.ones(T + 1), np.eye(n)
    for t in range(T - 1, -1, -1):
        step = W * D[t][None, :] if mistake == "diag_right" else D[t][:, None] * W
        if mistake == "order":
            jac = step @ jac
        elif mistake == "w_not_t":  # the chapter's W.T diag(act') recursion with W in place of W.T
            jac = W @ (D[t][:, None] * jac)
        else:
            jac = jac @ step
        norms[t] = np.linalg.norm(jac) if mistake == "frobenius" else np.linalg.norm(jac, 2)
    if mistake == "first_missing":
        return norms[1:]
    if mistake == "shifted":
        return np.append(norms[1:], 1.0)
    if mistake == "reversed":
        return norms[::-1].copy()
    return norms
