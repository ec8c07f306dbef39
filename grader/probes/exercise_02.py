"""Probes for exercise-02 (load_embed, build_embedding_matrix, pad_sequences). NumPy and the standard library only.

Each probe drives a module exactly as EXERCISES.md describes (positional arguments, in contract
order) and returns named outputs. The same probe runs on the student's module in the sandboxed
child and on the reference in the grader. Files a check needs are in ``params["_dir"]``.
"""
from __future__ import annotations

import copy
import os
import re
from typing import Any

import numpy as np

_ndarray = np.ndarray  # captured before any student code is imported
_type = type


class ContractError(Exception):
    """The submission does not have the shape the contract requires (message is student-facing)."""


def _name(value: object) -> str:
    t = _type(value)
    module = getattr(t, "__module__", "") or ""
    return t.__name__ if module == "builtins" else f"{module}.{t.__name__}"


def _describe(vector: object) -> str:
    """What one vector of the embedding map is, in words: "numpy.ndarray of float32", "list", ..."""
    if _type(vector) is not _ndarray:
        return _name(vector)
    kind = vector.dtype.kind
    return "numpy.ndarray of " + ("str" if kind in "US" else "objects" if kind == "O" else str(vector.dtype))


def _stack(vectors: list[Any]) -> np.ndarray | None:
    """The vectors as one float64 matrix (one row each), or None if they are not equal-length 1-D arrays."""
    if not vectors or any(_type(v) is not _ndarray or v.ndim != 1 or v.shape != vectors[0].shape for v in vectors):
        return None
    try:
        return np.stack([np.asarray(v, dtype=np.float64) for v in vectors])
    except (ValueError, TypeError):
        return None


def _load_dict(mod: Any, params: dict[str, Any]) -> dict[str, Any]:
    result = mod.load_embed(os.path.join(str(params["_dir"]), str(params["file"])))
    if _type(result) is not dict:
        raise ContractError(f"load_embed must return a dict {{word: vector}}, but it returned a {_name(result)}")
    if any(_type(k) is not str for k in result):
        raise ContractError("The keys of the dict returned by load_embed must be the words, as str")
    return result


def load(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    embedding_map = _load_dict(mod, params)
    words = sorted(embedding_map)
    return {"nonascii": [w for w in words if not w.isascii()], "words": words,
            "dtypes": sorted({_describe(v) for v in embedding_map.values()}),
            "matrix": _stack([embedding_map[w] for w in words])}


_LINE_WORDS = re.compile(r"\blines?\s*(?:no\.?|number|#)?\s*:?\s*(\d+)|第\s*(\d+)\s*行", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.])(\d+)(?:st|nd|rd|th)?(?!\w|\.\d)")


def names_line(message: str, line: int) -> bool:
    """Whether ``message`` names line ``line``: the number it gives as the line ("line 17", "第 17 行") where it
    says one, else any whole number in it (not a digit run inside a value such as 0.17 or a word such as w17)."""
    said = [int(a or b) for a, b in _LINE_WORDS.findall(message)]
    if said:
        return line in said
    return line in (int(n) for n in _NUMBER.findall(message))


def load_ragged(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """A file with one line of the wrong length: ValueError, and does its message name the line?"""
    try:
        _load_dict(mod, params)
    except ValueError as err:
        message = str(err)
        named = names_line(message, int(params["bad_line"]))
        return {"outcome": "raises ValueError", "names_line": named, "message": message[:300]}
    return {"outcome": "returns normally", "names_line": False, "message": ""}


def _embedding_map(arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, np.ndarray]:
    return {word: arrays["vectors"][k].copy() for k, word in enumerate(params["vocab"])}


def matrix(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    word_index = {str(w): int(i) for w, i in params["word_index"]}
    embedding_map = _embedding_map(arrays, params)
    result = mod.build_embedding_matrix(word_index, embedding_map, int(params["num_words"]), int(params["dim"]))
    if _type(result) not in (tuple, list) or len(result) != 2:
        raise ContractError("build_embedding_matrix must return a tuple (matrix, filled), "
                            f"but it returned a {_name(result)}")
    return {"matrix": result[0], "filled": result[1], "embedding_map_after": embedding_map,
            "word_index_after": word_index}


def _pad_once(mod: Any, sequences: list[list[int]], *args: Any) -> Any:
    result = mod.pad_sequences(sequences, *args)
    if _type(result) is not _ndarray:
        raise ContractError(f"pad_sequences must return a numpy.ndarray, but it returned a {_name(result)}")
    return result


def pad(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """pad_sequences(sequences) with the defaults, or with every given argument (positional)."""
    sequences = copy.deepcopy(params["sequences"])
    args = params.get("args", [])
    return {"padded": _pad_once(mod, sequences, *args), "sequences_after": sequences}


def pad_grid(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """One (padding, truncating) pair: one output per maxlen, each stacked over the values of ``value``."""
    out = {}
    for field, maxlen in zip(params["fields"], params["maxlens"]):
        results = [_pad_once(mod, copy.deepcopy(params["sequences"]), maxlen, params["padding"],
                             params["truncating"], value) for value in params["values"]]
        if len({(r.shape, r.dtype) for r in results}) != 1:
            raise ContractError(f"pad_sequences(sequences, {maxlen!r}, ...) returned arrays of different shapes or "
                                "dtypes for different values of value")
        out[field] = np.stack(results)
    return out
