"""Mistake: most_similar sorts in ascending order, so it returns the least similar words.

Mutant of the exercise-01 reference (solutions/exercise_01_word_vectors.py) with one realistic
mistake, for testing the grader. Not a correct solution.
"""
# changes: most_similar
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


def _as_vector(x: Any, name: str) -> np.ndarray:
    """``x`` as a float64 1-D array (a new one: the caller's array is never touched)."""
    v = np.array(x, dtype=np.float64)
    if v.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {v.shape}")
    return v


def _unit_rows(m: np.ndarray) -> np.ndarray:
    """Each row of ``m`` scaled to length 1; all-zero rows stay zero."""
    peak = np.max(np.abs(m), axis=-1, keepdims=True, initial=0.0)
    scaled = np.divide(m, peak, out=np.zeros_like(m), where=peak != 0)
    norm = np.linalg.norm(scaled, axis=-1, keepdims=True)
    return np.divide(scaled, norm, out=np.zeros_like(m), where=norm != 0)


def cosine_similarity(a: Any, b: Any) -> float:
    """Return ``a·b / (|a||b|)`` for two 1-D vectors of equal length.

    Returns ``0.0`` when either vector is all zeros; raises ``ValueError`` when the lengths
    differ.
    """
    u, v = _as_vector(a, "a"), _as_vector(b, "b")
    if u.shape != v.shape:
        raise ValueError(f"vectors of different lengths: {u.size} and {v.size}")
    if not u.any() or not v.any():
        return 0.0
    return float(np.clip(_unit_rows(u) @ _unit_rows(v), -1.0, 1.0))


def _scores(target: np.ndarray, embedding_map: Mapping[str, Any],
            exclude: set[str]) -> tuple[list[str], np.ndarray]:
    """The words of ``embedding_map`` not in ``exclude`` and their cosine with ``target``."""
    words = [w for w in embedding_map if w not in exclude]
    if not words:
        return words, np.zeros(0)
    matrix = np.array([embedding_map[w] for w in words], dtype=np.float64)
    if matrix.shape != (len(words), target.size):
        raise ValueError(f"every vector must have {target.size} values")
    scores = np.clip(_unit_rows(matrix) @ _unit_rows(target), -1.0, 1.0)
    return words, scores


def most_similar(word: str, embedding_map: Mapping[str, Any], topn: int = 5) -> list[tuple[str, float]]:
    """Return the ``topn`` words closest to ``word`` by cosine similarity, highest first.

    Each entry is ``(other_word, score)``; ``word`` itself is never listed. Equal scores keep
    the order of ``embedding_map``. Raises ``KeyError`` if ``word`` has no vector.
    """
    if word not in embedding_map:
        raise KeyError(word)
    target = _as_vector(embedding_map[word], word)
    words, scores = _scores(target, embedding_map, {word})
    order = np.argsort(scores, kind="stable")[: max(int(topn), 0)]
    return [(words[i], float(scores[i])) for i in order]


def analogy(a: str, b: str, c: str, embedding_map: Mapping[str, Any]) -> str:
    """Return ``d`` such that ``a : b :: c : d``: the word whose vector is closest (by cosine)
    to ``v_b - v_a + v_c``, leaving out ``a``, ``b`` and ``c``.

    Example: ``analogy("man", "king", "woman", m) == "queen"``. Raises ``KeyError`` if one of
    the three words has no vector and ``ValueError`` if no other word is left.
    """
    for w in (a, b, c):
        if w not in embedding_map:
            raise KeyError(w)
    target = (_as_vector(embedding_map[b], b) - _as_vector(embedding_map[a], a)
              + _as_vector(embedding_map[c], c))
    words, scores = _scores(target, embedding_map, {a, b, c})
    if not words:
        raise ValueError("no candidate word is left once a, b and c are excluded")
    return words[int(np.argmax(scores))]
