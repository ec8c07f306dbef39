"""Probes for exercise-05 (gradient clipping). NumPy and the standard library only.

Each probe calls one function exactly as EXERCISES.md describes (positional arguments in contract
order) and returns named outputs; the same probe runs on the student's module in the sandboxed
child and on the reference in the grader. Inputs that must not be modified come back as
``<name>_after``.

A gradient list is described by ``params["layout"]``: one entry per position, the name of an
array in ``arrays`` or ``None``; ``params["container"]`` is ``"list"`` or ``"tuple"`` (or
``"ndarray"``: then ``arrays["t"]`` itself is passed, which is not a list).
"""
from __future__ import annotations

from typing import Any

import numpy as np

_ndarray = np.ndarray  # captured before any student code is imported
_type, _list, _tuple, _len = type, list, tuple, len


class ContractError(Exception):
    """The submission does not have the shape the contract requires (message is student-facing)."""


def _function(mod: Any, name: str) -> Any:
    fn = getattr(mod, name, None)
    if not callable(fn):
        raise ContractError(f"Your module does not define the function {name}()")
    return fn


def _axes(raw: Any) -> Any:
    return tuple(raw) if isinstance(raw, list) else raw


def _t_list(arrays: dict[str, np.ndarray], params: dict[str, Any]) -> Any:
    if params.get("container") == "ndarray":  # not a list or tuple: must raise TypeError
        return arrays["t"]
    items = [None if name is None else arrays[name] for name in params["layout"]]
    return tuple(items) if params.get("container") == "tuple" else items


def _new(out: Any, inputs: list[Any]) -> bool:
    """False when ``out`` is one of the input arrays or a view of one (the contract asks for new arrays)."""
    return not (_type(out) is _ndarray and any(_type(t) is _ndarray and np.may_share_memory(out, t) for t in inputs))


def clip_value(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    t = arrays["t"]
    out = _function(mod, "clip_by_value")(t, params["clip_value_min"], params["clip_value_max"])
    return {"clipped": out, "t_after": t, "returns_new": _new(out, [t])}


def clip_norm(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    t = arrays["t"]
    fn = _function(mod, "clip_by_norm")
    axes = _axes(params.get("axes"))
    out = fn(t, params["clip_norm"]) if axes is None else fn(t, params["clip_norm"], axes)
    return {"clipped": out, "t_after": t, "returns_new": _new(out, [t])}


def global_norm(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    t_list = _t_list(arrays, params)
    return {"norm": _function(mod, "global_norm")(t_list), "t_list_after": t_list}


def _entry_kind(value: Any) -> str:
    if value is None:
        return "None"
    return "array" if _type(value) is _ndarray else _type(value).__name__


def clip_global(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """clip_by_global_norm(t_list, clip_norm, use_norm): the result split into named fields.

    ``result_type`` is the exact type of the returned object, ``entries`` says for each entry of
    the clipped list whether it is an array or ``None``, and ``clipped_<k>`` is entry ``k``.
    """
    t_list = _t_list(arrays, params)
    fn = _function(mod, "clip_by_global_norm")
    use_norm = params.get("use_norm")
    result = fn(t_list, params["clip_norm"]) if use_norm is None else fn(t_list, params["clip_norm"], use_norm)
    if _type(result) not in (_tuple, _list) or _len(result) != 2:
        raise ContractError("clip_by_global_norm() must return a tuple (clipped, norm), but it returned "
                            f"a {_type(result).__name__}" + ("" if _type(result) not in (_tuple, _list)
                                                           else f" of {_len(result)} items"))
    clipped, norm = result[0], result[1]
    if _type(clipped) not in (_list, _tuple):
        raise ContractError("The first item returned by clip_by_global_norm() must be the list of clipped arrays, "
                            f"but it is a {_type(clipped).__name__}")
    out: dict[str, Any] = {"result_type": _type(result).__name__, "entries": [_entry_kind(c) for c in clipped],
                           "norm": norm, "t_list_after": t_list,
                           "returns_new": all(_new(c, list(t_list)) for c in clipped)}
    out.update({f"clipped_{k}": c for k, c in enumerate(clipped) if c is not None})
    return out
