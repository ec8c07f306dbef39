"""Correct alternate: explicit loops, with the sigmoid written as ``(1 + tanh(z / 2)) / 2``.

The forward pass keeps ``z_t`` and takes the activation's derivative from ``z_t`` itself
(``sigmoid'(z) = s(1 - s)``, ``tanh'(z) = 1 - tanh(z)**2``) rather than from ``h_t``.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return (1.0 + np.tanh(z / 2.0)) / 2.0


def _act(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return _sigmoid(z)
    raise ValueError(f"unknown activation {activation!r}")


def _act_prime(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "tanh":
        return 1.0 - np.tanh(z) ** 2
    s = _sigmoid(z)
    return s * (1.0 - s)


def _forward(X: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray],
             activation: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    U, W, V, b, c = (np.asarray(params[k], dtype=np.float64) for k in ("U", "W", "V", "b", "c"))
    T, batch = X.shape[1], X.shape[0]
    H = np.zeros((T + 1, W.shape[0], batch))
    Z = np.zeros((T, W.shape[0], batch))
    Y_hat = np.zeros((T, V.shape[0], batch))
    H[0] = h0
    for t in range(1, T + 1):
        Z[t - 1] = U @ X[:, t - 1, :].T + W @ H[t - 1] + b
        H[t] = _act(Z[t - 1], activation)
        o = V @ H[t] + c
        o = o - o.max(axis=0)
        Y_hat[t - 1] = np.exp(o) / np.exp(o).sum(axis=0)
    return H, Y_hat, Z


def rnn_forward(
    X: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray], activation: str = "tanh"
) -> tuple[np.ndarray, np.ndarray]:
    """``H`` ``[T+1, n_h, batch]`` (``H[0] = h0``) and ``Y_hat`` ``[T, n_o, batch]``."""
    H, Y_hat, _ = _forward(X, h0, params, activation)
    return H, Y_hat


def rnn_loss(Y_hat: np.ndarray, y: np.ndarray, mode: str = "all") -> float:
    """``"all"``: sum over the steps of the batch-mean cross-entropy; ``"last"``: the last step's."""
    if mode == "last":
        return float(-np.sum(y.T * np.log(Y_hat[-1])) / y.shape[0])
    if mode == "all":
        total = 0.0
        for t in range(Y_hat.shape[0]):
            total += -np.sum(y.T * np.log(Y_hat[t])) / y.shape[0]
        return float(total)
    raise ValueError(f"unknown mode {mode!r}")


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
    H, Y_hat, Z = _forward(X, h0, params, activation)
    W, V = np.asarray(params["W"], dtype=np.float64), np.asarray(params["V"], dtype=np.float64)
    T, batch = X.shape[1], X.shape[0]
    grads = {"U": np.zeros(np.shape(params["U"])), "W": np.zeros(W.shape), "V": np.zeros(V.shape),
             "b": np.zeros((W.shape[0], 1)), "c": np.zeros((V.shape[0], 1))}
    dh_next = np.zeros(H.shape[1:])
    for t in range(T, 0, -1):
        dh = dh_next.copy()
        if mode == "all" or t == T:
            do = (Y_hat[t - 1] - y.T) / batch
            grads["V"] += do @ H[t].T
            grads["c"] += do.sum(axis=1, keepdims=True)
            dh += V.T @ do
        dz = dh * _act_prime(Z[t - 1], activation)
        grads["U"] += dz @ X[:, t - 1, :]
        grads["W"] += dz @ H[t - 1].T
        grads["b"] += dz.sum(axis=1, keepdims=True)
        dh_next = W.T @ dz
    grads["b"] = grads["b"].reshape(np.shape(params["b"]))
    grads["c"] = grads["c"].reshape(np.shape(params["c"]))
    grads["h0"] = dh_next
    return grads
