"""Reference solution for exercise-07: training the NumPy RNN (the chapter's unfinished ``MyRNN.fit``).

A many-to-one classifier: a tanh RNN reads a whole sequence from ``h0 = 0`` and its last step's softmax is the
prediction (``mode="last"``). ``rnn_forward``/``rnn_backward`` are exercise-04's, ``sgd_step`` clips the
gradients together as ``clip_by_global_norm`` (exercise-05) does, and ``train_rnn`` runs mini-batch SGD with
every random choice (initial weights, shuffling) drawn from one ``np.random.default_rng(seed)``.
Shapes follow the chapter's conventions: ``X`` is ``[batch, T, n_x]``, ``y`` one-hot ``[batch, n_o]``.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

KEYS = ("U", "W", "V", "b", "c")


def _softmax(o: np.ndarray) -> np.ndarray:
    e = np.exp(o - np.max(o, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def rnn_forward(X: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray],
                activation: str = "tanh") -> tuple[np.ndarray, np.ndarray]:
    """exercise-04's forward pass (tanh only is needed here): ``H [T+1, n_h, batch]``, ``Y_hat [T, n_o, batch]``."""
    H, Y = [h0], []
    for t in range(X.shape[1]):
        H.append(np.tanh(params["U"] @ X[:, t, :].T + params["W"] @ H[-1] + params["b"]))
        Y.append(_softmax(params["V"] @ H[-1] + params["c"]))
    return np.stack(H), np.stack(Y)


def rnn_backward(X: np.ndarray, y: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray],
                 activation: str = "tanh", mode: str = "last") -> dict[str, np.ndarray]:
    """exercise-04's BPTT for the loss of the last step (``mode="last"``) or of every step (``"all"``)."""
    H, Y_hat = rnn_forward(X, h0, params, activation)
    grads = {k: np.zeros_like(params[k]) for k in KEYS}
    carry = np.zeros_like(h0)
    for t in range(X.shape[1] - 1, -1, -1):
        do = (Y_hat[t] - y.T) / X.shape[0] if mode == "all" or t == X.shape[1] - 1 else np.zeros_like(Y_hat[t])
        grads["V"] += do @ H[t + 1].T
        grads["c"] += do.sum(axis=1, keepdims=True)
        dz = (params["V"].T @ do + carry) * (1.0 - H[t + 1] ** 2)
        grads["U"] += dz @ X[:, t, :]
        grads["W"] += dz @ H[t].T
        grads["b"] += dz.sum(axis=1, keepdims=True)
        carry = params["W"].T @ dz
    grads["h0"] = carry
    return grads


def sgd_step(params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], lr: float,
             clip_norm: float | None = None) -> dict[str, np.ndarray]:
    """``p - lr * g`` for every parameter, after clipping the gradients together by their global norm."""
    scale = 1.0
    if clip_norm is not None:
        norm = float(np.sqrt(sum(np.sum(np.square(grads[k])) for k in params)))
        scale = clip_norm / max(norm, clip_norm)
    return {k: params[k] - lr * scale * grads[k] for k in params}


def rnn_loss(Y_hat: np.ndarray, y: np.ndarray, mode: str = "last") -> float:
    """exercise-04's loss: the last step's batch-mean cross-entropy (``"last"``), or the sum over steps (``"all"``)."""
    steps = Y_hat if mode == "all" else Y_hat[-1:]
    return float(-np.sum(y.T[None] * np.log(steps)) / y.shape[0])


def train_rnn(X: Any, y: Any, units: int, epochs: int, lr: float, clip_norm: float | None = None, seed: int = 0,
              batch_size: int = 32) -> tuple[dict[str, np.ndarray], list[float]]:
    """Mini-batch SGD on the last step's cross-entropy; returns the parameters and each epoch's mean loss."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n, _, n_x = X.shape
    n_o = y.shape[1]
    rng = np.random.default_rng(seed)
    params = {"U": rng.normal(0, 1 / np.sqrt(n_x), (units, n_x)), "W": rng.normal(0, 0.5 / np.sqrt(units), (units, units)),
              "V": rng.normal(0, 1 / np.sqrt(units), (n_o, units)), "b": np.zeros((units, 1)), "c": np.zeros((n_o, 1))}
    losses = []
    for _ in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            h0 = np.zeros((units, len(idx)))
            total += rnn_loss(rnn_forward(X[idx], h0, params)[1], y[idx], "last") * len(idx)
            grads = rnn_backward(X[idx], y[idx], h0, params, "tanh", "last")
            params = sgd_step(params, {k: grads[k] for k in KEYS}, lr, clip_norm)
        losses.append(total / n)
    return params, losses


def predict(X: Any, params: Mapping[str, np.ndarray]) -> np.ndarray:
    """The class with the highest probability at the last step, for each sequence (``h0 = 0``, tanh)."""
    X = np.asarray(X, dtype=np.float64)
    _, Y_hat = rnn_forward(X, np.zeros((params["W"].shape[0], X.shape[0])), params)
    return np.argmax(Y_hat[-1], axis=0)
