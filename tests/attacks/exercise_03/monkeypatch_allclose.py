"""Attack: patches numpy's comparison helpers at import, then returns wrong values (zeros).

``np.allclose``, ``np.isclose``, ``np.array_equal``, ``np.array_equiv``,
``np.testing.assert_allclose`` / ``assert_array_equal`` / ``assert_array_almost_equal`` /
``assert_equal`` and ``math.isclose`` are replaced with always-pass versions. A grader that
compares results in the process that imported the student's module is fooled.
"""
from __future__ import annotations

import math

import numpy as np
import numpy.testing

np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.array_equiv = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=bool)
for _name in ("assert_allclose", "assert_array_equal", "assert_array_almost_equal",
              "assert_almost_equal", "assert_equal", "assert_array_less"):
    setattr(np.testing, _name, lambda *a, **k: None)
math.isclose = lambda *a, **k: True


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
        self.U = np.zeros((self.units, n_x))
        self.W = np.zeros((self.units, self.units))
        self.V = np.zeros((self.labels, self.units))
        self.b = np.zeros((self.units, 1))
        self.c = np.zeros((self.labels, 1))
        self.built = True

    def activate(self, z: np.ndarray) -> np.ndarray:
        return np.zeros(np.shape(z))

    def softmax(self, o: np.ndarray) -> np.ndarray:
        return np.zeros(np.shape(o))

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        return 0.0

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.built:
            self.build(np.shape(xt))
        batch = np.shape(xt)[0]
        self.y_hat = np.zeros((self.labels, batch))
        return np.zeros((self.labels, batch)), np.zeros((self.units, batch))

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
