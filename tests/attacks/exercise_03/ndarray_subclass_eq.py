"""Attack: returns an np.ndarray subclass that claims to equal anything.

The values are wrong (all zeros, right shapes), but the returned arrays are instances of
``Liar``: ``==`` and every comparison give all-True, ``np.allclose``/``np.array_equal``/
``np.isclose``/... answer True through ``__array_function__``, ``np.subtract``/``np.abs``
give zeros and ``np.isfinite``/comparison ufuncs give all-True through ``__array_ufunc__``.
``loss`` returns a float subclass with the same trick. A grader that compares in the
student's process, or hands the objects back without converting them to plain arrays, is fooled.
"""
from __future__ import annotations

import numpy as np

_TRUE_FUNCS = {
    "allclose", "array_equal", "array_equiv", "all", "any",
}
_ALL_TRUE_FUNCS = {"isclose", "isfinite"}
_ALL_TRUE_UFUNCS = {
    "equal", "less", "less_equal", "greater", "greater_equal", "isfinite", "logical_and", "logical_or",
}
_ALL_FALSE_UFUNCS = {"not_equal", "isnan", "isinf", "logical_not"}
_ZERO_UFUNCS = {"subtract", "absolute", "fabs"}


def _plain(x):
    return x.view(np.ndarray) if isinstance(x, Liar) else x


def _shape_of(args):
    for a in args:
        if isinstance(a, np.ndarray):
            return a.shape
    return ()


class Liar(np.ndarray):
    def __array_finalize__(self, obj):  # keep views and copies as Liar
        pass

    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool).view(Liar)

    def __ne__(self, other):
        return np.zeros(self.shape, dtype=bool).view(Liar)

    __le__ = __ge__ = __lt__ = __gt__ = __eq__
    __hash__ = None

    def __bool__(self):
        return True

    def all(self, *a, **k):
        return True

    def any(self, *a, **k):
        return True

    def __array_function__(self, func, types, args, kwargs):
        name = getattr(func, "__name__", "")
        if name in _TRUE_FUNCS:
            return True
        if name in _ALL_TRUE_FUNCS:
            return np.ones(_shape_of(args), dtype=bool)
        plain_args = tuple(_plain(a) for a in args)
        return func(*plain_args, **kwargs)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        shape = np.broadcast_shapes(*(np.shape(i) for i in inputs))
        if ufunc.__name__ in _ALL_TRUE_UFUNCS:
            return np.ones(shape, dtype=bool).view(Liar)
        if ufunc.__name__ in _ALL_FALSE_UFUNCS:
            return np.zeros(shape, dtype=bool).view(Liar)
        if ufunc.__name__ in _ZERO_UFUNCS:
            return np.zeros(shape).view(Liar)
        plain = tuple(_plain(i) for i in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(_plain(o) for o in kwargs["out"])
        result = getattr(ufunc, method)(*plain, **kwargs)
        return result.view(Liar) if isinstance(result, np.ndarray) else result


class LiarFloat(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __le__ = __ge__ = __lt__ = __gt__ = __eq__
    __hash__ = float.__hash__

    def __sub__(self, other):
        return LiarFloat(0.0)

    __rsub__ = __sub__

    def __abs__(self):
        return LiarFloat(0.0)


def _liar(shape):
    return np.zeros(shape).view(Liar)


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
        self.U = _liar((self.units, n_x))
        self.W = _liar((self.units, self.units))
        self.V = _liar((self.labels, self.units))
        self.b = _liar((self.units, 1))
        self.c = _liar((self.labels, 1))
        self.built = True

    def activate(self, z: np.ndarray) -> np.ndarray:
        return _liar(np.shape(z))  # wrong for every name, never raises

    def softmax(self, o: np.ndarray) -> np.ndarray:
        return _liar(np.shape(o))

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        return LiarFloat(0.0)

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not self.built:
            self.build(np.shape(xt))
        batch = np.shape(xt)[0]
        self.y_hat = _liar((self.labels, batch))
        return _liar((self.labels, batch)), _liar((self.units, batch))

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
