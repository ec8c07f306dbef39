"""Correct alternate: the chapter's style, a step-by-step loop with Python lists as caches.

Every step's state and softmax output is appended to a list; the backward loop accumulates each
parameter gradient with ``+=`` one step at a time, and the arrays are stacked only at the end.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np


def _act(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))
    raise ValueError(f"unknown activation {activation!r}")


def _softmax(o: np.ndarray) -> np.ndarray:
    e = np.exp(o - o.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def rnn_forward(
    X: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray], activation: str = "tanh"
) -> tuple[np.ndarray, np.ndarray]:
    """``H`` ``[T+1, n_h, batch]`` (``H[0] = h0``) and ``Y_hat`` ``[T, n_o, batch]``."""
    U, W, V, b, c = (params[k] for k in ("U", "W", "V", "b", "c"))
    hs = [np.array(h0, dtype=float)]
    y_hats = []
    for t in range(X.shape[1]):
        h = _act(U @ X[:, t, :].T + W @ hs[-1] + b, activation)
        hs.append(h)
        y_hats.append(_softmax(V @ h + c))
    n_o, batch = np.shape(params["V"])[0], X.shape[0]
    Y_hat = np.stack(y_hats) if y_hats else np.zeros((0, n_o, batch))
    return np.stack(hs), Y_hat


def rnn_loss(Y_hat: np.ndarray, y: np.ndarray, mode: str = "all") -> float:
    """``"all"``: sum over the steps of the batch-mean cross-entropy; ``"last"``: the last step's."""
    if mode not in ("all", "last"):
        raise ValueError(f"unknown mode {mode!r}")
    batch = y.shape[0]
    losses = [-np.sum(y.T * np.log(y_hat)) / batch for y_hat in Y_hat]
    return float(losses[-1]) if mode == "last" else float(sum(losses))


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
    U, W, V, b, c = (params[k] for k in ("U", "W", "V", "b", "c"))
    H, Y_hat = rnn_forward(X, h0, params, activation)
    T, batch = X.shape[1], X.shape[0]
    dU, dW, dV = np.zeros_like(U, dtype=float), np.zeros_like(W, dtype=float), np.zeros_like(V, dtype=float)
    db, dc = np.zeros((W.shape[0], 1)), np.zeros((V.shape[0], 1))
    dh_next = np.zeros_like(H[0])
    for t in reversed(range(1, T + 1)):
        h, h_prev, x = H[t], H[t - 1], X[:, t - 1, :]
        if mode == "all" or t == T:
            do = (Y_hat[t - 1] - y.T) / batch
        else:
            do = np.zeros_like(Y_hat[t - 1])
        dV += do @ h.T
        dc += do.sum(axis=1, keepdims=True)
        dh = V.T @ do + dh_next
        dz = dh * ((1 - h ** 2) if activation == "tanh" else h * (1 - h))
        dU += dz @ x
        dW += dz @ h_prev.T
        db += dz.sum(axis=1, keepdims=True)
        dh_next = W.T @ dz
    return {"U": dU, "W": dW, "V": dV, "b": db.reshape(np.shape(b)), "c": dc.reshape(np.shape(c)), "h0": dh_next}
