"""Probes for exercise-04 (BPTT). NumPy and the standard library only.

Each probe drives ``rnn_forward``, ``rnn_loss`` and ``rnn_backward`` exactly as EXERCISES.md
describes (positional arguments in contract order) and returns named outputs; the same probe runs on
the student's module in the sandboxed child and on the reference in the grader. Every call gets
fresh copies of its inputs, so that a function that modifies an argument in place does not spoil
the later calls; only ``no_mutation`` hands the same arrays to several calls and returns them.

Gradient outputs are named ``"d<key> (<activation>, <mode>)"``, as in the spec.
"""
from __future__ import annotations

from typing import Any

import numpy as np

_ndarray = np.ndarray  # captured before any student code is imported
_dict, _float = dict, float

KEYS = ("U", "W", "V", "b", "c")
ACTIVATIONS = ("tanh", "sigmoid")
MODES = ("all", "last")
FD_STEP = 1e-2  # five-point central differences: truncation error ~ step**4
FD_WEIGHTS = ((-2, 1.0), (-1, -8.0), (1, 8.0), (2, -1.0))  # (multiple of the step, weight); divide by 12 * step


class ContractError(Exception):
    """The submission does not have the shape the contract requires (message is student-facing)."""


def _params(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: arrays[k].copy() for k in KEYS}


def _run_forward(mod: Any, X: np.ndarray, h0: np.ndarray, params: dict[str, np.ndarray], act: str) -> tuple[Any, Any]:
    result = mod.rnn_forward(X, h0, params, act)
    if type(result) not in (tuple, list) or len(result) != 2:
        raise ContractError(f"rnn_forward() must return a tuple (H, Y_hat), but it returned a {type(result).__name__}")
    return result[0], result[1]


def _forward(mod: Any, arrays: dict[str, np.ndarray], act: str) -> tuple[Any, Any]:
    return _run_forward(mod, arrays["X"].copy(), arrays["h0"].copy(), _params(arrays), act)


def _run_backward(mod: Any, X: np.ndarray, y: np.ndarray, h0: np.ndarray, params: dict[str, np.ndarray],
                  act: str, mode: str) -> dict[str, Any]:
    result = mod.rnn_backward(X, y, h0, params, act, mode)
    if type(result) is not _dict:
        raise ContractError(f"rnn_backward() must return a dict of gradients, but it returned a {type(result).__name__}")
    return result


def _backward(mod: Any, arrays: dict[str, np.ndarray], act: str, mode: str) -> dict[str, Any]:
    return _run_backward(mod, arrays["X"].copy(), arrays["y"].copy(), arrays["h0"].copy(), _params(arrays), act, mode)


def _number(value: Any, what: str) -> float:
    try:
        return _float(value)
    except (TypeError, ValueError) as exc:
        raise ContractError(f"{what} must return a number, but it returned a {type(value).__name__}") from exc


def forward_shape(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    H, Y_hat = _forward(mod, arrays, "tanh")
    out: dict[str, Any] = {"shapes": [list(np.shape(H)), list(np.shape(Y_hat))]}
    if type(H) is _ndarray and H.ndim == 3:
        out["H[0]"] = H[0]
    return out


def forward(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for act in ACTIVATIONS:
        out[f"H ({act})"], out[f"Y_hat ({act})"] = _forward(mod, arrays, act)
    return out


def column_sums(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for act in ACTIVATIONS:
        _, Y_hat = _forward(mod, arrays, act)
        if type(Y_hat) is not _ndarray or Y_hat.ndim != 3:
            raise ContractError(f"rnn_forward() must return Y_hat as a numpy array [T, n_o, batch], "
                                f"but it returned a {type(Y_hat).__name__} of shape {np.shape(Y_hat)}")
        out[f"column sums ({act})"] = np.sum(Y_hat.astype(np.float64), axis=1)
    return out


def loss(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    return {"loss": mod.rnn_loss(arrays["Y_hat"].copy(), arrays["y"].copy(), str(params["mode"]))}


def _carried(mod: Any, arrays: dict[str, np.ndarray], act: str, mode: str, full: Any) -> np.ndarray | None:
    """dL/dh_k carried back from the steps after k, k = 0 .. T-1, from the student's own rnn_backward.

    Entry k is the "h0" gradient of the sequence's last T-k steps started from the reference state
    ``H_<act>[k]``: with a correct rnn_backward it is the reference's carried gradient ``dh_next[k]``.
    """
    X, H = arrays["X"], arrays[f"H_{act}"]
    steps = [full]
    try:
        for k in range(1, X.shape[1]):
            g = _run_backward(mod, X[:, k:].copy(), arrays["y"].copy(), H[k].copy(), _params(arrays), act, mode)
            steps.append(g.get("h0"))
    except Exception:  # noqa: BLE001 - only a diagnostic: without it the check is still graded
        return None
    if any(type(s) is not _ndarray or s.shape != H[0].shape for s in steps):
        return None
    return np.stack([s.astype(np.float64) for s in steps])


def _step_sums(grads: dict[str, Any], arrays: dict[str, np.ndarray]) -> np.ndarray | None:
    """dU, dW and db of one run, flattened together (a diagnosis: are the sums over the steps right?)."""
    parts = [grads.get(k) for k in ("U", "W", "b")]
    if any(type(g) is not _ndarray or g.shape != arrays[k].shape for g, k in zip(parts, ("U", "W", "b"))):
        return None
    return np.concatenate([g.astype(np.float64).ravel() for g in parts])


def gradient(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """The gradient ``params["key"]`` in every combination; with ``carried``, also the data for a diagnosis."""
    key, out = str(params["key"]), {}
    for act in ACTIVATIONS:
        if params.get("carried"):
            out[f"H ({act})"] = _forward(mod, arrays, act)[0]
        for mode in MODES:
            grads = _backward(mod, arrays, act, mode)
            if key in grads:
                out[f"d{key} ({act}, {mode})"] = grads[key]
            if params.get("carried"):
                out[f"carried ({act}, {mode})"] = _carried(mod, arrays, act, mode, grads.get("h0"))
                out[f"step sums ({act}, {mode})"] = _step_sums(grads, arrays)
    return out


def _losses(mod: Any, arrays: dict[str, np.ndarray], act: str, key: str, index: tuple[int, ...],
            delta: float) -> tuple[float, float]:
    """The student's loss in both modes with entry ``index`` of ``key`` (a parameter or h0) moved by ``delta``."""
    p, h0 = _params(arrays), arrays["h0"].copy()
    moved = h0 if key == "h0" else p[key]
    moved[index] += delta
    _, Y_hat = _run_forward(mod, arrays["X"].copy(), h0, p, act)
    if type(Y_hat) is not _ndarray:
        raise ContractError(f"rnn_forward() must return Y_hat as a numpy array, but it returned a {type(Y_hat).__name__}")
    losses = [_number(mod.rnn_loss(Y_hat.copy(), arrays["y"].copy(), m), "rnn_loss()") for m in MODES]
    return losses[0], losses[1]


def _analytic(grads: dict[str, Any], key: str, shape: tuple[int, ...]) -> np.ndarray:
    g = grads.get(key)
    if g is None:
        raise ContractError(f"rnn_backward() returned no {key!r} entry, so its gradient cannot be checked")
    if type(g) is not _ndarray or g.shape != shape:
        raise ContractError(f"rnn_backward()[{key!r}] must be a numpy array with the shape of {key}, {shape}, "
                            f"but it is a {type(g).__name__} of shape {np.shape(g)}")
    return g.astype(np.float64)


def finite_differences(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """The student's analytic gradient and a finite-difference estimate from the student's own forward and loss.

    Both are arrays shaped like the parameter, non-zero only at the entries listed in ``fd_index``
    (the same entries in both), so that the grader can compare them and point to a parameter entry.
    """
    key = str(params["key"])
    shape = arrays[key].shape
    entries = [tuple(int(i) for i in row) for row in arrays["fd_index"]]
    out: dict[str, Any] = {}
    for act in ACTIVATIONS:
        estimate = {m: np.zeros(shape) for m in MODES}
        for index in entries:
            for multiple, weight in FD_WEIGHTS:
                for m, value in zip(MODES, _losses(mod, arrays, act, key, index, multiple * FD_STEP)):
                    estimate[m][index] += weight * value / (12 * FD_STEP)
        for m in MODES:
            g, mine = _analytic(_backward(mod, arrays, act, m), key, shape), np.zeros(shape)
            for index in entries:
                mine[index] = g[index]
            out[f"d{key} ({act}, {m})"], out[f"fd d{key} ({act}, {m})"] = mine, estimate[m]
    return out


def no_mutation(mod: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> dict[str, Any]:
    """Each function in turn, on arrays and a params dict that are then returned to be compared with the originals."""
    X, h0, p = arrays["X"].copy(), arrays["h0"].copy(), _params(arrays)
    for act in ACTIVATIONS:
        mod.rnn_forward(X, h0, p, act)
    out: dict[str, Any] = {"X (rnn_forward)": X, "h0 (rnn_forward)": h0, "params (rnn_forward)": p}
    Y_hat, y = arrays["Y_hat"].copy(), arrays["y"].copy()
    for m in MODES:
        mod.rnn_loss(Y_hat, y, m)
    out.update({"Y_hat (rnn_loss)": Y_hat, "y (rnn_loss)": y})
    X, y, h0, p = arrays["X"].copy(), arrays["y"].copy(), arrays["h0"].copy(), _params(arrays)
    inputs = [X, y, h0, *p.values()]
    aliased: set[str] = set()
    for act in ACTIVATIONS:
        for m in MODES:
            grads = mod.rnn_backward(X, y, h0, p, act, m)
            if type(grads) is _dict:
                aliased.update(k for k, g in grads.items() if type(k) is str and type(g) is _ndarray
                               and any(np.may_share_memory(g, v) for v in inputs if type(v) is _ndarray))
    out.update({"X (rnn_backward)": X, "y (rnn_backward)": y, "h0 (rnn_backward)": h0, "params (rnn_backward)": p,
                "aliased (rnn_backward)": sorted(aliased)})
    return out
