"""Attack: a later submission looks for files an earlier one planted in /tmp and /dev/shm (__MARKER__)."""
from __future__ import annotations

import os

import numpy as np

for folder in ("/tmp", "/dev/shm"):
    if os.path.exists(f"{folder}/rnn_planted___MARKER__"):
        print("PLANTED-SEEN", folder, flush=True)


class MyRNNCell:
    def __init__(self, units: int, activation: str = "tanh", labels: int = 2, random_state: int = 0) -> None:
        self.units = units
        self.activation = activation
        self.labels = labels
        self.random_state = random_state
        self.U = self.W = self.V = self.b = self.c = None
        self.y_hat = None
        self.built = False

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError("call")

    def build(self, input_shape: tuple[int, int]) -> None:
        n_x = int(input_shape[-1])
        rng = np.random.default_rng(self.random_state)
        self.U = rng.uniform(-0.1, 0.1, (self.units, n_x))
        self.W = rng.uniform(-0.1, 0.1, (self.units, self.units))
        self.V = rng.uniform(-0.1, 0.1, (self.labels, self.units))
        self.b = np.zeros((self.units, 1))
        self.c = np.zeros((self.labels, 1))
        self.built = True

    def activate(self, z: np.ndarray) -> np.ndarray:
        if self.activation == "tanh":
            return np.tanh(z)
        if self.activation == "sigmoid":
            return 1.0 / (1.0 + np.exp(-z))
        raise ValueError(f"unknown activation {self.activation!r}")

    def softmax(self, o: np.ndarray) -> np.ndarray:
        e = np.exp(o - np.max(o, axis=0, keepdims=True))
        return e / np.sum(e, axis=0, keepdims=True)

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        return float(-np.sum(y_true * np.log(y_hat)) / y_true.shape[1])

