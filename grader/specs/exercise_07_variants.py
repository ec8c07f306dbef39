"""exercise-07: what the reference and its realistic mistakes compute, for the spec's hints (parent side only)."""
from __future__ import annotations

from typing import Mapping

import numpy as np

KEYS = ("U", "W", "V", "b", "c")


def sgd(a: Mapping[str, np.ndarray], lr: float, clip: float | None, mistake: str = "") -> dict[str, np.ndarray]:
    """``sgd_step`` on the case's ``U..c`` and ``gU..gc``, or one mistake: ``added`` (p + lr g), ``lr_ignored``,
    ``per_tensor`` (each gradient clipped by its own norm), ``no_clip``, ``scale_up`` (clip_norm / norm always)."""
    grads = {k: a["g" + k] for k in KEYS}
    if clip is not None and mistake != "no_clip":
        if mistake == "per_tensor":
            grads = {k: g * clip / max(float(np.sqrt(np.sum(g * g))), clip) for k, g in grads.items()}
        else:
            norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
            scale = clip / norm if mistake == "scale_up" else clip / max(norm, clip)
            grads = {k: g * scale for k, g in grads.items()}
    rate = 1.0 if mistake == "lr_ignored" else lr
    sign = 1.0 if mistake == "added" else -1.0
    return {f"new {k}": a[k] + sign * rate * grads[k] for k in KEYS}


def last_step_probabilities(X: np.ndarray, params: Mapping[str, np.ndarray], step: int = -1) -> np.ndarray:
    """The softmax ``[n_o, n]`` of one step (the last by default) of the tanh RNN from ``h0 = 0``."""
    h = np.zeros((params["W"].shape[0], X.shape[0]))
    out = []
    for t in range(X.shape[1]):
        h = np.tanh(params["U"] @ X[:, t, :].T + params["W"] @ h + params["b"])
        o = params["V"] @ h + params["c"]
        e = np.exp(o - o.max(axis=0))
        out.append(e / e.sum(axis=0))
    return out[step]


def classes(X: np.ndarray, params: Mapping[str, np.ndarray], mistake: str = "") -> np.ndarray:
    """``predict``, or a mistake: ``first_step`` (the first step's argmax), ``batch_axis`` (argmax over the batch)."""
    probs = last_step_probabilities(X, params, 0 if mistake == "first_step" else -1)
    return np.argmax(probs, axis=1 if mistake == "batch_axis" else 0)
