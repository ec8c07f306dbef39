"""Integer sequences and embedding-matrix inputs for exercise-02 (deterministic, seeded)."""
from __future__ import annotations

import numpy as np


def int_sequences(*, n: int, max_len: int, vocab: int, seed: int) -> list[list[int]]:
    """``n`` lists of word indices in ``[1, vocab)`` with lengths ``0 .. max_len``.

    The first list is empty and the second has the full ``max_len``, so padding and
    truncation both happen for any ``maxlen`` below ``max_len``.
    """
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, max_len + 1, n)
    if n > 0:
        lengths[0] = 0
    if n > 1:
        lengths[1] = max_len
    return [rng.integers(1, vocab, int(k)).tolist() for k in lengths]


def matrix_inputs(*, n_vocab: int, num_words: int, dim: int,
                  seed: int) -> tuple[list[tuple[str, int]], list[str], np.ndarray]:
    """Inputs of ``build_embedding_matrix``: ``(word_index pairs, vocab, vectors)``.

    ``word_index`` numbers ``n_vocab`` words from 1, in shuffled order. About two thirds of them
    have a vector (``vectors[k]`` is the float32 vector of ``vocab[k]``), and so do three words
    that are not in ``word_index``. Indices 1 and 2 never have a vector; indices 3, ``n_vocab``
    and ``num_words`` (where they exist) always do. Words mix ASCII, punctuation and non-ASCII.
    """
    rng = np.random.default_rng(seed)
    stems = rng.choice(["the", "cat", "café", ",", "北京", "'s"], n_vocab + 3)
    words = [f"{stem}{k}" for k, stem in enumerate(stems)]
    index = rng.permutation(n_vocab) + 1
    has = rng.random(n_vocab) < 0.7
    has[(index == 1) | (index == 2)] = False
    has[(index == 3) | (index == n_vocab) | (index == num_words)] = True
    vocab = [w for w, h in zip(words, has) if h] + words[n_vocab:]
    vocab = [vocab[k] for k in rng.permutation(len(vocab))]
    vectors = rng.normal(0.0, 0.5, (len(vocab), dim)).astype(np.float32)
    return [(w, int(i)) for w, i in zip(words, index)], vocab, vectors


def padded(sequences: list[list[int]], maxlen: int | None, padding: str, truncating: str,
           value: int) -> np.ndarray:
    """A plain NumPy ``pad_sequences`` (int64) for integer sequences and ``maxlen >= 1`` or None."""
    maxlen = max((len(s) for s in sequences), default=0) if maxlen is None else maxlen
    out = np.full((len(sequences), maxlen), value, dtype=np.int64)
    for row, seq in zip(out, sequences):
        kept = list(seq[-maxlen:] if truncating == "pre" else seq[:maxlen]) if maxlen else []
        start = maxlen - len(kept) if padding == "pre" else 0
        row[start:start + len(kept)] = kept
    return out


def entries_expected(entries: list[tuple[str, list[str]]], *, first_wins: bool = False) -> dict[str, np.ndarray]:
    """What ``load_embed`` returns for a file of ``entries``; with ``first_wins``, what a loader that keeps
    the first line of a repeated word returns (a mistake)."""
    out: dict[str, np.ndarray] = {}
    for word, tokens in entries:
        if not (first_wins and word in out):
            out[word] = np.array([float(t) for t in tokens], dtype=np.float32)
    return out


def chapter_embedding_matrix(word_index: list[tuple[str, int]], embedding_map: dict[str, np.ndarray], *,
                             num_words: int, dim: int, shift: int = 0) -> np.ndarray:
    """The chapter's loop for the embedding matrix (float32, row ``i`` for index ``i < num_words``).

    ``shift`` writes the vector of index ``i`` into row ``i + shift`` instead (a mistake)."""
    matrix = np.zeros((num_words, dim), dtype=np.float32)
    for word, i in word_index:
        vector = embedding_map.get(word)
        if i < num_words and vector is not None and 0 <= i + shift < num_words:
            matrix[i + shift] = vector
    return matrix
