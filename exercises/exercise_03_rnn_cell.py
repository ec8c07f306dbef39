"""Exercise 03: the forward pass of an RNN cell, written from scratch in NumPy.

Run ``grade exercise-03`` to check your work.

Conventions (the chapter's own):

* a step input ``xt`` is ``[batch, n_x]`` (batch first);
* hidden states are columns: ``h`` is ``[n_h, batch]``;
* logits are columns: ``o`` is ``[n_o, batch]``;
* ``U`` is ``[n_h, n_x]``, ``W`` is ``[n_h, n_h]``, ``V`` is ``[n_o, n_h]``;
* biases are columns: ``b`` is ``[n_h, 1]`` and ``c`` is ``[n_o, 1]``.

One step computes::

    z_t   = U @ x_t^T + W @ h_{t-1} + b        # [n_h, batch]
    h_t   = act(z_t)                            # [n_h, batch]
    o_t   = V @ h_t + c                         # [n_o, batch]
    y_hat = softmax(o_t)   over axis 0          # [n_o, batch], each column sums to 1

Never modify an argument in place: return new arrays.
"""
from __future__ import annotations

import numpy as np


class MyRNNCell:
    """A simple RNN cell with ``units`` hidden units and ``labels`` output classes."""

    def __init__(self, units: int, activation: str = "tanh", labels: int = 2, random_state: int = 0) -> None:
        self.units = units            # n_h
        self.activation = activation  # "tanh" or "sigmoid"
        self.labels = labels          # n_o
        self.random_state = random_state
        self.U = None  # [n_h, n_x]
        self.W = None  # [n_h, n_h]
        self.V = None  # [n_o, n_h]
        self.b = None  # [n_h, 1]
        self.c = None  # [n_o, 1]
        self.y_hat = None  # the last softmax output, [n_o, batch]
        self.built = False

    def build(self, input_shape: tuple[int, int]) -> None:
        """Create ``U, W, V, b, c`` for inputs of shape ``(batch, n_x)``.

        Use ``np.random.default_rng(self.random_state)`` for the initial values (the grader
        replaces them with its own, so any small values will do) and zeros for the biases.

        Finish by setting ``self.built = True``. The chapter's listing writes
        ``self.build = True``, which replaces this method with a bool and leaves the cell
        unbuilt: don't copy that bug.
        """
        raise NotImplementedError("build() is not implemented yet")

    def activate(self, z: np.ndarray) -> np.ndarray:
        """Apply ``self.activation`` element-wise.

        ``"tanh"`` gives ``tanh(z)``, ``"sigmoid"`` gives ``1 / (1 + exp(-z))``; any other name
        raises ``ValueError``.
        """
        raise NotImplementedError("activate() is not implemented yet")

    def softmax(self, o: np.ndarray) -> np.ndarray:
        """Softmax of logits ``o`` (``[n_o, batch]``) over the class axis, axis 0.

        It must be numerically stable: subtract each column's maximum before ``np.exp`` so
        that logits of size 1000 do not overflow.
        """
        raise NotImplementedError("softmax() is not implemented yet")

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        """Cross-entropy of one step as a float.

        ``y_true`` is one-hot ``[n_o, batch]`` and ``y_hat`` is ``[n_o, batch]``. Sum
        ``-y_true * log(y_hat)`` over the classes, then take the mean over the batch.
        """
        raise NotImplementedError("loss() is not implemented yet")

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One step: return ``(o, ht)`` and store the softmax of ``o`` in ``self.y_hat``.

        ``xt`` is ``[batch, n_x]`` and ``ht_1`` (the previous state) is ``[n_h, batch]``.
        Build the cell first if ``self.built`` is False. ``o`` is ``[n_o, batch]`` (logits,
        not probabilities) and ``ht`` is ``[n_h, batch]``.
        """
        raise NotImplementedError("call() is not implemented yet")

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``cell(xt, ht_1)`` does the same as ``cell.call(xt, ht_1)``."""
        raise NotImplementedError("__call__() is not implemented yet")
