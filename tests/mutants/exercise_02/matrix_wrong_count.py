"""Mistake: build_embedding_matrix counts every word with a vector, even those with i >= num_words.

Mutant of the exercise-02 reference (solutions/exercise_02_embeddings.py) with one realistic
mistake, for testing the grader. Not a correct solution.
"""
# changes: build_embedding_matrix
from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_BLOCK_LINES = 1024
_MAX_FAST = 15  # longest token decoded by NumPy: 15 digits stay below 2**53
_POW10 = 10.0 ** np.arange(_MAX_FAST + 1)


def _parse_fast(text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Parse the whitespace-separated numbers of lines that each end with ``"\\n"``.

    Returns ``(values, counts)``: every number as float64 and the number of values on each
    line, or ``None`` where the text needs the line-by-line parser.
    """
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:  # non-ASCII, perhaps Unicode whitespace: let str.split decide
        return None
    b = np.frombuffer(b" " * _MAX_FAST + raw + b" ", dtype=np.uint8)
    if np.any((b < 32) & (b != 9) & (b != 10)):  # \v, \f, \x1c..\x1f also split values
        return None
    space = (b == 32) | (b == 9) | (b == 10)
    edges = np.flatnonzero(space[1:] != space[:-1]) + 1
    starts, ends = edges[0::2], edges[1::2]
    counts = np.diff(np.searchsorted(starts, np.flatnonzero(b == 10)), prepend=0)
    first = b[starts]
    body = ends - starts - ((first == 45) | (first == 43))  # bytes after an optional sign
    width = int(min(body.max(initial=1), _MAX_FAST))
    body = np.minimum(body, 255).astype(np.uint8)
    # Each token right-aligned in a row of `width` bytes, stored column by column.
    cols = np.ascontiguousarray(sliding_window_view(b, width)[ends - width].T)
    n = starts.size
    mant = np.zeros(n)  # the digits read as one integer (exact below 2**53)
    frac = np.zeros(n, np.uint8)  # how many of them follow the dot
    seen_dot = np.zeros(n, bool)
    bad = body > _MAX_FAST
    for j in range(width):
        r = width - 1 - j  # distance from the token's last byte
        c = cols[j]
        inside = body > r
        d = c - np.uint8(48)  # wraps around for bytes below b"0"
        digit = (d < 10) & inside
        dot = (c == 46) & inside
        bad |= (inside ^ digit ^ dot) | (dot & seen_dot)  # another byte, or a second dot
        seen_dot |= dot
        frac += digit & seen_dot
        mant = np.where(digit, mant * 10 + d, mant)
    plain = ~bad & (body > seen_dot)  # and at least one digit
    values = mant / _POW10[frac]
    values = np.where(first == 45, -values, values)
    for i in np.flatnonzero(~plain):
        try:
            values[i] = float(raw[starts[i] - _MAX_FAST : ends[i] - _MAX_FAST])
        except ValueError:
            return None
    return values, counts


def _parse_slow(rests: list[str], linenos: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Line-by-line version of :func:`_parse_fast`; names the line of a bad value."""
    values: list[float] = []
    counts = np.zeros(len(rests), np.int64)
    for k, (rest, lineno) in enumerate(zip(rests, linenos)):
        tokens = rest.split()
        try:
            values.extend(map(float, tokens))
        except ValueError as err:
            raise ValueError(f"line {lineno}: a value is not a number: {err}") from None
        counts[k] = len(tokens)
    return np.array(values, dtype=np.float64), counts


def _store_block(words: list[str], rests: list[str], linenos: list[int], dim: int | None,
                 embedding_map: dict[str, np.ndarray]) -> int:
    """Parse one block of lines into ``embedding_map``; return the dimension."""
    parsed = _parse_fast("".join(rests))
    values, counts = parsed if parsed is not None else _parse_slow(rests, linenos)
    if dim is None:
        dim = int(counts[0])
    wrong = np.flatnonzero(counts != dim)
    if wrong.size:
        k = int(wrong[0])
        raise ValueError(f"line {linenos[k]}: expected {dim} values (as on the first line), "
                         f"found {int(counts[k])}")
    rows = values.astype(np.float32).reshape(len(words), dim)
    embedding_map.update(zip(words, rows))  # in file order: a later duplicate wins
    return dim


def load_embed(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read a GloVe text file into ``{word: float32 vector}``.

    Blank lines are skipped, a repeated word keeps its last vector, and a line whose number
    of values differs from the first line's raises ``ValueError`` naming its line number.
    """
    embedding_map: dict[str, np.ndarray] = {}
    dim: int | None = None
    words: list[str] = []
    rests: list[str] = []
    linenos: list[int] = []
    with open(path, encoding="utf-8-sig") as f:  # UTF-8; a byte-order mark is dropped
        for lineno, line in enumerate(f, 1):
            parts = line.split(None, 1)
            if not parts:
                continue
            words.append(parts[0])
            rest = parts[1] if len(parts) == 2 else ""
            rests.append(rest if rest.endswith("\n") else rest + "\n")
            linenos.append(lineno)
            if len(words) == _BLOCK_LINES:
                dim = _store_block(words, rests, linenos, dim, embedding_map)
                words, rests, linenos = [], [], []
    if words:
        _store_block(words, rests, linenos, dim, embedding_map)
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
    return matrix, sum(1 for w in word_index if w in embedding_map)


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
