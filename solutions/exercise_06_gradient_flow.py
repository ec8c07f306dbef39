"""Reference solution for exercise-06: vanishing and exploding gradients (梯度弥散/梯度爆炸) in NumPy.

The chapter multiplies W by itself and plots the norm of W^k: it grows without bound when the spectral
radius of W (its largest absolute eigenvalue) is above 1, and shrinks to 0 when it is below 1. Through
an RNN, the gradient that reaches h_t from h_T is multiplied by one Jacobian per step,

    dh_s / dh_{s-1} = diag(act'(z_s)) W,      so      dh_T / dh_t = D_T W D_{T-1} W ... D_{t+1} W,

where D_s = diag(act'(z_s)), written with h_s: 1 - h_s**2 for tanh and h_s * (1 - h_s) for sigmoid.
Everything is computed in float64 and no argument is modified.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np


def power_norms(W: Any, k: int) -> np.ndarray:
    """The Frobenius norms of ``W^1 ... W^k`` (matrix powers), shape ``(k,)``."""
    W = np.asarray(W, dtype=np.float64)
    norms = np.empty(int(k))
    power = np.eye(W.shape[0])
    for i in range(int(k)):
        power = power @ W
        norms[i] = np.sqrt(np.sum(power * power))
    return norms


def spectral_radius(W: Any) -> float:
    """The largest absolute eigenvalue of ``W`` (which need not be symmetric)."""
    return float(np.max(np.abs(np.linalg.eigvals(np.asarray(W, dtype=np.float64)))))


def gradient_regime(W: Any, tol: float = 1e-3) -> str:
    """``"exploding"`` above ``1 + tol``, ``"vanishing"`` below ``1 - tol``, ``"stable"`` in between."""
    rho = spectral_radius(W)
    if rho > 1.0 + tol:
        return "exploding"
    if rho < 1.0 - tol:
        return "vanishing"
    return "stable"


def _act(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    raise ValueError(f"unknown activation {activation!r}: use 'tanh' or 'sigmoid'")


def _act_grad(h: np.ndarray, activation: str) -> np.ndarray:
    return 1.0 - h * h if activation == "tanh" else h * (1.0 - h)


def hidden_jacobian_norms(X: Any, h0: Any, params: Mapping[str, Any], activation: str = "tanh") -> np.ndarray:
    """Entry ``t`` (``t = 0 .. T``) is the spectral norm of ``dh_T / dh_t`` for one sequence.

    ``X`` is ``[T, n_x]`` and ``h0`` is ``[n_h]``; ``params`` holds ``U [n_h, n_x]``, ``W [n_h, n_h]``
    and ``b [n_h, 1]`` (``V`` and ``c`` are not needed). The last entry, ``dh_T / dh_T = I``, is 1.
    """
    X = np.asarray(X, dtype=np.float64)
    U, W = np.asarray(params["U"], np.float64), np.asarray(params["W"], np.float64)
    b = np.asarray(params["b"], np.float64).reshape(-1)
    h = np.asarray(h0, dtype=np.float64).reshape(-1)
    derivs = []
    for t in range(X.shape[0]):
        h = _act(U @ X[t] + W @ h + b, activation)
        derivs.append(_act_grad(h, activation))
    T = len(derivs)
    norms = np.ones(T + 1)
    jac = np.eye(W.shape[0])  # dh_T / dh_t, built from t = T down to 0
    for t in range(T - 1, -1, -1):
        jac = jac @ (derivs[t][:, None] * W)  # times dh_{t+1} / dh_t = diag(act'(z_{t+1})) W
        norms[t] = np.linalg.norm(jac, 2)
    return norms
