"""Exercise 05: gradient clipping, written in NumPy.

Run ``grade exercise-05`` to check your work.

Exploding gradients make one update so large that training diverges. Clipping caps them.
Each function here must behave exactly like TensorFlow's function of the same name, but on
NumPy arrays: ``tf.clip_by_value``, ``tf.clip_by_norm``, ``tf.linalg.global_norm`` and
``tf.clip_by_global_norm``.

General rules:

* Never modify an argument in place: return new arrays.
* A float32 input gives a float32 result (a float64 input, float64).
* The L2 norm of an array is ``sqrt(sum(t ** 2))`` over all of its entries.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any) -> np.ndarray:
    """Return ``maximum(minimum(t, clip_value_max), clip_value_min)``, element-wise.

    Values above ``clip_value_max`` become ``clip_value_max`` and values below
    ``clip_value_min`` become ``clip_value_min``. Mind the order: when
    ``clip_value_min > clip_value_max`` TensorFlow turns every element into
    ``clip_value_min``, whereas ``np.clip`` would give ``clip_value_max``.
    """
    raise NotImplementedError("clip_by_value() is not implemented yet")


def clip_by_norm(t: Any, clip_norm: float, axes: int | tuple[int, ...] | list[int] | None = None) -> np.ndarray:
    """Return ``t * clip_norm / max(l2norm(t), clip_norm)``.

    * An array whose norm is at most ``clip_norm`` comes back unchanged: never scale up.
    * An all-zero array stays all zero (no ``0 / 0`` NaN).
    * ``axes=None`` uses the norm of the whole array. Otherwise the norm is taken over
      ``axes`` only (``keepdims=True`` helps), so each slice is clipped on its own: with
      ``axes=1`` each row of a matrix gets its own norm.
    """
    raise NotImplementedError("clip_by_norm() is not implemented yet")


def global_norm(t_list: list | tuple) -> float:
    """Return the norm of all the arrays together: ``sqrt(sum of t**2 over every array)``.

    ``None`` entries (a variable without a gradient) are skipped. An empty list gives
    ``0.0``. Raise ``TypeError`` if ``t_list`` is not a list or tuple.
    """
    raise NotImplementedError("global_norm() is not implemented yet")


def clip_by_global_norm(t_list: list | tuple, clip_norm: float,
                        use_norm: float | None = None) -> tuple[list, float]:
    """Clip a list of gradients together; return the tuple ``(clipped_list, norm)``.

    * ``norm`` is ``global_norm(t_list)`` computed *before* clipping, or ``use_norm`` when it
      is given (then do not compute the norm yourself).
    * Every array is multiplied by the same factor ``clip_norm / max(norm, clip_norm)``, so
      the directions are kept and nothing is scaled up.
    * ``clipped_list`` has one entry per input, with ``None`` kept at the same positions.
    * If ``norm`` is ``inf`` or NaN, every output array is all NaN, as in TensorFlow.
    * Raise ``TypeError`` if ``t_list`` is not a list or tuple.
    """
    raise NotImplementedError("clip_by_global_norm() is not implemented yet")
