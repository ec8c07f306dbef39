"""Correct alternate: the recurrence in a loop, everything else over all steps at once with einsum.

The input projections, the output layer, the softmax, the loss and every parameter-gradient sum are
single ``np.einsum`` calls over the time and batch axes; only ``h_t`` and ``dz_t`` are computed step
by step. Works in the dtype of the inputs (float32 stays float32).
"""
from __future__ import annotations

from typing import Mapping

import numpy as np


def _dtype(*arrays: np.ndarray) -> np.dtype:
    return np.result_type(*arrays, np.float32)


def rnn_forward(
    X: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray], activation: str = "tanh"
) -> tuple[np.ndarray, np.ndarray]:
    """``H`` ``[T+1, n_h, batch]`` (``H[0] = h0``) and ``Y_hat`` ``[T, n_o, batch]``."""
    if activation not in ("tanh", "sigmoid"):
        raise ValueError(f"unknown activation {activation!r}")
    U, W, V, b, c = (params[k] for k in ("U", "W", "V", "b", "c"))
    dt = _dtype(X, h0, U, W, V, b, c)
    T = X.shape[1]
    ZX = np.einsum("hx,btx->thb", U, X).astype(dt) + b  # [T, n_h, batch]
    H = np.zeros((T + 1,) + np.shape(h0), dtype=dt)
    H[0] = h0
    for t in range(T):
        z = ZX[t] + W @ H[t]
        H[t + 1] = np.tanh(z) if activation == "tanh" else 0.5 * (1 + np.tanh(0.5 * z))
    O = np.einsum("oh,thb->tob", V, H[1:]) + c
    E = np.exp(O - O.max(axis=1, keepdims=True))
    return H, E / E.sum(axis=1, keepdims=True)


def rnn_loss(Y_hat: np.ndarray, y: np.ndarray, mode: str = "all") -> float:
    """``"all"``: sum over the steps of the batch-mean cross-entropy; ``"last"``: the last step's."""
    if mode not in ("all", "last"):
        raise ValueError(f"unknown mode {mode!r}")
    per_step = -np.einsum("bo,tob->t", y, np.log(Y_hat)) / y.shape[0]
    return float(per_step[-1] if mode == "last" else per_step.sum())


def rnn_backward(
    X: np.ndarray,
    y: np.ndarray,
    h0: np.ndarray,
    params: Mapping[str, np.ndarray],
    activation: str = "tanh",
    mode: str = "all",
) -> dict[str, np.ndarray]:
    """Gradients with keys ``U, W, V, b, c, h0``."""
    if mode not in ("all", "last"):
        raise ValueError(f"unknown mode {mode!r}")
    H, Y_hat = rnn_forward(X, h0, params, activation)
    W, V = params["W"], params["V"]
    dO = (Y_hat - y.T[None]) / y.shape[0]  # [T, n_o, batch]
    if mode == "last":
        dO[:-1] = 0
    dact = 1 - H[1:] ** 2 if activation == "tanh" else H[1:] * (1 - H[1:])
    dH_out = np.einsum("oh,tob->thb", V, dO)
    dZ = np.zeros_like(dH_out)
    carry = np.zeros_like(H[0])
    for t in range(X.shape[1] - 1, -1, -1):
        dZ[t] = (dH_out[t] + carry) * dact[t]
        carry = W.T @ dZ[t]
    return {
        "U": np.einsum("thb,btx->hx", dZ, X),
        "W": np.einsum("thb,tkb->hk", dZ, H[:-1]),
        "V": np.einsum("tob,thb->oh", dO, H[1:]),
        "b": dZ.sum(axis=(0, 2)).reshape(np.shape(params["b"])),
        "c": dO.sum(axis=(0, 2)).reshape(np.shape(params["c"])),
        "h0": carry,
    }
