"""Alternate (correct): casts parameters and inputs to float32 internally and returns float32.

Must get full marks: the contract accepts float32 or float64 results and compares at float32
tolerance. Note loss() casts y_hat to float32 too, so probabilities below ~1e-38 become 0.
"""
from __future__ import annotations

import numpy as np

F = np.float32


class MyRNNCell:
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
        lim = np.sqrt(6.0 / (n_x + self.units))
        self.U = rng.uniform(-lim, lim, (self.units, n_x)).astype(F)
        self.W = rng.uniform(-lim, lim, (self.units, self.units)).astype(F)
        self.V = rng.uniform(-lim, lim, (self.labels, self.units)).astype(F)
        self.b = np.zeros((self.units, 1), dtype=F)
        self.c = np.zeros((self.labels, 1), dtype=F)
        self.built = True

    def activate(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z, dtype=F)
        if self.activation == "tanh":
            return np.tanh(z)
        if self.activation == "sigmoid":
            return F(1) / (F(1) + np.exp(-z))
        raise ValueError(f"unknown activation {self.activation!r}")

    def softmax(self, o: np.ndarray) -> np.ndarray:
        o = np.asarray(o, dtype=F)
        e = np.exp(o - o.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        y_true = np.asarray(y_true, dtype=F)
        y_hat = np.asarray(y_hat, dtype=F)
        return float(-(y_true * np.log(y_hat)).sum(axis=0).mean())

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        xt = np.asarray(xt, dtype=F)
        ht_1 = np.asarray(ht_1, dtype=F)
        if not self.built:
            self.build(xt.shape)
        U, W, V = (np.asarray(m, dtype=F) for m in (self.U, self.W, self.V))
        b, c = np.asarray(self.b, dtype=F), np.asarray(self.c, dtype=F)
        ht = self.activate(U @ xt.T + W @ ht_1 + b)
        o = V @ ht + c
        self.y_hat = self.softmax(o)
        return o, ht

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
