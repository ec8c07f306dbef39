"""Attack on the result channel: softmax() writes forged frames straight into the result pipe.

Frames for every check index (only the running check's can be taken): a record whose JSON is nested
100,000 deep, one whose array claims 10^12 elements, one that declares a 1 GiB payload. Each must
cost only the check that was running: "your code returned something that could not be read".
loss() returns 50 million bools (the grader must not expand them to float64).
"""
from __future__ import annotations

import json
import os
import stat

import numpy as np


def _pipes() -> list[int]:
    fds = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if fd > 2 and stat.S_ISFIFO(os.fstat(fd).st_mode):
                fds.append(fd)
        except OSError:
            pass
    return fds


def _frame(kind: bytes, payload: bytes) -> bytes:
    return b"RG" + kind + len(payload).to_bytes(4, "big") + payload


def _record(k: int, head: bytes, blob: bytes = b"") -> bytes:
    return _frame(b"R", k.to_bytes(4, "big") + len(head).to_bytes(4, "big") + head + blob)


def _forge() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    huge = json.dumps({"status": "ok", "values": {"y_hat": {"kind": "array", "type": "numpy.ndarray", "ref": "a0"}},
                       "arrays": [{"key": "a0", "dtype": "<f8", "shape": [10**6, 10**6], "nbytes": 8 * 10**12}]})
    for fd in _pipes():
        for k in range(40):
            try:
                os.write(fd, _record(k, deep) + _record(k, huge.encode()))
            except OSError:
                pass


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
        _forge()
        e = np.exp(o - np.max(o, axis=0, keepdims=True))
        return e / np.sum(e, axis=0, keepdims=True)

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        return np.ones(50_000_000, dtype=bool)  # type: ignore[return-value]
        return float(-np.sum(y_true * np.log(y_hat)) / y_true.shape[1])

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        for fd in _pipes():
            try:
                os.write(fd, b"RGR" + (2**30).to_bytes(4, "big"))  # declares a 1 GiB frame
            except OSError:
                pass
        raise NotImplementedError("call")

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
