"""Exercise 04: backpropagation through time (BPTT), written from scratch in NumPy.

Run ``grade exercise-04`` to check your work.

Conventions (the chapter's own):

* a sequence ``X`` is ``[batch, T, n_x]`` (batch first), so the input of step ``t`` is
  ``x_t = X[:, t-1, :]``, ``[batch, n_x]``;
* hidden states are columns: ``h_t`` is ``[n_h, batch]``; the initial state ``h0`` too;
* ``U`` is ``[n_h, n_x]``, ``W`` is ``[n_h, n_h]``, ``V`` is ``[n_o, n_h]``;
* biases are columns: ``b`` is ``[n_h, 1]`` and ``c`` is ``[n_o, 1]``;
* the labels ``y`` are one-hot ``[batch, n_o]``: one label per sequence, so ``y.T`` (``[n_o, batch]``)
  is the target of every step.

The forward pass, for ``t = 1 .. T``::

    z_t     = U @ x_t.T + W @ h_{t-1} + b      # [n_h, batch]
    h_t     = act(z_t)                          # [n_h, batch]
    o_t     = V @ h_t + c                       # [n_o, batch]
    y_hat_t = softmax(o_t)  over axis 0         # [n_o, batch]
    L_t     = mean over the batch of -sum(y.T * log(y_hat_t)) over the classes

The backward pass, following the chapter's derivation (``B`` is the batch size)::

    do_t    = (y_hat_t - y.T) / B               # dL/do_t; in mode "last" only for t = T
    dV     += do_t @ h_t.T                      # sum over t (and, through the product, over the batch)
    dc     += do_t summed over the batch        # keep it a column [n_o, 1]
    dh_t    = V.T @ do_t + dh_next              # its own output's part + the part carried from t+1
    dz_t    = dh_t * act'(z_t)                  # tanh: 1 - h_t**2, sigmoid: h_t * (1 - h_t)
    dU     += dz_t @ x_t                        # [n_h, batch] @ [batch, n_x]
    dW     += dz_t @ h_{t-1}.T                  # the PREVIOUS state, the one W multiplied
    db     += dz_t summed over the batch        # keep it a column [n_h, 1]
    dh_next = W.T @ dz_t                        # carried back to step t-1

Go through ``t = T, T-1, ..., 1`` with ``dh_next = 0`` at the start; after step 1, ``dh_next`` is the
gradient of ``h0``. The ``1 / B`` appears once, in ``do_t``: nothing is averaged again later.

Never modify an argument in place (neither the arrays nor the ``params`` dict): return new arrays.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np


def rnn_forward(
    X: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray], activation: str = "tanh"
) -> tuple[np.ndarray, np.ndarray]:
    """Run the RNN over a whole sequence and return ``(H, Y_hat)``.

    ``X`` is ``[batch, T, n_x]``, ``h0`` is ``[n_h, batch]`` and ``params`` is a dict with keys
    ``"U", "W", "V", "b", "c"``. ``activation`` is ``"tanh"`` or ``"sigmoid"``.

    * ``H`` is ``[T+1, n_h, batch]``: ``H[0] = h0`` and ``H[t]`` is ``h_t``.
    * ``Y_hat`` is ``[T, n_o, batch]``: ``Y_hat[t-1]`` is ``y_hat_t``, the softmax of step ``t``.

    Go through the steps in order, starting from ``h0`` (not from zeros).
    """
    raise NotImplementedError("rnn_forward() is not implemented yet")


def rnn_loss(Y_hat: np.ndarray, y: np.ndarray, mode: str = "all") -> float:
    """Cross-entropy of the sequence as a float.

    ``Y_hat`` is ``[T, n_o, batch]`` (from ``rnn_forward``) and ``y`` is one-hot ``[batch, n_o]``.
    ``L_t`` is the batch mean of ``-sum(y * log(y_hat_t))`` over the classes.

    * ``mode="all"``: ``L = L_1 + L_2 + ... + L_T`` (a sum over time, not a mean).
    * ``mode="last"``: ``L = L_T`` (many-to-one, as in sentiment classification).
    """
    raise NotImplementedError("rnn_loss() is not implemented yet")


def rnn_backward(
    X: np.ndarray,
    y: np.ndarray,
    h0: np.ndarray,
    params: Mapping[str, np.ndarray],
    activation: str = "tanh",
    mode: str = "all",
) -> dict[str, np.ndarray]:
    """Gradients of ``rnn_loss(rnn_forward(X, h0, params, activation)[1], y, mode)``.

    Return a new dict with keys ``"U", "W", "V", "b", "c"`` (each the same shape as its parameter:
    ``[n_h, n_x]``, ``[n_h, n_h]``, ``[n_o, n_h]``, ``[n_h, 1]``, ``[n_o, 1]``) and ``"h0"``
    (``[n_h, batch]``, the gradient of the initial state).

    Call ``rnn_forward`` for ``H`` and ``Y_hat``, then follow the backward pass in the module
    docstring from ``t = T`` down to ``t = 1``. In mode ``"last"`` only the last step has an output
    gradient (``do_t = 0`` for ``t < T``), but the carried gradient still flows back to ``h0``.
    Use all the batch at once: no loop over the batch is needed.
    """
    raise NotImplementedError("rnn_backward() is not implemented yet")
