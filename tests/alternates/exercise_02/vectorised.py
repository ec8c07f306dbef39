"""Alternate (correct): a different vectorised parser, and NumPy indexing instead of loops.

Must get full marks. load_embed reads the whole file, lets NumPy find every token of a block
of lines at once (a 2-D right-aligned byte matrix, place values by matrix product) and falls
back to ``float`` for tokens that are not plain decimals. build_embedding_matrix uses fancy
indexing and pad_sequences scatters all kept values with one assignment.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_W = 15
_P10 = 10.0 ** np.arange(_W + 2)


def _numbers(block: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every value of the lines in ``block`` (float64) and the count per line."""
    text = "\n".join(block) + "\n"
    if not text.isascii() or any(ch in text for ch in "\x0b\x0c\x1c\x1d\x1e\x1f\r"):
        tokens = [line.split() for line in block]
        return np.array([float(t) for ts in tokens for t in ts]), np.array([len(ts) for ts in tokens])
    raw = text.encode()
    b = np.frombuffer(b" " * _W + raw + b" ", dtype=np.uint8)
    space = (b == 32) | (b == 10) | (b == 9)
    edges = np.flatnonzero(space[1:] != space[:-1]) + 1
    starts, ends = edges[0::2], edges[1::2]
    counts = np.diff(np.searchsorted(starts, np.flatnonzero(b == 10)), prepend=0)
    first = b[starts]
    body = ends - starts - ((first == 45) | (first == 43))
    width = int(min(body.max(initial=1), _W))
    win = sliding_window_view(b, width)[ends - width].T
    r = np.arange(width - 1, -1, -1)[:, None]
    win = np.where(r < body, win, np.uint8(48))  # bytes before the body read as "0"
    digit = (win - np.uint8(48)) < 10
    dot = win == 46
    n_dots = dot.sum(axis=0)
    plain = (digit | dot).all(axis=0) & (n_dots <= 1) & (body > n_dots) & (body <= _W)
    mant = _P10[width - 1::-1] @ np.where(digit, win - np.uint8(48), np.uint8(0))  # the dot as a 0
    frac = np.where(n_dots == 1, width - 1 - dot.argmax(axis=0), 0)
    high = np.floor(mant / _P10[frac + 1])
    mant = np.where(n_dots == 1, mant - 9 * high * _P10[frac], mant)
    values = np.where(first == 45, -1.0, 1.0) * (mant / _P10[frac])
    for i in np.flatnonzero(~plain):
        values[i] = float(raw[starts[i] - _W:ends[i] - _W])  # ValueError for a bad value
    return values, counts


def load_embed(path: str | os.PathLike) -> dict[str, np.ndarray]:
    with open(path, encoding="utf-8-sig") as f:
        lines = f.read().split("\n")
    kept = [(n, line.split(None, 1)) for n, line in enumerate(lines, 1) if line.strip()]
    out: dict[str, np.ndarray] = {}
    dim = None
    for start in range(0, len(kept), 2048):
        chunk = kept[start:start + 2048]
        try:
            values, counts = _numbers([p[1] if len(p) == 2 else "" for _, p in chunk])
        except ValueError:
            for n, p in chunk:  # find the line with the bad value
                try:
                    _numbers([p[1] if len(p) == 2 else ""])
                except ValueError as err:
                    raise ValueError(f"line {n}: {err}") from None
            raise
        dim = int(counts[0]) if dim is None else dim
        bad = np.flatnonzero(counts != dim)
        if bad.size:
            raise ValueError(f"line {chunk[bad[0]][0]}: {counts[bad[0]]} values instead of {dim}")
        out.update(zip((p[0] for _, p in chunk), values.astype(np.float32).reshape(-1, dim)))
    return out


def build_embedding_matrix(word_index: dict[str, int], embedding_map: dict[str, np.ndarray],
                           num_words: int, dim: int) -> tuple[np.ndarray, int]:
    pairs = [(i, w) for w, i in word_index.items() if 0 <= i < num_words and w in embedding_map]
    matrix = np.zeros((num_words, dim), dtype=np.float32)
    if pairs:
        rows = np.array([i for i, _ in pairs])
        matrix[rows] = np.stack([np.asarray(embedding_map[w], dtype=np.float32) for _, w in pairs])
        return matrix, int(np.unique(rows).size)
    return matrix, 0


def pad_sequences(sequences: Sequence[Sequence[int]], maxlen: int | None = None, padding: str = "pre",
                  truncating: str = "pre", value: int = 0) -> np.ndarray:
    if padding not in ("pre", "post") or truncating not in ("pre", "post"):
        raise ValueError("padding and truncating must be 'pre' or 'post'")
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    if maxlen is None:
        maxlen = int(lengths.max(initial=0))
    out = np.full((len(lengths), maxlen), value, dtype=np.int32)
    kept = np.minimum(lengths, maxlen)
    if maxlen == 0 or kept.sum() == 0:
        return out
    parts = [np.asarray(s, dtype=np.int32)[len(s) - k:] if truncating == "pre" else np.asarray(s, dtype=np.int32)[:k]
             for s, k in zip(sequences, kept) if k > 0]
    rows = np.repeat(np.arange(len(lengths)), kept)
    offsets = np.arange(kept.sum()) - np.repeat(np.cumsum(kept) - kept, kept)
    cols = offsets + np.repeat(maxlen - kept, kept) if padding == "pre" else offsets
    out[rows, cols] = np.concatenate(parts)
    return out
