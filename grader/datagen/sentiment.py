"""A toy sentiment corpus for exercise-07 (deterministic, seeded, nothing downloaded).

Every sentence has ``length`` tokens from a six-word vocabulary: four neutral words and the two sentiment words
"good" and "bad", each of which appears exactly once, at random positions. The label is *positive* (class 1)
when "good" comes before "bad" and *negative* (class 0) otherwise, so the order of the words matters and a
bag of words cannot tell the classes apart: the RNN has to remember which sentiment word it saw first.
Sentences are one-hot ``[n, length, 6]`` (batch first, as the chapter's inputs) and labels one-hot ``[n, 2]``.
"""
from __future__ import annotations

import numpy as np

VOCAB = ("the", "movie", "was", "plot", "good", "bad")
GOOD, BAD = VOCAB.index("good"), VOCAB.index("bad")


def sentences(*, n: int, length: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` token-id sentences ``[n, length]`` and their labels ``[n]`` (1 when "good" precedes "bad"), balanced."""
    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, GOOD, (n, length))
    labels = np.arange(n) % 2
    for row, label in zip(tokens, labels):
        first, second = np.sort(rng.choice(length, 2, replace=False))
        row[first], row[second] = (GOOD, BAD) if label else (BAD, GOOD)
    order = rng.permutation(n)
    return tokens[order], labels[order]


def one_hot(tokens: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``X [n, length, len(VOCAB)]`` and ``y [n, 2]``, float64."""
    return np.eye(len(VOCAB))[tokens], np.eye(2)[labels]


def corpus(*, n: int, length: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One-hot sentences and labels, ready for ``train_rnn(X, y, ...)``."""
    return one_hot(*sentences(n=n, length=length, seed=seed))


def describe(tokens: np.ndarray) -> str:
    """A sentence as words, for messages and docs."""
    return " ".join(VOCAB[int(t)] for t in tokens)
