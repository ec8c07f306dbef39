"""A correct exercise-05 that must not trip the diagnoses of grader/diagnose/ (issue 11): global_norm concatenates
the arrays (with its own guard for an empty list, which np.concatenate refuses).
"""
from __future__ import annotations

from typing import Any

import numpy as np


def _as_float(t: Any) -> np.ndarray:
    """``t`` as an array of its own float dtype, or float64 for anything else."""
    arr = np.asarray(t)
    return arr if np.issubdtype(arr.dtype, np.floating) else arr.astype(np.float64)


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any) -> np.ndarray:
    """Return ``maximum(minimum(t, clip_value_max), clip_value_min)``.

    When ``clip_value_min > clip_value_max`` every element becomes ``clip_value_min``, as in
    TensorFlow (``np.clip`` would give ``clip_value_max``). NaN stays NaN. The bounds may be
    scalars or arrays that broadcast to ``t``'s shape without changing it.
    """
    arr = np.asarray(t)
    result = np.maximum(np.minimum(arr, clip_value_max), clip_value_min)
    if result.shape != arr.shape:
        raise ValueError(f"the bounds would broadcast t from {arr.shape} to {result.shape}")
    if np.issubdtype(arr.dtype, np.floating):
        result = result.astype(arr.dtype, copy=False)
    return result


def clip_by_norm(t: Any, clip_norm: float, axes: int | tuple[int, ...] | list[int] | None = None) -> np.ndarray:
    """Return ``t * clip_norm / max(l2norm(t, axes), clip_norm)``.

    ``axes=None`` uses the norm of the whole array; otherwise each slice along ``axes`` is
    clipped on its own. A slice whose norm is already at most ``clip_norm`` is returned
    unchanged (never scaled up) and an all-zero slice stays zero. A negative ``clip_norm``
    counts as 0, as in TensorFlow.
    """
    arr = _as_float(t)
    x = arr.astype(np.float64)
    clip = np.maximum(np.asarray(clip_norm, dtype=np.float64), 0.0)
    axis = tuple(np.atleast_1d(axes).tolist()) if axes is not None else None
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # inf and NaN as TF
        l2sum = np.sum(x * x, axis=axis, keepdims=True)
        # TensorFlow's safe norm: sqrt only where the sum is positive, so zeros give no NaN.
        l2norm = np.where(l2sum > 0, np.sqrt(np.where(l2sum > 0, l2sum, 1.0)), l2sum)
        clipped = x * clip / np.maximum(l2norm, clip)
    return clipped.astype(arr.dtype, copy=False)


def _check_list(t_list: Any) -> list:
    if not isinstance(t_list, (list, tuple)):
        raise TypeError(f"t_list must be a list or tuple of arrays, not {type(t_list).__name__}")
    return list(t_list)


def global_norm(t_list: list | tuple) -> float:
    """Return ``sqrt(sum of t**2 over every entry of every array)``.

    ``None`` entries are skipped; an empty list (or one of only ``None``) gives ``0.0``.
    Raises ``TypeError`` if ``t_list`` is not a list or tuple.
    """
    arrays = [np.ravel(np.asarray(t, dtype=np.float64)) for t in _check_list(t_list) if t is not None]
    if not arrays:  # np.concatenate needs at least one array
        return 0.0
    flat = np.concatenate(arrays)
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(np.sum(flat * flat)))


def clip_by_global_norm(t_list: list | tuple, clip_norm: float,
                        use_norm: float | None = None) -> tuple[list, float]:
    """Scale every array by ``clip_norm / max(norm, clip_norm)``; return ``(clipped, norm)``.

    ``norm`` is ``global_norm(t_list)`` (before clipping), or ``use_norm`` when given.
    ``clipped`` is a new list the length of ``t_list`` with ``None`` kept in place. When the
    norm is infinite or NaN, every output array is all NaN (TensorFlow's error signal).
    Raises ``TypeError`` if ``t_list`` is not a list or tuple.
    """
    arrays = _check_list(t_list)
    norm = global_norm(arrays) if use_norm is None else float(use_norm)
    clip = float(clip_norm)
    # TensorFlow: scale = clip_norm * min(1 / norm, 1 / clip_norm), plus (norm - norm) so a
    # non-finite norm turns the scale into NaN.
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = clip * np.minimum(np.divide(1.0, norm), np.divide(1.0, clip)) + (norm - norm)
    clipped = []
    for t in arrays:
        if t is None:
            clipped.append(None)
        else:
            arr = _as_float(t)
            with np.errstate(invalid="ignore"):  # inf * 0 in a non-finite case
                clipped.append((arr.astype(np.float64) * scale).astype(arr.dtype, copy=False))
    return clipped, norm
