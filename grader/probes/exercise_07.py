"""Probes for exercise-07 (training the NumPy RNN). NumPy and the standard library only.

Each probe calls ``sgd_step``, ``train_rnn`` and ``predict`` exactly as EXERCISES.md describes (positional
arguments in contract order) and returns named outputs; the same probe runs on the student's module in the
sandboxed child and on the reference in the grader. The training probes measure the student's *own* training
run (its number of losses, whether a second run with the same seed repeats it, whether the loss goes down,
the held-out accuracy of its own ``predict``, how the loss at ``lr = 0`` depends on the sentence length):
nothing there depends on the initial weights the student chose.
"""
from __future__ import annotations

from typing import Any

import numpy as np

_ndarray = np.ndarray  # captured before any student code is imported
_type, _dict, _list, _tuple, _float, _len, _isfinite = type, dict, list, tuple, float, len, np.isfinite
KEYS = ("U", "W", "V", "b", "c")


class ContractError(Exception):
    """The submission does not have the shape the contract requires (message is student-facing)."""


def _function(mod: Any, name: str) -> Any:
    fn = getattr(mod, name, None)
    if not callable(fn):
        raise ContractError(f"Your module does not define the function {name}()")
    return fn


def _params(arrays: dict[str, np.ndarray], prefix: str = "") -> dict[str, np.ndarray]:
    return {k: arrays[prefix + k].copy() for k in KEYS}


def _new_params(result: Any, what: str) -> dict[str, Any]:
    if _type(result) is not _dict:
        raise ContractError(f"{what} must return a dict of parameters, but it returned a {_type(result).__name__}")
    missing = [k for k in KEYS if k not in result]
    if missing:
        raise ContractError(f"{what} must return a dict with the keys 'U', 'W', 'V', 'b', 'c', but "
                            f"{', '.join(repr(k) for k in missing)} {'is' if _len(missing) == 1 else 'are'} missing")
    return result


def sgd(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    # the arrays themselves, not copies: sgd_step's checks get read-only inputs (docs/sandbox.md), so a write raises
    p, g = {k: arrays[k] for k in KEYS}, {k: arrays["g" + k] for k in KEYS}
    fn, clip = _function(mod, "sgd_step"), params.get("clip_norm")
    result = fn(p, g, float(params["lr"])) if clip is None else fn(p, g, float(params["lr"]), float(clip))
    new = _new_params(result, "sgd_step()")
    return {**{f"new {k}": new[k] for k in KEYS}, "params_after": p, "grads_after": g}


def _train(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any], prefix: str = "",
           **changes: Any) -> tuple[dict[str, Any], list[float]]:
    p = {**params, **changes}
    result = _function(mod, "train_rnn")(arrays[prefix + "X"].copy(), arrays[prefix + "y"].copy(), int(p["units"]),
                                          int(p["epochs"]), float(p["lr"]), p.get("clip_norm"), int(p["seed"]),
                                          int(p["batch_size"]))
    if _type(result) not in (_tuple, _list) or _len(result) != 2:
        raise ContractError(f"train_rnn() must return a tuple (params, losses), but it returned a "
                            f"{_type(result).__name__}")
    trained = _new_params(result[0], "train_rnn()")
    try:
        losses = [_float(v) for v in result[1]]
    except (TypeError, ValueError) as exc:
        raise ContractError("train_rnn() must return the losses as a list of numbers, one per epoch") from exc
    return trained, losses


def _flat(params: dict[str, Any]) -> np.ndarray:
    try:
        return np.concatenate([np.asarray(params[k], dtype=np.float64).ravel() for k in KEYS])
    except (TypeError, ValueError) as exc:
        raise ContractError("train_rnn() must return its parameters as numpy arrays") from exc


def train_shape(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    trained, losses = _train(mod, arrays, params)
    return {"number of losses": _len(losses), "shapes": {k: _list(np.shape(trained[k])) for k in KEYS}}


def reproducible(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """Two identical runs, and two with ``lr = 0`` (which return the initial weights), for the diagnosis."""
    out: dict[str, Any] = {}
    for run in ("first", "second"):
        trained, losses = _train(mod, arrays, params)
        out[f"losses ({run} run)"], out[f"params ({run} run)"] = np.array(losses), _flat(trained)
        out[f"initial params ({run} run)"] = _flat(_train(mod, arrays, params, lr=0.0, epochs=1)[0])
    return out


def _trend(losses: list[float]) -> str:
    if _len(losses) < 2 or not all(_isfinite(v) for v in losses):
        return "not finite" if losses and not all(_isfinite(v) for v in losses) else "too short to tell"
    if abs(losses[-1] - losses[0]) <= 1e-9 * max(1.0, abs(losses[0])):  # only the order of the sums changed
        return "does not change"
    return "goes down" if losses[-1] < losses[0] else "goes up"


def learns(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    _, losses = _train(mod, arrays, params)
    return {"trend": _trend(losses), "first loss": losses[0] if losses else None,
            "last loss": losses[-1] if losses else None}


def _predicted(mod: Any, X: np.ndarray, trained: dict[str, Any]) -> Any:
    return _function(mod, "predict")(X.copy(), {k: np.asarray(trained[k]).copy() for k in KEYS})


def accuracy(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """The student's own trained parameters and ``predict`` on the held-out split; at least ``target`` is enough."""
    trained, losses = _train(mod, arrays, params)
    labels = np.argmax(arrays["y_test"], axis=1)
    raw = _predicted(mod, arrays["X_test"], trained)
    got = np.asarray(raw)  # a list of indices is enough here: the check predict insists on the array type
    if got.shape != labels.shape:
        raise ContractError(f"predict() must return one class index per sequence, an integer array of shape "
                            f"{labels.shape}, but it returned a {_type(raw).__name__} of shape {got.shape}")
    score, target = _float(np.mean(got == labels)), _float(params["target"])
    return {"held-out accuracy": f"at least {target:.0%}" if score >= target else f"{score:.1%}",
            "trend": _trend(losses)}


def _lr0_ratio(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any], base: dict[str, Any],
               other: dict[str, Any]) -> float:
    """The one-epoch loss of run ``other`` over that of run ``base`` (``_train`` keyword changes), both at ``lr = 0``,
    where the loss is the initial weights' loss."""
    first = _train(mod, arrays, params, **base)[1]
    second = _train(mod, arrays, params, **other)[1]
    if not first or not second or first[0] == 0:
        raise ContractError("train_rnn(..., lr=0) must return a non-zero loss for its one epoch")
    return second[0] / first[0]


def length_ratio(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """Long sentences over short ones, at the same seed."""
    return {"loss ratio": _lr0_ratio(mod, arrays, params, {"prefix": "short_"}, {"prefix": "long_"})}


def _batch_effect(ratio: float, batches: int) -> str:
    if not _isfinite(ratio):
        return "not finite"
    if abs(ratio - 1.0) <= 0.02:
        return "none"
    if abs(ratio - batches) <= 0.02 * batches:
        return "summed over the batches"
    if abs(ratio * batches - 1.0) <= 0.02:
        return "summed over the sentences of a batch"
    return f"{ratio:.3g} times larger with {batches} batches than with one"


def batch_mean(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """With ``lr = 0`` an epoch's mean loss does not depend on how the sentences are split into batches."""
    n, small = _len(arrays["X"]), int(params["small_batch"])
    ratio = _lr0_ratio(mod, arrays, params, {"batch_size": n}, {"batch_size": small})
    return {"batch effect": _batch_effect(ratio, n // small)}


def prediction(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    X, p = arrays["X"].copy(), _params(arrays)
    return {"classes": _function(mod, "predict")(X, p), "X_after": X, "params_after": p}
