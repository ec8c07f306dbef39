"""Mistake: load_embed slices values[1:-1], dropping the last value of every vector.

Mutant of the exercise-02 reference (solutions/exercise_02_embeddings.py) with one realistic
mistake, for testing the grader. Not a correct solution.

load_embed is the chapter's per-line loader with the mistake; the rest is the reference.
"""
# changes: load_embed
from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np


def load_embed(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read a GloVe text file into ``{word: float32 vector}``, one line at a time."""
    embedding_map: dict[str, np.ndarray] = {}
    dim = None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            values = line.split()
            if not values:
                continue
            word = values[0]
            coefs = np.asarray(values[1:-1], dtype="float32")
            if dim is None:
                dim = coefs.size
            elif coefs.size != dim:
                raise ValueError(f"line {lineno}: expected {dim} values, found {coefs.size}")
            embedding_map[word] = coefs
    return embedding_map


def build_embedding_matrix(word_index: dict[str, int], embedding_map: dict[str, np.ndarray],
                           num_words: int, dim: int) -> tuple[np.ndarray, int]:
    """Return ``(matrix, filled)``: a float32 ``[num_words, dim]`` matrix and its filled rows.

    Row ``i`` holds the vector of the word whose index is ``i`` when ``0 <= i < num_words``
    and the word has a vector; every other row stays zero (row 0 is padding).
    """
    matrix = np.zeros((num_words, dim), dtype=np.float32)
    filled = np.zeros(num_words, dtype=bool)
    for word, i in word_index.items():
        if not 0 <= i < num_words:
            continue
        vector = embedding_map.get(word)
        if vector is None:
            continue
        vector = np.asarray(vector, dtype=np.float32)
        if vector.shape != (dim,):
            raise ValueError(f"the vector of {word!r} has shape {vector.shape}, expected ({dim},)")
        matrix[i] = vector
        filled[i] = True
    return matrix, int(filled.sum())


def pad_sequences(sequences: Sequence[Sequence[int]], maxlen: int | None = None, padding: str = "pre",
                  truncating: str = "pre", value: int = 0) -> np.ndarray:
    """Pad or truncate every sequence to ``maxlen``, as ``keras.utils.pad_sequences`` does.

    Returns an int32 array ``[len(sequences), maxlen]``. ``"pre"`` pads or truncates at the
    start, ``"post"`` at the end; ``maxlen=None`` means the longest sequence's length.
    """
    if padding not in ("pre", "post"):
        raise ValueError(f"padding must be 'pre' or 'post', not {padding!r}")
    if truncating not in ("pre", "post"):
        raise ValueError(f"truncating must be 'pre' or 'post', not {truncating!r}")
    lengths = [len(s) for s in sequences]
    if maxlen is None:
        maxlen = max(lengths, default=0)
    result = np.full((len(lengths), maxlen), value, dtype=np.int32)
    if maxlen == 0:
        return result
    for row, seq in zip(result, sequences):
        if len(seq) == 0:
            continue
        kept = np.asarray(seq[-maxlen:] if truncating == "pre" else seq[:maxlen], dtype=np.int32)
        if padding == "pre":
            row[maxlen - len(kept):] = kept
        else:
            row[:len(kept)] = kept
    return result
