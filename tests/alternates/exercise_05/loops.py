"""Alternate (correct): explicit branches and Python loops over the elements.

Must get full marks. clip_by_norm handles ``axes`` by moving those axes to the end and
clipping each slice in a loop.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np


def _floats(t: Any) -> np.ndarray:
    a = np.array(t)  # always a copy
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any) -> np.ndarray:
    a = np.array(t)
    lo = np.broadcast_to(np.asarray(clip_value_min), a.shape)
    hi = np.broadcast_to(np.asarray(clip_value_max), a.shape)
    out = a.copy()
    for idx in np.ndindex(a.shape):
        x = a[idx]
        if x > hi[idx]:
            x = hi[idx]
        if x < lo[idx]:  # after the max: min wins when min > max
            x = lo[idx]
        out[idx] = x
    return out


def _clip_slice(values: np.ndarray, clip: float) -> np.ndarray:
    total = sum(float(v) * float(v) for v in values)
    if math.isnan(total):
        return np.full(values.shape, np.nan)
    norm = math.sqrt(total)
    if math.isinf(norm):
        return np.array([math.nan if math.isinf(v) else 0.0 * v for v in values.tolist()])
    if norm <= clip:
        if clip == 0.0:  # 0 * 0 / max(0, 0), as in TensorFlow
            return np.full(values.shape, np.nan)
        return values.astype(np.float64)
    return np.array([float(v) * clip / norm for v in values])


def clip_by_norm(t: Any, clip_norm: float, axes: Any = None) -> np.ndarray:
    a = _floats(t)
    clip = max(float(clip_norm), 0.0)
    nd = a.ndim
    axes_ = list(range(nd)) if axes is None else sorted({ax % nd for ax in np.atleast_1d(axes).tolist()})
    rest = [ax for ax in range(nd) if ax not in axes_]
    moved = np.transpose(a, rest + axes_)
    flat = moved.reshape(int(np.prod([a.shape[ax] for ax in rest], dtype=np.int64)), -1)
    clipped = np.stack([_clip_slice(row, clip) for row in flat]) if flat.size else flat.astype(np.float64)
    back = clipped.reshape(moved.shape).transpose(np.argsort(rest + axes_))
    return back.astype(a.dtype)


def global_norm(t_list: list | tuple) -> float:
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("t_list must be a list or tuple")
    total = 0.0
    for t in t_list:
        if t is None:
            continue
        total += sum(x * x for x in _floats(t).astype(np.float64).ravel().tolist())
    return math.sqrt(total) if not math.isnan(total) else math.nan


def clip_by_global_norm(t_list: list | tuple, clip_norm: float, use_norm: float | None = None) -> tuple[list, float]:
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("t_list must be a list or tuple")
    norm = global_norm(t_list) if use_norm is None else float(use_norm)
    clip = float(clip_norm)
    if math.isnan(norm) or math.isinf(norm):
        factor = math.nan
    elif clip < 0:  # TensorFlow: clip * min(1/norm, 1/clip) is then clip * (1/clip)
        factor = 1.0
    elif norm <= clip:
        factor = 1.0 if clip > 0 else math.nan
    else:
        factor = clip / norm
    clipped = []
    for t in t_list:
        if t is None:
            clipped.append(None)
        else:
            a = _floats(t)
            clipped.append((a.astype(np.float64) * factor).astype(a.dtype))
    return clipped, norm
