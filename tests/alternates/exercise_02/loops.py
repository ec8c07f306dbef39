"""Alternate (correct): the chapter's per-line loader with the contract's checks, and loops.

Must get full marks on correctness. Its load_embed converts each line's values separately
(``float`` per value), which is about as slow as the chapter's loader on a full-size file.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np


def load_embed(path: str | os.PathLike) -> dict[str, np.ndarray]:
    embedding_map: dict[str, np.ndarray] = {}
    dim = None
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            values = line.split()
            if not values:
                continue
            try:
                coefs = np.array([float(v) for v in values[1:]], dtype=np.float32)
            except ValueError as err:
                raise ValueError(f"line {lineno}: {err}") from None
            if dim is None:
                dim = len(coefs)
            elif len(coefs) != dim:
                raise ValueError(f"line {lineno} has {len(coefs)} values, the first line has {dim}")
            embedding_map[values[0]] = coefs
    return embedding_map


def build_embedding_matrix(word_index: dict[str, int], embedding_map: dict[str, np.ndarray],
                           num_words: int, dim: int) -> tuple[np.ndarray, int]:
    matrix = np.zeros((num_words, dim), dtype=np.float32)
    rows = set()
    for word, i in word_index.items():
        if i >= num_words or i < 0:
            continue
        if word in embedding_map:
            for k in range(dim):
                matrix[i, k] = embedding_map[word][k]
            rows.add(i)
    return matrix, len(rows)


def pad_sequences(sequences: Sequence[Sequence[int]], maxlen: int | None = None, padding: str = "pre",
                  truncating: str = "pre", value: int = 0) -> np.ndarray:
    if padding not in ("pre", "post") or truncating not in ("pre", "post"):
        raise ValueError("padding and truncating must be 'pre' or 'post'")
    if maxlen is None:
        maxlen = max((len(s) for s in sequences), default=0)
    result = np.full((len(sequences), maxlen), value, dtype=np.int32)
    for r, seq in enumerate(sequences):
        seq = list(seq)
        if len(seq) > maxlen:
            seq = seq[len(seq) - maxlen:] if truncating == "pre" else seq[:maxlen]
        start = maxlen - len(seq) if padding == "pre" else 0
        for k, token in enumerate(seq):
            result[r, start + k] = token
    return result
