"""Alternate (correct): arithmetic in the input's own dtype (float32 stays float32 throughout).

Must get full marks: results are compared at float32 tolerance. The zero-norm case needs no
special code: ``max(0, clip_norm)`` is ``clip_norm``, so a zero tensor gives ``0 / clip_norm``.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def _floats(t: Any) -> np.ndarray:
    a = np.asarray(t)
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any) -> np.ndarray:
    a = np.asarray(t)
    lo = np.asarray(clip_value_min, dtype=a.dtype)
    hi = np.asarray(clip_value_max, dtype=a.dtype)
    return np.maximum(np.minimum(a, hi), lo)


def clip_by_norm(t: Any, clip_norm: float, axes: Any = None) -> np.ndarray:
    a = _floats(t)
    clip = a.dtype.type(max(float(clip_norm), 0.0))
    axis = None if axes is None else tuple(np.atleast_1d(axes).tolist())
    with np.errstate(all="ignore"):
        norm = np.sqrt(np.sum(np.square(a), axis=axis, keepdims=True))
        return a * clip / np.maximum(norm, clip)


def global_norm(t_list: list | tuple) -> float:
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("t_list must be a list or tuple")
    with np.errstate(all="ignore"):
        squares = [float(np.sum(np.square(_floats(t)))) for t in t_list if t is not None]
    return float(np.sqrt(sum(squares)))


def clip_by_global_norm(t_list: list | tuple, clip_norm: float, use_norm: float | None = None) -> tuple[list, float]:
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("t_list must be a list or tuple")
    norm = global_norm(t_list) if use_norm is None else float(use_norm)
    clip = float(clip_norm)
    if not np.isfinite(norm) or norm == clip == 0:
        scale = float("nan")
    elif clip < 0:  # as TensorFlow's clip * min(1/norm, 1/clip)
        scale = 1.0
    else:
        scale = clip / max(norm, clip)
    out = []
    for t in t_list:
        if t is None:
            out.append(None)
            continue
        a = _floats(t)
        with np.errstate(all="ignore"):
            out.append(a * a.dtype.type(scale))
    return out, norm
