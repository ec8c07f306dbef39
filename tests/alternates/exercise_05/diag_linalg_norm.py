"""A correct exercise-05 that must not trip the diagnoses of grader/diagnose/ (issue 11).

Norms come from np.linalg.norm with its default order (the Frobenius / L2 norm, also over two axes) and
keepdims=True; clip_by_global_norm tests ``use_norm is not None`` (0.0 is a given norm) and accepts any list or
tuple; returned arrays are always new.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any) -> np.ndarray:
    arr = np.asarray(t)
    out = np.minimum(arr, clip_value_max)
    out = np.maximum(out, clip_value_min)
    return out.astype(arr.dtype) if arr.dtype.kind == "f" else out


def clip_by_norm(t: Any, clip_norm: float, axes: Any = None) -> np.ndarray:
    arr = np.asarray(t)
    x = arr.astype(np.float64)
    axis = None if axes is None else tuple(np.atleast_1d(axes).tolist())
    if axis is not None and len(axis) > 2:  # np.linalg.norm takes at most two axes
        norm = np.sqrt(np.sum(x * x, axis=axis, keepdims=True))
    else:
        norm = np.linalg.norm(x, axis=axis, keepdims=True)
    clip = max(float(clip_norm), 0.0)
    out = x * clip / np.maximum(norm, clip)
    return out.astype(arr.dtype) if arr.dtype.kind == "f" else out


def global_norm(t_list: list | tuple) -> float:
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("t_list must be a list or a tuple")
    parts = [np.ravel(np.asarray(t, dtype=np.float64)) for t in t_list if t is not None]
    return float(np.linalg.norm(np.concatenate(parts))) if parts else 0.0


def clip_by_global_norm(t_list: list | tuple, clip_norm: float, use_norm: float | None = None) -> tuple[list, float]:
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("t_list must be a list or a tuple")
    norm = global_norm(t_list) if use_norm is None else float(use_norm)
    clip = float(clip_norm)
    if not math.isfinite(norm):
        scale = math.nan
    else:
        scale = clip * min(1.0 / norm if norm else math.inf, 1.0 / clip if clip else math.inf)
    clipped = []
    for t in t_list:
        if t is None:
            clipped.append(None)
            continue
        arr = np.asarray(t)
        out = arr.astype(np.float64) * scale
        clipped.append(out.astype(arr.dtype) if arr.dtype.kind == "f" else out)
    return clipped, norm
