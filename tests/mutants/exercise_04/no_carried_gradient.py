"""Mistake: the carried gradient dh_next is never added, so dh_t = V^T do_t only.

Mutant of the exercise-04 reference (solutions/exercise_04_bptt.py) with one realistic
mistake, for testing the grader. Not a correct solution.

``# changes:`` lists the outputs that differ from the reference: ``forward.H``, ``forward.Y_hat``,
``loss`` (rnn_loss on the reference Y_hat), ``backward.<key>`` (wrong or missing) and
``inputs.<argument>`` (modified in place). ``# when:`` says for which activation / mode they
differ (with batch >= 2, T >= 2, random inputs, non-zero h0); elsewhere the outputs match.
"""
# changes: backward.U backward.W backward.b backward.h0
# when: always
from __future__ import annotations

from typing import Mapping

import numpy as np

PARAM_KEYS: tuple[str, ...] = ("U", "W", "V", "b", "c")
ACTIVATIONS: tuple[str, ...] = ("tanh", "sigmoid")
MODES: tuple[str, ...] = ("all", "last")


def _activate(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-z))
    raise ValueError(f"unknown activation {activation!r}: use 'tanh' or 'sigmoid'")


def _activation_grad(h: np.ndarray, activation: str) -> np.ndarray:
    """Derivative of the activation, written in terms of its output ``h = act(z)``."""
    if activation == "tanh":
        return 1.0 - h * h
    if activation == "sigmoid":
        return h * (1.0 - h)
    raise ValueError(f"unknown activation {activation!r}: use 'tanh' or 'sigmoid'")


def _softmax(o: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(o - np.max(o, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: use 'all' or 'last'")


def _as_params(params: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """float64 copies-or-views of the parameters (never written to), biases as columns."""
    p = {k: np.asarray(params[k], dtype=np.float64) for k in PARAM_KEYS}
    p["b"] = p["b"].reshape(-1, 1)
    p["c"] = p["c"].reshape(-1, 1)
    return p


def rnn_forward(
    X: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray], activation: str = "tanh"
) -> tuple[np.ndarray, np.ndarray]:
    """Run the RNN over a whole sequence.

    ``X`` is ``[batch, T, n_x]`` and ``h0`` is ``[n_h, batch]``. Returns ``(H, Y_hat)`` with ``H``
    ``[T+1, n_h, batch]`` (``H[0] = h0``) and ``Y_hat`` ``[T, n_o, batch]``: ``Y_hat[t-1]`` is the
    softmax output of step ``t``.
    """
    X = np.asarray(X, dtype=np.float64)
    p = _as_params(params)
    _activate(np.zeros(0), activation)  # validates the name even when T == 0
    batch, T, n_x = X.shape
    n_h = p["W"].shape[0]
    # Input projections of every step at once: XU[t] = U @ x_{t+1}^T + b, [T, n_h, batch].
    XU = (X.reshape(batch * T, n_x) @ p["U"].T).reshape(batch, T, n_h).transpose(1, 2, 0) + p["b"]
    H = np.empty((T + 1, n_h, batch))
    H[0] = h0
    for t in range(T):
        H[t + 1] = _activate(XU[t] + p["W"] @ H[t], activation)
    O = np.matmul(p["V"], H[1:]) + p["c"]  # [T, n_o, batch]
    return H, _softmax(O, axis=1)


def _step_losses(Y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-step cross-entropy, shape ``[T]``: batch mean of ``-sum(y * log(y_hat))`` over classes."""
    Y = np.asarray(y, dtype=np.float64).T  # [n_o, batch]
    Y_hat = np.asarray(Y_hat, dtype=np.float64)
    # Classes with label 0 contribute 0 even where y_hat underflowed to 0 (no 0 * -inf = nan).
    # A true class whose probability underflowed to 0 gives an infinite loss, as log(0) should.
    safe = np.where(Y > 0, Y_hat, 1.0)
    with np.errstate(divide="ignore"):
        return -np.sum(Y * np.log(safe), axis=(1, 2)) / Y.shape[1]


def rnn_loss(Y_hat: np.ndarray, y: np.ndarray, mode: str = "all") -> float:
    """Cross-entropy of a sequence as a float.

    ``Y_hat`` is ``[T, n_o, batch]`` and ``y`` one-hot ``[batch, n_o]``. Each step's loss ``L_t`` is the
    batch mean of ``-sum(y * log(y_hat_t))`` over classes. ``"all"`` returns ``sum_t L_t``, ``"last"``
    returns ``L_T``.
    """
    _check_mode(mode)
    losses = _step_losses(Y_hat, y)
    if mode == "last":
        if losses.shape[0] == 0:
            raise ValueError("mode 'last' needs at least one time step")
        return float(losses[-1])
    return float(np.sum(losses))


def rnn_backward(
    X: np.ndarray,
    y: np.ndarray,
    h0: np.ndarray,
    params: Mapping[str, np.ndarray],
    activation: str = "tanh",
    mode: str = "all",
) -> dict[str, np.ndarray]:
    """Gradients of ``rnn_loss(rnn_forward(X, h0, params, activation)[1], y, mode)``.

    Returns a dict with keys ``"U", "W", "V", "b", "c"`` (each shaped like its parameter) and ``"h0"``
    (``[n_h, batch]``).
    """
    _check_mode(mode)
    X = np.asarray(X, dtype=np.float64)
    p = _as_params(params)
    H, Y_hat = rnn_forward(X, h0, p, activation)
    batch, T, n_x = X.shape
    if T == 0 and mode == "last":
        raise ValueError("mode 'last' needs at least one time step")
    n_h = H.shape[1]
    Y = np.asarray(y, dtype=np.float64).T  # [n_o, batch]

    # Output layer: dL/do_t (batch mean), zero before the last step in mode "last".
    if mode == "last":
        dO = ((Y_hat[-1] * Y.sum(axis=0) - Y) / batch)[None]
        H_out = H[-1:]
    else:
        dO = (Y_hat * Y.sum(axis=0) - Y) / batch
        H_out = H[1:]
    n_out = dO.shape[0]  # steps with an output gradient: the last n_out steps
    dH_out = np.zeros((T, n_h, batch))
    dH_out[T - n_out:] = np.matmul(p["V"].T, dO)
    dact = _activation_grad(H[1:], activation)

    # The recurrence: dz_t = (V^T do_t + W^T dz_{t+1}) * act'(z_t), from t = T down to 1.
    dZ = np.empty((T, n_h, batch))
    WT = p["W"].T
    carry = np.zeros((n_h, batch))
    for t in range(T - 1, -1, -1):
        dZ[t] = dH_out[t] * dact[t]  # MISTAKE: dh_next (carry) not added
        carry = WT @ dZ[t]

    # Sums over time (and batch) as single matrix products: [n_h, T*batch] @ [T*batch, ...].
    dZ_flat = dZ.transpose(1, 0, 2).reshape(n_h, T * batch)
    n_o = dO.shape[1]
    return {
        "U": dZ_flat @ X.transpose(1, 0, 2).reshape(T * batch, n_x),
        "W": dZ_flat @ H[:-1].transpose(0, 2, 1).reshape(T * batch, n_h),
        "V": dO.transpose(1, 0, 2).reshape(n_o, n_out * batch)
        @ H_out.transpose(0, 2, 1).reshape(n_out * batch, n_h),
        "b": dZ.sum(axis=(0, 2)).reshape(np.shape(params["b"])),
        "c": dO.sum(axis=(0, 2)).reshape(np.shape(params["c"])),
        "h0": carry,
    }
