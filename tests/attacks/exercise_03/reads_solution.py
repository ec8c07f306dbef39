"""Attack: tries to import the reference solution by name and re-export it.

It tries ``import solutions.exercise_03_rnn_cell``, ``from solutions import
exercise_03_rnn_cell`` and ``importlib.import_module``, first as is and then again after
putting every ancestor directory (of this file, of the working directory, of sys.argv[0] and
of every loaded module) that holds a ``solutions/`` folder on sys.path and dropping any cached
``solutions`` entry from sys.modules. If all of that fails it falls back to wrong values
(zeros, loss 0.0, activate never raises). The grader must block importing ``solutions`` by
name, so this gets no marks.
"""
from __future__ import annotations

import importlib
import os
import sys

import numpy as np

_REF = None


def _try_import():
    try:
        import solutions.exercise_03_rnn_cell as ref  # noqa: PLC0415
        return ref
    except BaseException:
        pass
    try:
        from solutions import exercise_03_rnn_cell as ref  # noqa: PLC0415
        return ref
    except BaseException:
        pass
    try:
        return importlib.import_module("solutions.exercise_03_rnn_cell")
    except BaseException:
        return None


def _candidate_roots():
    starts = [os.getcwd()]
    try:
        starts.append(os.path.dirname(os.path.abspath(__file__)))
    except NameError:
        pass
    if sys.argv and sys.argv[0]:
        starts.append(os.path.dirname(os.path.abspath(sys.argv[0])))
    for mod in list(sys.modules.values()):
        path = getattr(mod, "__file__", None)
        if isinstance(path, str):
            starts.append(os.path.dirname(os.path.abspath(path)))
    seen = set()
    for start in starts:
        d = start
        while d and d not in seen:
            seen.add(d)
            if os.path.isdir(os.path.join(d, "solutions")):
                yield d
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent


_REF = _try_import()
if _REF is None:
    for _root in _candidate_roots():
        sys.path.insert(0, _root)
        for _key in [k for k in sys.modules if k == "solutions" or k.startswith("solutions.")]:
            sys.modules.pop(_key, None)
        importlib.invalidate_caches()
        _REF = _try_import()
        if _REF is not None:
            break

if _REF is not None and hasattr(_REF, "MyRNNCell"):
    MyRNNCell = _REF.MyRNNCell
else:
    class MyRNNCell:  # fallback: wrong everywhere
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
