"""A correct exercise-03 that must not trip the state-corruption diagnoses (issue 11): call() builds only when U is
None or built is False, and replaces each parameter by a new float64 array with the same values (new objects, but
still the weights the grader set: not rebuilt, not written into).

Shapes follow the chapter's conventions (see EXERCISES.md):
``xt`` is ``[batch, n_x]``, ``h`` is ``[n_h, batch]``, ``o`` is ``[n_o, batch]``.
"""
from __future__ import annotations

import numpy as np


class MyRNNCell:
    """A simple RNN cell: ``h_t = act(U x_t^T + W h_{t-1} + b)``, ``o_t = V h_t + c``."""

    def __init__(self, units: int, activation: str = "tanh", labels: int = 2, random_state: int = 0) -> None:
        self.units = units
        self.activation = activation
        self.labels = labels
        self.random_state = random_state
        self.U = self.W = self.V = self.b = self.c = None
        self.y_hat = None
        self.built = False

    def build(self, input_shape: tuple[int, int]) -> None:
        n_x = int(input_shape[-1])
        rng = np.random.default_rng(self.random_state)
        scale = 1.0 / np.sqrt(self.units)
        self.U = rng.uniform(-scale, scale, (self.units, n_x))
        self.W = rng.uniform(-scale, scale, (self.units, self.units))
        self.V = rng.uniform(-scale, scale, (self.labels, self.units))
        self.b = np.zeros((self.units, 1))
        self.c = np.zeros((self.labels, 1))
        self.built = True  # the chapter's listing wrote `self.build = True`

    def activate(self, z: np.ndarray) -> np.ndarray:
        if self.activation == "tanh":
            return np.tanh(z)
        if self.activation == "sigmoid":
            return 1.0 / (1.0 + np.exp(-z))
        raise ValueError(f"unknown activation {self.activation!r}: use 'tanh' or 'sigmoid'")

    def softmax(self, o: np.ndarray) -> np.ndarray:
        shifted = o - np.max(o, axis=0, keepdims=True)
        e = np.exp(shifted)
        return e / np.sum(e, axis=0, keepdims=True)

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        batch = y_true.shape[1]
        return float(-np.sum(y_true * np.log(y_hat)) / batch)

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.U is None or not self.built:  # builds only an unbuilt cell
            self.build(xt.shape)
        # new float64 arrays with the same values: the weights the grader set are kept (not rebuilt, not written)
        self.U, self.W, self.V = (np.array(p, dtype=np.float64) for p in (self.U, self.W, self.V))
        self.b, self.c = np.array(self.b, dtype=np.float64), np.array(self.c, dtype=np.float64)
        z = self.U @ xt.T + self.W @ ht_1 + self.b
        ht = self.activate(z)
        o = self.V @ ht + self.c
        self.y_hat = self.softmax(o)
        return o, ht

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
