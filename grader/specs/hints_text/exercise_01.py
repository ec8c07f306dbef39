"""Graded hints for exercise-01 (word vectors), by check name: a nudge first, then more specific, never code."""
from __future__ import annotations

_COSINE = (
    "The cosine similarity measures the angle between two vectors, not their length.",
    "It is the dot product of a and b divided by the product of their two lengths (Euclidean norms): the norm "
    "of a times the norm of b.",
    "Convert both inputs to float arrays first (lists must work too), and return a plain Python float.",
)
_SIMILAR = (
    "most_similar ranks every other word by its cosine similarity with the given word.",
    "Leave the word itself out, sort from the most similar to the least similar, and keep the first topn.",
    "Return a list of (word, similarity) pairs; the similarity is the cosine, not the dot product.",
)
_ANALOGY = (
    "a : b :: c : ? asks for the word whose vector is closest to the vector b - a + c.",
    "Compare the target vector with every word's vector using the cosine similarity, and pick the best.",
    "Exclude the three input words a, b and c from the candidates: otherwise one of them usually wins.",
)

HINTS: dict[str, tuple[str, ...]] = {
    "cosine_basic": _COSINE,
    "cosine_lists": (
        "The inputs may be plain Python lists, which do not support vector arithmetic.",
        "Convert both inputs to NumPy float arrays at the start of the function.",
        _COSINE[1],
    ),
    "cosine_scale": (
        "Scaling a vector does not change its direction, so cos(2a, 3b) must equal cos(a, b).",
        "If the lengths still matter in your result, the division by the norms is missing or wrong.",
        "Divide by the norm of a times the norm of b: each vector's own norm, once.",
    ),
    "cosine_norms": (
        "This check swaps a and b, with one vector much longer than the other: the cosine is symmetric.",
        "If the two orders give different values, you divide by the norm of the same vector twice.",
        _COSINE[1],
    ),
    "cosine_sign": (
        "Opposite vectors point in opposite directions: their cosine is -1, not 1.",
        "Do not take the absolute value anywhere: the dot product keeps the sign.",
    ),
    "cosine_zero": (
        "A zero vector has no direction: dividing by its norm would divide by zero.",
        "Check the norms before dividing, and return 0.0 when either one is zero.",
    ),
    "cosine_sum_zero": (
        "A vector whose entries add up to 0 is not the zero vector: it still has a direction and a length.",
        "Decide whether a vector is zero from its norm, not from the sum of its entries.",
        "Only when the norm of a or of b is 0 is the answer 0.0; otherwise divide the dot product by the norms.",
    ),
    "cosine_lengths_differ": (
        "What should happen when a and b do not have the same number of entries?",
        "Compare the two lengths first and raise ValueError when they differ, before any arithmetic.",
    ),
    "most_similar_default": _SIMILAR,
    "most_similar_topn": (
        "topn says how many pairs to return.",
        *_SIMILAR[1:],
    ),
    "most_similar_all": (
        "With topn equal to the number of other words, every other word must be ranked, in order.",
        "Sort by similarity, largest first; the word itself is never in the list.",
        _SIMILAR[2],
    ),
    "most_similar_missing": (
        "What should happen when the word has no vector in embedding_map?",
        "Raise KeyError (naming the word) instead of returning an empty list.",
    ),
    "analogy_people": _ANALOGY,
    "analogy_places_verbs": _ANALOGY,
    "analogy_all_negative": (
        "Here every candidate's cosine with b - a + c is below zero, and the word vectors have different lengths.",
        "If you start the best similarity at 0, no candidate ever beats it: start at minus infinity (or with the "
        "first candidate) instead.",
        "Rank by the cosine similarity, not by the dot product: a longer vector must not win because of its length.",
    ),
}
