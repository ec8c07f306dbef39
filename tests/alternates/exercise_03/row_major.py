"""Alternate (correct): computes internally with row-major [batch, n_h] states, transposing at the boundaries.

Must get full marks. The public interface keeps the chapter's column-major shapes; the
returned arrays are transposed views (Fortran-ordered), which the grader must accept.
"""
from __future__ import annotations

import numpy as np


class MyRNNCell:
    def __init__(self, units: int, activation: str = "tanh", labels: int = 2, random_state: int = 0) -> None:
        self.units = units
        self.activation = activation
        self.labels = labels
        self.random_state = random_state
        self.U = None
        self.W = None
        self.V = None
        self.b = None
        self.c = None
        self.y_hat = None
        self.built = False

    def build(self, input_shape: tuple[int, int]) -> None:
        _, n_x = input_shape
        rng = np.random.default_rng(self.random_state)
        # Stored in the contract's shapes; the row-major work uses their transposes.
        self.U = rng.standard_normal((self.units, n_x)) * 0.01
        self.W = rng.standard_normal((self.units, self.units)) * 0.01
        self.V = rng.standard_normal((self.labels, self.units)) * 0.01
        self.b = np.zeros((self.units, 1))
        self.c = np.zeros((self.labels, 1))
        self.built = True

    def activate(self, z: np.ndarray) -> np.ndarray:
        if self.activation == "tanh":
            return np.tanh(z)
        if self.activation == "sigmoid":
            return np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + exp(-z)), overflow-free
        raise ValueError("activation must be 'tanh' or 'sigmoid'")

    @staticmethod
    def _softmax_rows(x: np.ndarray) -> np.ndarray:
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def softmax(self, o: np.ndarray) -> np.ndarray:
        return self._softmax_rows(np.asarray(o).T).T

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        y_rows = np.asarray(y_true).T      # [batch, n_o]
        p_rows = np.asarray(y_hat).T
        per_example = -(y_rows * np.log(p_rows)).sum(axis=1)
        return float(per_example.mean())

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xt = np.asarray(xt)
        if not self.built:
            self.build(xt.shape)
        h_prev = np.asarray(ht_1).T                              # [batch, n_h]
        z = xt @ self.U.T + h_prev @ self.W.T + self.b.T         # [batch, n_h]
        h = self.activate(z)
        logits = h @ self.V.T + self.c.T                         # [batch, n_o]
        self.y_hat = self._softmax_rows(logits).T
        return logits.T, h.T

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
