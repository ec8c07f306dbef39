"""Alternate (correct): softmax via a log-sum-exp formulation, exp(o - logsumexp(o)).

Must get full marks: numerically stable for logits of size 1000, numpy only.
"""
from __future__ import annotations

import numpy as np


def _logsumexp0(o: np.ndarray) -> np.ndarray:
    m = np.max(o, axis=0, keepdims=True)
    return m + np.log(np.sum(np.exp(o - m), axis=0, keepdims=True))


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
        scale = 1.0 / np.sqrt(self.units)
        self.U = rng.uniform(-scale, scale, (self.units, n_x))
        self.W = rng.uniform(-scale, scale, (self.units, self.units))
        self.V = rng.uniform(-scale, scale, (self.labels, self.units))
        self.b = np.zeros((self.units, 1))
        self.c = np.zeros((self.labels, 1))
        self.built = True

    def activate(self, z: np.ndarray) -> np.ndarray:
        if self.activation == "tanh":
            return np.tanh(z)
        if self.activation == "sigmoid":
            return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z)))  # == 1 / (1 + exp(-z))
        raise ValueError(f"unknown activation {self.activation!r}")

    def softmax(self, o: np.ndarray) -> np.ndarray:
        o = np.asarray(o)
        return np.exp(o - _logsumexp0(o))

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        y_true = np.asarray(y_true)
        return float(np.mean(-np.sum(y_true * np.log(y_hat), axis=0)))

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.built:
            self.build(np.shape(xt))
        ht = self.activate(self.U @ np.transpose(xt) + self.W @ ht_1 + self.b)
        o = self.V @ ht + self.c
        self.y_hat = self.softmax(o)
        return o, ht

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
