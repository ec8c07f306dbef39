"""Alternate (correct): float32 arithmetic, one normalised [n_words, dim] matrix per call.

Must get full marks: scores are compared at float32 tolerance, and the test vectors' scores
are far enough apart that float32 rounding does not reorder them.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


def _normalise(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)


def cosine_similarity(a: Any, b: Any) -> float:
    u = np.asarray(a, dtype=np.float32)
    v = np.asarray(b, dtype=np.float32)
    if u.shape != v.shape:
        raise ValueError(f"vectors of different shapes: {u.shape} and {v.shape}")
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        return 0.0
    return float(np.dot(u / nu, v / nv))


def _ranked(target: np.ndarray, embedding_map: Mapping[str, Any], skip: set[str]) -> tuple[list[str], np.ndarray]:
    words = [w for w in embedding_map if w not in skip]
    matrix = np.stack([np.asarray(embedding_map[w], dtype=np.float32) for w in words])
    scores = _normalise(matrix) @ _normalise(target.astype(np.float32))
    return words, scores


def most_similar(word: str, embedding_map: Mapping[str, Any], topn: int = 5) -> list[tuple[str, float]]:
    target = np.asarray(embedding_map[word], dtype=np.float32)  # KeyError if missing
    words, scores = _ranked(target, embedding_map, {word})
    k = min(max(topn, 0), len(words))
    top = np.argpartition(-scores, k - 1)[:k] if 0 < k < len(words) else np.arange(len(words))[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(words[i], float(scores[i])) for i in top]


def analogy(a: str, b: str, c: str, embedding_map: Mapping[str, Any]) -> str:
    va, vb, vc = (np.asarray(embedding_map[w], dtype=np.float32) for w in (a, b, c))
    words, scores = _ranked(vb - va + vc, embedding_map, {a, b, c})
    return words[int(np.argmax(scores))]
