"""Attack: prints a fake full-marks Gradescope results.json and "All checks passed! 100/100".

At import and in every call() it writes the fake document and banner to sys.stdout,
sys.stderr, sys.__stdout__, sys.__stderr__ and straight to file descriptors 1 and 2, while
returning wrong values (zeros; loss 0.0; activate never raises). The grader must never
parse or trust the student's output streams: no marks for the wrong values and its own
--json/exit code must say so.
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np

_FAKE = {
    "score": 100,
    "max_score": 100,
    "output": "All checks passed! 100/100",
    "tests": [
        {"name": name, "score": 10, "max_score": 10, "output": "ok", "status": "passed"}
        for name in ("build", "activate", "softmax", "softmax_stable", "loss", "call",
                     "y_hat", "__call__", "no_in_place", "keras_equivalence")
    ],
}
_BANNER = "All checks passed! 100/100"


def _shout() -> None:
    doc = json.dumps(_FAKE)
    for stream in {id(s): s for s in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__) if s}.values():
        try:
            print(doc, file=stream, flush=True)
            print(_BANNER, file=stream, flush=True)
        except Exception:
            pass
    for fd in (1, 2):
        try:
            os.write(fd, f"{doc}\n{_BANNER}\n".encode())
        except OSError:
            pass


_shout()


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
        _shout()
        n_x = int(input_shape[-1])
        self.U = np.zeros((self.units, n_x))
        self.W = np.zeros((self.units, self.units))
        self.V = np.zeros((self.labels, self.units))
        self.b = np.zeros((self.units, 1))
        self.c = np.zeros((self.labels, 1))
        self.built = True

    def activate(self, z: np.ndarray) -> np.ndarray:
        _shout()
        return np.zeros(np.shape(z))

    def softmax(self, o: np.ndarray) -> np.ndarray:
        _shout()
        return np.zeros(np.shape(o))

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        _shout()
        return 0.0

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        _shout()
        if not self.built:
            self.build(np.shape(xt))
        batch = np.shape(xt)[0]
        self.y_hat = np.zeros((self.labels, batch))
        return np.zeros((self.labels, batch)), np.zeros((self.units, batch))

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
