"""Probes for exercise-06 (vanishing and exploding gradients). NumPy and the standard library only.

Each probe calls the functions exactly as EXERCISES.md describes (positional arguments in contract order)
and returns named outputs; the same probe runs on the student's module in the sandboxed child and on the
reference in the grader. ``params["matrices"]`` names the arrays a probe works on; an output is named after
its matrix (``"norms ones"``, ``"radius W"``, ``"regime rotation"``). Every call gets its own copy of the
inputs, except in ``no_mutation``, which returns the arrays it passed so that the grader can compare them.
"""
from __future__ import annotations

from typing import Any

import numpy as np

_ndarray = np.ndarray  # captured before any student code is imported
_complex, _type = complex, type
PARAM_KEYS = ("U", "W", "V", "b", "c")


class ContractError(Exception):
    """The submission does not have the shape the contract requires (message is student-facing)."""


def _function(mod: Any, name: str) -> Any:
    fn = getattr(mod, name, None)
    if not callable(fn):
        raise ContractError(f"Your module does not define the function {name}()")
    return fn


def _real(value: Any, what: str) -> Any:
    """A complex result is a contract violation with its own sentence (the eigenvalues were not made absolute)."""
    if isinstance(value, (_complex, np.complexfloating)) or (_type(value) is _ndarray and value.dtype.kind == "c"):
        raise ContractError(f"{what} returned a complex number: eigenvalues of a non-symmetric matrix can be "
                            "complex, so take their absolute values (np.abs) before the maximum")
    return value


def powers(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    fn = _function(mod, "power_norms")
    return {f"norms {name}": _real(fn(arrays[name].copy(), int(params["k"])), "power_norms()")
            for name in params["matrices"]}


def radius(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    fn = _function(mod, "spectral_radius")
    return {f"radius {name}": _real(fn(arrays[name].copy()), "spectral_radius()") for name in params["matrices"]}


def regime(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    fn = _function(mod, "gradient_regime")
    tol = params.get("tol")
    return {f"regime {name}": fn(arrays[name].copy()) if tol is None else fn(arrays[name].copy(), float(tol))
            for name in params["matrices"]}


def _sequence_params(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: arrays[k].copy() for k in PARAM_KEYS}


def jacobian(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """hidden_jacobian_norms for each activation in ``params["activations"]``, as ``"norms <activation>"``."""
    fn = _function(mod, "hidden_jacobian_norms")
    out: dict[str, Any] = {}
    for act in params["activations"]:
        result = fn(arrays["X"].copy(), arrays["h0"].copy(), _sequence_params(arrays), act)
        out[f"norms {act}"] = _real(result, "hidden_jacobian_norms()")
        if _type(result) is _ndarray and result.ndim == 1 and result.size:
            out[f"last entry {act}"] = result[-1]
    return out


def no_mutation(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """Each function in turn, on arrays that are then returned to be compared with the originals.

    The arrays are the check's own, not copies: they are read-only memory (docs/sandbox.md), so the first write
    into one raises in the student's code and names that function; the comparison afterwards stays for the dict.
    """
    W = {name: arrays["W"] for name in ("power_norms", "spectral_radius", "gradient_regime")}
    _function(mod, "power_norms")(W["power_norms"], 3)
    _function(mod, "spectral_radius")(W["spectral_radius"])
    _function(mod, "gradient_regime")(W["gradient_regime"])
    X, h0, p = arrays["X"], arrays["h0"], {k: arrays[k] for k in PARAM_KEYS}
    _function(mod, "hidden_jacobian_norms")(X, h0, p, "tanh")
    out: dict[str, Any] = {f"W ({name})": w for name, w in W.items()}
    out.update({"X (hidden_jacobian_norms)": X, "h0 (hidden_jacobian_norms)": h0,
                "params (hidden_jacobian_norms)": p})
    return out
