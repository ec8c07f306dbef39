"""Exercise 01: word vectors -- cosine similarity, nearest words and analogies.

Run ``grade exercise-01`` to check your work.

An ``embedding_map`` is a dict from a word to its vector, a 1-D array of ``dim`` floats,
such as the one ``load_embed`` (exercise 02) reads from a GloVe file::

    embedding_map = {"king": np.array([0.50, 0.69, ...]), "queen": ..., ...}

Cosine similarity compares directions and ignores lengths::

    cos(a, b) = a·b / (|a| |b|)        # in [-1, 1]; 1 = same direction

Never modify an argument in place.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


def cosine_similarity(a: Any, b: Any) -> float:
    """Return the cosine similarity ``a·b / (|a||b|)`` of two 1-D vectors as a float.

    ``a`` and ``b`` are 1-D array-likes (lists or arrays) of the same length; raise
    ``ValueError`` if the lengths differ. If either vector is all zeros the formula divides
    0 by 0: return ``0.0`` instead of NaN. Keep the sign: opposite vectors give ``-1.0``.

    Example: ``cosine_similarity([1, 0], [1, 1])`` is about ``0.7071``.
    """
    raise NotImplementedError("cosine_similarity() is not implemented yet")


def most_similar(word: str, embedding_map: Mapping[str, Any], topn: int = 5) -> list[tuple[str, float]]:
    """Return the ``topn`` words most similar to ``word``, highest similarity first.

    The result is a list of ``(other_word, cosine_similarity)`` pairs, for example
    ``[("queen", 0.78), ("prince", 0.75), ...]``, with exactly ``topn`` entries (fewer only
    when the vocabulary has fewer other words). ``word`` itself (similarity 1.0) is never
    in the list. Raise ``KeyError`` if ``word`` is not in ``embedding_map``.

    Tip: stacking all vectors into one ``[n_words, dim]`` matrix and normalising its rows
    gives every similarity with one matrix product, which is much faster than a loop over
    400,000 words.
    """
    raise NotImplementedError("most_similar() is not implemented yet")


def analogy(a: str, b: str, c: str, embedding_map: Mapping[str, Any]) -> str:
    """Solve ``a : b :: c : ?`` -- "a is to b as c is to what?".

    Compute the target vector ``v_b - v_a + v_c`` and return the word ``d`` whose vector has
    the highest cosine similarity with it. For example ``analogy("man", "king", "woman", m)``
    should give ``"queen"``, because ``king - man + woman`` is close to ``queen``.

    Exclude ``a``, ``b`` and ``c`` themselves from the candidates: the target vector is
    often closest to one of them (here ``king`` or ``woman``), which is not an answer.
    """
    raise NotImplementedError("analogy() is not implemented yet")
