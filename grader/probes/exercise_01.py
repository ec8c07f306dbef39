"""Probes for exercise-01 (word vectors). NumPy and the standard library only.

Each probe drives ``cosine_similarity``, ``most_similar`` and ``analogy`` exactly as EXERCISES.md
describes (positional arguments in contract order) and returns named outputs; the same probe runs on
the student's module in the sandboxed child and on the reference in the grader.

An ``embedding_map`` is rebuilt here from ``params["words"]`` and the rows of ``arrays["vectors"]``
(word order kept), and returned after the calls as ``embedding_map_after`` so that the grader can
see whether it was modified (a word popped, a vector normalised in place).
"""
from __future__ import annotations

from typing import Any

import numpy as np

_ndarray = np.ndarray  # captured before any student code is imported
_list, _tuple, _str, _float = list, tuple, str, float
_SCORE_TYPES = (float, np.float64, np.float32)


class ContractError(Exception):
    """The submission does not have the shape the contract requires (message is student-facing)."""


def _type_name(value: object) -> str:
    t = type(value)
    module = getattr(t, "__module__", "") or ""
    return t.__name__ if module == "builtins" else f"{module}.{t.__name__}"


def cosine(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """``params["calls"]``: ``[field, a_key, b_key]`` triples; keys in ``params["lists"]`` are passed as lists."""
    lists = set(params.get("lists", ()))
    inputs = {key: (arrays[key].tolist() if key in lists else arrays[key]) for key in arrays}
    out: dict[str, Any] = {}
    for field, a_key, b_key in params["calls"]:
        out[field] = mod.cosine_similarity(inputs[a_key], inputs[b_key])
    for key in sorted({k for _, a, b in params["calls"] for k in (a, b)}):
        out[f"{key}_after"] = inputs[key]
    return out


def _embedding_map(arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, np.ndarray]:
    vectors = arrays["vectors"]
    return {word: vectors[i] for i, word in enumerate(params["words"])}


def _pairs(result: Any, what: str) -> tuple[list[str], list[float]]:
    """The words and scores of a ``list[tuple[str, float]]``, or a ContractError that says what is wrong."""
    if type(result) is not _list:
        raise ContractError(f"{what} must return a list of (word, score) tuples, but it returned a {_type_name(result)}")
    words, scores = [], []
    for i, item in enumerate(result):
        if type(item) is not _tuple or _tuple.__len__(item) != 2:
            raise ContractError(f"Item {i} of the list returned by {what} is a {_type_name(item)}: each item must be "
                                "a tuple (word, score) of two values")
        word, score = item
        if type(word) is not _str:
            raise ContractError(f"The word in item {i} of the list returned by {what} is a {_type_name(word)}: "
                                "return each word as a plain str (convert it with str(word))")
        if not any(type(score) is t for t in _SCORE_TYPES):
            raise ContractError(f"The score in item {i} of the list returned by {what} is a {_type_name(score)}: "
                                "return each score as a float (float, numpy.float64 or numpy.float32)")
        words.append(_str.__str__(word))
        scores.append(_float(score))
    return words, scores


def most_similar(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """``params["word"]``; ``params["topn"]`` is passed only when it is not None (else the default, 5)."""
    embedding_map = _embedding_map(arrays, params)
    word, topn = params["word"], params.get("topn")
    what = "most_similar()"
    if topn is None:
        result = mod.most_similar(word, embedding_map)
    else:
        result = mod.most_similar(word, embedding_map, int(topn))
    words, scores = _pairs(result, what)
    return {
        "includes_word": word in words,
        "count": len(words),
        "descending": all(x >= y for x, y in zip(scores, scores[1:])),
        "scores": np.array(scores, dtype=np.float64),
        "words": words,
        "embedding_map_after": embedding_map,
    }


def analogy(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """``params["quads"]``: ``[a, b, c]`` triples; each answer is returned as it is (the grader checks its type)."""
    embedding_map = _embedding_map(arrays, params)
    answers = [mod.analogy(a, b, c, embedding_map) for a, b, c in params["quads"]]
    return {"answers": answers, "embedding_map_after": embedding_map}
