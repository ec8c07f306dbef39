"""Exercise 02: embeddings -- load GloVe vectors, build an embedding matrix, pad sequences.

Run ``grade exercise-02`` to check your work.

A GloVe text file (e.g. ``glove.6B.100d.txt``: 400,000 words x 100 values) has one word per
line, followed by its values, separated by whitespace::

    the -0.038194 -0.24487 0.72812 ...
    , -0.10767 0.11053 0.59812 ...

A Keras ``Tokenizer`` numbers words from 1 (``word_index = {"the": 1, "a": 2, ...}``); index
0 is kept for padding. ``build_embedding_matrix`` turns the two into the weights of an
``Embedding`` layer, and ``pad_sequences`` makes lists of word indices the same length so
they can be stacked into one ``[batch, maxlen]`` array.

Never modify an argument in place.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np


def load_embed(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Read a GloVe text file into a dict ``{word: vector}``.

    * Open the file as UTF-8 (``encoding="utf-8"``): words such as ``café`` or ``北京`` must
      come through intact.
    * Each vector is a 1-D ``np.float32`` array of the line's values (not strings, not
      float64).
    * Skip blank lines. If a word appears twice, the later line wins.
    * Every line must have as many values as the first one. Otherwise raise ``ValueError``
      with a message that names the (1-based) line number, counting blank lines too.

    The real file has 40 million numbers, so speed matters: converting them one line at a
    time with ``np.asarray(values[1:], dtype="float32")`` is slow. Try to do less work per
    line and more in one NumPy call.
    """
    raise NotImplementedError("load_embed() is not implemented yet")


def build_embedding_matrix(word_index: dict[str, int], embedding_map: dict[str, np.ndarray],
                           num_words: int, dim: int) -> tuple[np.ndarray, int]:
    """Return ``(matrix, filled)`` for an ``Embedding(num_words, dim)`` layer.

    ``matrix`` is ``np.float32`` ``[num_words, dim]``, all zeros except that row ``i`` holds
    ``embedding_map[word]`` for each ``word`` with ``word_index[word] == i``, but only when
    ``i < num_words`` (rarer words are dropped) and the word has a vector (unknown words keep
    a zero row). Row 0 is padding. ``filled`` is the number of rows that got a vector.
    """
    raise NotImplementedError("build_embedding_matrix() is not implemented yet")


def pad_sequences(sequences: Sequence[Sequence[int]], maxlen: int | None = None, padding: str = "pre",
                  truncating: str = "pre", value: int = 0) -> np.ndarray:
    """Return an ``np.int32`` array ``[len(sequences), maxlen]``, like ``keras.utils.pad_sequences``.

    * ``maxlen=None`` means the length of the longest sequence.
    * A shorter sequence is filled with ``value``: at the start for ``padding="pre"``
      (``[0, 0, 5, 6]``), at the end for ``padding="post"`` (``[5, 6, 0, 0]``).
    * A longer sequence loses values: from the start for ``truncating="pre"`` (keep the last
      ``maxlen``), from the end for ``truncating="post"`` (keep the first ``maxlen``).
    * An empty sequence becomes a row of ``value``.
    * Any other ``padding`` or ``truncating`` raises ``ValueError``.
    """
    raise NotImplementedError("pad_sequences() is not implemented yet")
