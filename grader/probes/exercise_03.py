"""Probes for exercise-03 (MyRNNCell). NumPy and the standard library only.

Each probe drives a module exactly as EXERCISES.md describes and returns named outputs. The same
probe runs on the student's module in the sandboxed child and on the reference in the grader.
Inputs that the contract says must not be modified are returned too, so that the grader can check
them in its own process.
"""
from __future__ import annotations

from typing import Any

import numpy as np

_ndarray = np.ndarray  # captured before any student code is imported


class ContractError(Exception):
    """The submission does not have the shape the contract requires (message is student-facing)."""


def _pair(result: Any, what: str) -> tuple[Any, Any]:
    if type(result) not in (tuple, list) or len(result) != 2:
        raise ContractError(f"{what} must return a tuple (o, ht), but it returned a {type(result).__name__}")
    return result[0], result[1]


def _new_cell(mod: Any, params: dict[str, Any]) -> Any:
    cls = getattr(mod, "MyRNNCell", None)
    if cls is None:
        raise ContractError("Your module does not define the class MyRNNCell")
    return cls(int(params["units"]), str(params["activation"]), int(params["labels"]))


def _set_weights(cell: Any, arrays: dict[str, np.ndarray]) -> tuple[dict[str, Any], bool]:
    """Set U, W, V, b, c as the grader does after build(); return the objects set and whether built is True."""
    objects = {name: arrays[name].copy() for name in ("U", "W", "V", "b", "c")}
    for name, value in objects.items():
        setattr(cell, name, value)
    return objects, getattr(cell, "built", None) is True


def _built_cell(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> tuple[Any, dict[str, Any], bool]:
    cell = _new_cell(mod, params)
    cell.build((int(params["batch"]), int(params["n_x"])))
    objects, built = _set_weights(cell, arrays)
    return cell, objects, built


def _weights_kept(cell: Any, arrays: dict[str, np.ndarray]) -> bool:
    """Whether U, W, V, b, c are still the arrays the grader set (a call() that rebuilds the cell replaces them)."""
    for name in ("U", "W", "V", "b", "c"):
        value = getattr(cell, name, None)
        if type(value) is not _ndarray or value.shape != arrays[name].shape or not np.array_equal(value, arrays[name]):
            return False
    return True


def _weights_after_call(cell: Any, arrays: dict[str, np.ndarray], objects: dict[str, Any],
                        built: bool) -> dict[str, bool]:
    """Whether the weights the grader set survived call(), and if not, how they were lost (state corruption).

    ``weights_kept`` fails when call() rebuilt a cell whose built stayed False, ``weights_not_rebuilt`` when it
    rebuilt a cell although built was True, ``weights_not_written`` when the same arrays were written into."""
    kept = _weights_kept(cell, arrays)
    replaced = any(getattr(cell, name, None) is not value for name, value in objects.items())
    return {"weights_kept": kept or not (replaced and not built),
            "weights_not_rebuilt": kept or not (replaced and built),
            "weights_not_written": kept or replaced}


def build(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    cell = _new_cell(mod, params)
    before = {name: getattr(cell, name, "missing") is None for name in ("U", "W", "V", "b", "c")}
    before["built"] = getattr(cell, "built", None) is False
    cell.build((int(params["batch"]), int(params["n_x"])))
    shapes = {name: list(np.shape(getattr(cell, name))) for name in ("U", "W", "V", "b", "c")}
    return {"shapes": shapes, "built": cell.built is True, "build_callable": callable(cell.build),
            "before_build": before}


def step(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    cell, objects, built = _built_cell(mod, arrays, params)
    xt, ht_1 = arrays["xt"], arrays["ht_1"]
    o, ht = _pair(cell.call(xt, ht_1), "call()")
    return {"o": o, "ht": ht, "y_hat": cell.y_hat, "xt_after": xt, "ht_1_after": ht_1,
            **_weights_after_call(cell, arrays, objects, built)}


def dunder(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    cell = _new_cell(mod, params)
    xt, ht_1 = arrays["xt"], arrays["ht_1"]
    _pair(cell(xt, ht_1), "cell(xt, ht_1)")
    built = cell.built is True
    shapes = {name: list(np.shape(getattr(cell, name))) for name in ("U", "W", "V", "b", "c")}
    objects, built_now = _set_weights(cell, arrays)
    o, ht = _pair(cell(xt, ht_1), "cell(xt, ht_1)")
    return {"built": built, "shapes": shapes, "o": o, "ht": ht, "y_hat": cell.y_hat,
            **_weights_after_call(cell, arrays, objects, built_now)}


def sequence(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    cell, objects, built = _built_cell(mod, arrays, params)
    h = arrays["ht_1"]
    outputs, states = [], []
    for t in range(arrays["X"].shape[1]):
        o, h = _pair(cell.call(arrays["X"][:, t, :], h), "call()")
        if type(o) is not _ndarray or type(h) is not _ndarray:
            raise ContractError("call() must return plain numpy arrays (o, ht)")
        outputs.append(o.astype(np.float64))
        states.append(h.astype(np.float64))
    return {"o_seq": np.stack(outputs), "h_seq": np.stack(states), **_weights_after_call(cell, arrays, objects, built)}


def softmax(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    cell = _new_cell(mod, params)
    o = arrays["o"]
    return {"y_hat": cell.softmax(o), "o_after": o}


def activate(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    cell = _new_cell(mod, params)
    z = arrays["z"]
    return {"a": cell.activate(z), "z_after": z}


def loss(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    cell = _new_cell(mod, params)
    y_true, y_hat = arrays["y_true"], arrays["y_hat"]
    return {"loss": cell.loss(y_true, y_hat), "y_true_after": y_true, "y_hat_after": y_hat}
