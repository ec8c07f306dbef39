"""Exercise 06: vanishing and exploding gradients (梯度弥散/梯度爆炸), in NumPy.

Run ``grade exercise-06`` to check your work.

The chapter multiplies a matrix W by itself again and again and plots the norm of W^k: with
``W = np.ones([2, 2])`` the norm explodes, with ``W = 0.4 * np.ones([2, 2])`` it vanishes. What decides
it is the *spectral radius* of W, its largest absolute eigenvalue.

In an RNN the same thing happens to the gradient. With z_s = U x_s + W h_{s-1} + b and h_s = act(z_s),
one step back multiplies by the Jacobian

    dh_s / dh_{s-1} = diag(act'(z_s)) @ W

so that dh_T / dh_t is the product of these Jacobians for s = T, T-1, ..., t+1 (the one of step T on
the left). act'(z_s) is ``1 - h_s**2`` for tanh and ``h_s * (1 - h_s)`` for sigmoid.

General rules:

* Never modify an argument in place: return new arrays.
* ``W`` is square, ``[n, n]``; it need not be symmetric.
* The Frobenius norm of a matrix is ``sqrt(sum of its squared entries)``; its spectral norm is its
  largest singular value (``np.linalg.norm(M, 2)``).
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np


def power_norms(W: Any, k: int) -> np.ndarray:
    """Return the Frobenius norms of the matrix powers ``W^1, W^2, ..., W^k``, shape ``(k,)``.

    ``W^2`` is ``W @ W`` (a matrix product), not the element-wise ``W ** 2``.
    """
    raise NotImplementedError("power_norms() is not implemented yet")


def spectral_radius(W: Any) -> float:
    """Return the largest *absolute* eigenvalue of ``W``, as a float.

    The eigenvalues of a non-symmetric matrix can be negative or complex: take their absolute values
    before the maximum. ``np.linalg.eigh`` assumes a symmetric matrix, so it is not the right tool here.
    """
    raise NotImplementedError("spectral_radius() is not implemented yet")


def gradient_regime(W: Any, tol: float = 1e-3) -> str:
    """Return ``"exploding"``, ``"vanishing"`` or ``"stable"`` for the recurrent matrix ``W``.

    ``"exploding"`` when the spectral radius is above ``1 + tol``, ``"vanishing"`` when it is below
    ``1 - tol``, and ``"stable"`` when it lies within ``tol`` of 1 (a rotation, for example).
    """
    raise NotImplementedError("gradient_regime() is not implemented yet")


def hidden_jacobian_norms(X: Any, h0: Any, params: Mapping[str, Any], activation: str = "tanh") -> np.ndarray:
    """Return the spectral norms of ``dh_T / dh_t`` for ``t = 0, 1, ..., T``, shape ``(T+1,)``.

    One sequence only: ``X`` is ``[T, n_x]`` (step ``t`` uses ``X[t-1]``) and ``h0`` is ``[n_h]``.
    ``params`` is a dict with ``"U"`` ``[n_h, n_x]``, ``"W"`` ``[n_h, n_h]`` and ``"b"`` ``[n_h, 1]``
    (a column: flatten it to add it to a 1-D state), and also ``"V"`` and ``"c"``, which are not
    needed here. ``activation`` is ``"tanh"`` or ``"sigmoid"``.

    Entry 0 is the norm of ``dh_T / dh_0``; the last entry is the norm of ``dh_T / dh_T``, the
    identity, so it is 1.
    """
    raise NotImplementedError("hidden_jacobian_norms() is not implemented yet")
