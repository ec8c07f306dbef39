"""exercise-04: backpropagation through time (rnn_forward, rnn_loss, rnn_backward).

Each gradient is checked in tanh/sigmoid x all/last against the reference and tf.GradientTape (``grad_U`` ...) and
against finite differences of the student's own forward pass and loss (``fd_U`` ...). Known mistakes are recognised by
re-running :func:`bptt` with the mistake switched on.
"""
from __future__ import annotations

import weakref
from typing import Any, Callable, Mapping

import numpy as np

from grader.spec import ROOT, Case, Check, Equivalent, ErrorHint, Exercise, Explain, Field, Hint

N_X, N_H, N_O, BATCH, STEPS = 4, 5, 3, 2, 6  # all different, so that shape mistakes show
KEYS = ("U", "W", "V", "b", "c", "h0")
RECURRENT = ("U", "W", "b", "h0")  # gradients that flow through the carried gradient dh_next
ACTIVATIONS, MODES = ("tanh", "sigmoid"), ("all", "last")
COMBOS = tuple((act, mode) for act in ACTIVATIONS for mode in MODES)
ATOL, RTOL = 1e-5, 1e-4
FD_ENTRIES = 4


def _softmax(o: np.ndarray, axis: int | tuple[int, ...]) -> np.ndarray:
    e = np.exp(o - o.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def step_losses(Y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-step batch-mean cross-entropy, shape ``[T]``."""
    return -np.einsum("bo,tob->t", y, np.log(Y_hat)) / y.shape[0]


def _forward(a: Mapping[str, np.ndarray], act: str, mistakes: frozenset[str]) -> tuple[np.ndarray, np.ndarray]:
    X = a["X"][:, ::-1] if "reversed" in mistakes else a["X"]
    H = [np.zeros_like(a["h0"]) if "zero_h0" in mistakes else a["h0"]]
    f = np.tanh if act == "tanh" else (lambda z: 1.0 / (1.0 + np.exp(-z)))
    if "tanh_no_half" in mistakes and act == "sigmoid":
        f = lambda z: 0.5 * (1.0 + np.tanh(z))  # noqa: E731 - the sigmoid written with tanh, without the 1/2 inside
    for t in range(X.shape[1]):
        H.append(f(a["U"] @ X[:, t].T + a["W"] @ H[-1] + a["b"]))
    axis = (1, 2) if "softmax_whole" in mistakes else 1  # each step's softmax over its whole [n_o, batch] array
    return np.stack(H), _softmax(np.matmul(a["V"], np.stack(H[1:])) + a["c"], axis=axis)


def _output_gradient(Y_hat: np.ndarray, y: np.ndarray, mode: str, mistakes: frozenset[str]) -> np.ndarray:
    dO = (Y_hat - y.T) * (-1.0 if "sign" in mistakes else 1.0) / (1 if "no_batch_mean" in mistakes else y.shape[0])
    if "time_mean" in mistakes and mode == "all":
        dO = dO / Y_hat.shape[0]
    if mode == "last" and "mode_ignored" not in mistakes:
        dO[:-1] = 0.0
    return dO


def bptt(a: Mapping[str, np.ndarray], act: str, mode: str, mistakes: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The reference forward and backward pass, or the same with realistic mistakes switched on (see MISTAKES)."""
    H, Y_hat = _forward(a, act, mistakes)
    dO = _output_gradient(Y_hat, a["y"], mode, mistakes)
    S = H[:-1] if "deriv_prev" in mistakes else H[1:]
    dact = 1.0 - S**2 if act == "tanh" or "tanh_deriv" in mistakes else S * (1.0 - S)
    WT = a["W"] if "w_not_t" in mistakes else a["W"].T
    dZ, carried, carry = np.zeros(H[1:].shape), np.zeros(H[1:].shape), np.zeros(H[0].shape)
    for t in range(len(dZ) - 1, -1, -1):
        dZ[t] = (a["V"].T @ dO[t] + (0.0 if "no_carry" in mistakes else carry)) * dact[t]
        carried[t] = carry = WT @ dZ[t]
    H_w = H[1:] if "dw_uses_ht" in mistakes else H[:-1]
    terms = {"U": dZ @ a["X"].transpose(1, 0, 2), "W": dZ @ H_w.transpose(0, 2, 1), "V": dO @ H[1:].transpose(0, 2, 1),
             "b": dZ.sum(axis=2, keepdims=True), "c": dO.sum(axis=2, keepdims=True)}
    grads = {k: v[0] if "overwrite" in mistakes else v.sum(axis=0) for k, v in terms.items()}
    grads["b"] = grads["b"] / (a["X"].shape[0] if "db_mean" in mistakes else 1)
    grads["h0"] = np.zeros_like(carry) if "h0_zero" in mistakes else carry
    return {"H": H, "Y_hat": Y_hat, "carried": carried, **grads}


_VARIANTS: weakref.WeakKeyDictionary[Case, dict[frozenset[str], dict[str, Any]]] = weakref.WeakKeyDictionary()


def outputs(case: Case, mistakes: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every probe output name -> what the reference, with ``mistakes``, computes on ``case`` (cached)."""
    cache = _VARIANTS.setdefault(case, {})
    if mistakes not in cache:
        out: dict[str, Any] = {}
        for act, mode in COMBOS:
            r = bptt(case.arrays, act, mode, mistakes)
            out.update({f"d{k} ({act}, {mode})": r[k] for k in KEYS})
            out.update({f"H ({act})": r["H"], f"Y_hat ({act})": r["Y_hat"], f"carried ({act}, {mode})": r["carried"]})
        out["H[0]"] = out["H (tanh)"][0]
        cache[mistakes] = out
    return cache[mistakes]


def _hint(message: str, mistake: str, fields: tuple[str, ...]) -> Hint:
    return Hint(message=message, fields=fields, variant=lambda case: outputs(case, frozenset((mistake,))))


GRAD_FIELDS = tuple(f"d{k} ({act}, {mode})" for k in KEYS for act, mode in COMBOS)
FORWARD_FIELDS = ("H[0]",) + tuple(f"{n} ({act})" for act in ACTIVATIONS for n in ("H", "Y_hat"))
FORWARD_HINTS = tuple(_hint(message, flag, FORWARD_FIELDS) for flag, message in (
    ("zero_h0", "rnn_forward starts from zeros instead of h0: set H[0] = h0 and compute h_1 from it"),
    ("reversed", "rnn_forward goes through time in reverse: step t must use x_t = X[:, t-1, :], for t = 1 up to T"),
    ("tanh_no_half", "your sigmoid is written with tanh but without the 1/2 inside: sigmoid(z) = 0.5 * (1 + tanh(z / "
                     "2)), not 0.5 * (1 + tanh(z))"),
    ("softmax_whole", "each step's softmax is normalised over the whole [n_o, batch] array: every column (one "
                      "sequence) must sum to 1 on its own, so take the maximum and the sum over the class axis with "
                      "keepdims=True")))
MISTAKES = (  # (mistake switched on in bptt, the sentence that explains it)
    ("no_carry", "the carried gradient dh_next is not added: dh_t must be V.T @ do_t + dh_next, where dh_next = "
                 "W.T @ dz_{t+1} comes back from the later steps"),
    ("overwrite", "`=` is used instead of `+=` over time, so only step 1's term is left: add up every step's term"),
    ("dw_uses_ht", "dW uses h_t instead of h_{t-1}: the term of step t is dz_t @ h_{t-1}.T, with the state W multiplied"),
    ("w_not_t", "the carried gradient is W @ dz instead of W.T @ dz: dh_next = W.T @ dz_t"),
    ("deriv_prev", "the activation derivative is taken from h_{t-1} instead of h_t: act'(z_t) is 1 - h_t**2 for tanh "
                   "and h_t * (1 - h_t) for sigmoid"),
    ("tanh_deriv", "the tanh derivative 1 - h**2 is used for the sigmoid activation: the sigmoid's is h_t * (1 - h_t)"),
    ("db_mean", "db is averaged over the batch instead of summed: do_t already holds the 1/B, so db is the sum of dz_t "
                "over the batch and over time"),
    ("no_batch_mean", "the batch mean is missing, so the gradients are B times too large: do_t = (y_hat_t - y) / B"),
    ("sign", "the output gradient has the wrong sign: do_t = (y_hat_t - y) / B, not (y - y_hat_t) / B"),
    ("mode_ignored", "mode='last' is ignored: in mode 'last' only the last step has an output gradient (do_t = 0 for "
                     "t < T), but yours back-propagates the loss of every step"),
    ("h0_zero", "the gradient of h0 is all zeros: it is the gradient carried back past step 1, W.T @ dz_1"),
    ("zero_h0", "these are the gradients of a forward pass that starts from zeros instead of h0: fix rnn_forward first"),
    ("reversed", "these are the gradients of a forward pass that goes through time in reverse: fix rnn_forward first"),
    ("time_mean", "the gradients are divided by T: in mode 'all' the loss is the sum over time, not the mean"),
)
UNMEASURED = ("time_mean", "h0_zero", "zero_h0", "reversed")  # mistakes the carried-gradient diagnosis cannot locate
GRAD_HINTS = tuple(_hint(message, flag, GRAD_FIELDS) for flag, message in MISTAKES)


def _make_case(seed: int, **params: Any) -> Case:
    rng = np.random.default_rng(seed)
    a = {"X": rng.normal(0, 1, (BATCH, STEPS, N_X)), "y": np.eye(N_O)[rng.permutation(N_O)[:BATCH]],
         "h0": rng.normal(0, 0.5, (N_H, BATCH)), "U": rng.normal(0, 0.4, (N_H, N_X)), "W": rng.normal(0, 0.4, (N_H, N_H)),
         "V": rng.normal(0, 0.6, (N_O, N_H)), "b": rng.normal(0, 0.3, (N_H, 1)), "c": rng.normal(0, 0.3, (N_O, 1))}
    (a["H_tanh"], a["Y_hat"]), a["H_sigmoid"] = _forward(a, "tanh", frozenset()), _forward(a, "sigmoid", frozenset())[0]
    if "key" in params:
        shape = a[params["key"]].shape
        flat = rng.choice(int(np.prod(shape)), size=min(FD_ENTRIES, int(np.prod(shape))), replace=False)
        a["fd_index"] = np.stack(np.unravel_index(np.sort(flat), shape), axis=1)
    return Case(params=params, arrays=a)


def case_maker(**params: Any) -> Callable[[int], Case]:
    return lambda seed: _make_case(seed, **params)


def _unmeasured(key: str) -> Callable[[Case], Mapping[str, Any]]:
    """Explain data (stored in the key): the gradients of the mistakes the carried gradient cannot locate."""
    names = [f"d{key} ({act}, {mode})" for act, mode in COMBOS]
    return lambda case: {"unmeasured": {m: {n: outputs(case, frozenset((m,)))[n] for n in names} for m in UNMEASURED}}


def _explain(name: str, key: str, data: Callable[[Case], Mapping[str, Any]] | None = None) -> Explain:
    """See grader/explainers.py: carried_gradient and flat_loss."""
    return Explain(name, {"key": key, "combos": [list(c) for c in COMBOS], "atol": ATOL, "rtol": RTOL}, data)


def _grad_field(key: str, act: str, mode: str) -> Field:
    return Field(f"d{key} ({act}, {mode})", f"The gradient of {key} (activation '{act}', mode '{mode}')", atol=ATOL,
                 rtol=RTOL, messages={"missing": f"rnn_backward() must return it in its dict under the key '{key}'.",
                                      "none": f"rnn_backward() must return an array under the key '{key}'."})


def _fd_field(key: str, act: str, mode: str) -> Field:
    return Field(f"d{key} ({act}, {mode})", f"The gradient of {key} from your rnn_backward (activation '{act}', mode "
                 f"'{mode}', at {FD_ENTRIES} sampled entries)", atol=2e-4, rtol=2e-3, against=f"fd d{key} ({act}, {mode})",
                 against_text="the central finite-difference estimate of your own rnn_forward and rnn_loss",
                 messages={"value": "Your rnn_backward is not the derivative of your own rnn_loss(rnn_forward(...)). If "
                                    "those two pass their checks, the mistake is in rnn_backward; otherwise fix them first."})


def _unchanged(arg: str, func: str) -> Field:
    text = (f"Your {func} changed the params dict it was given (an entry was added, removed, replaced or written into): "
            "never write into params; put the gradients in a new dict." if arg == "params" else
            f"Your {func} modified its argument {arg} in place: work on new arrays (for example h = h0.copy()) and never "
            "write into an argument.")
    return Field(f"{arg} ({func})", f"The argument {arg} of {func}", kind="unchanged", messages={"mutated": text})


LOSS_HINTS = (  # (sentence, what the mistake returns from the per-step losses s, the modes it shows in)
    ("mode 'all' returns only the last step's loss: sum the losses of every step", lambda s: s[-1], ("all",)),
    ("mode 'last' is ignored: it must return only the last step's loss L_T", lambda s: s.sum(), ("last",)),
    ("mode 'last' returns the first step's loss L_1 (index 0): the last step is Y_hat[-1], so return the loss of step "
     "T", lambda s: s[0], ("last",)),
    ("the per-step losses are averaged over time: in mode 'all' L is their sum, L_1 + ... + L_T", lambda s: s.mean(),
     ("all",)),
    ("the loss is averaged over the classes too: at each step sum -y * log(y_hat) over the classes, then take the "
     "mean over the batch", lambda s: s.sum() / N_O, ("all",)),
    ("the loss is averaged over the classes too: at each step sum -y * log(y_hat) over the classes, then take the "
     "mean over the batch", lambda s: s[-1] / N_O, ("last",)),
)


def _loss_check(mode: str, seed: int) -> Check:
    def hint(message: str, reduce: Callable[[np.ndarray], float]) -> Hint:
        return Hint(message, ("loss",), lambda case: {"loss": reduce(step_losses(case.arrays["Y_hat"], case.arrays["y"]))})
    hints = [hint(m, f) for m, f, modes in LOSS_HINTS if mode in modes]
    hints.append(hint("the loss is summed over the batch instead of averaged: divide by the batch size",
                      lambda s: BATCH * (s.sum() if mode == "all" else s[-1])))
    return Check(f"loss_{mode}", f"rnn_loss(Y_hat, y, mode='{mode}')", 1.0, "loss", case_maker(mode=mode), seed,
                 (Field("loss", f"rnn_loss(Y_hat, y, mode='{mode}')", kind="scalar", atol=ATOL, rtol=RTOL),),
                 hints=tuple(hints), equivalent_fields=("loss",))


# the gradients are those of rnn_loss(rnn_forward(...)): while rnn_forward fails, say that first (grader/diagnose/)
FORWARD_DEPENDS = (("forward_shapes", "rnn_forward"), ("forward_h0", "rnn_forward"), ("forward_values", "rnn_forward"))
# the finite differences are those of the student's own rnn_loss(rnn_forward(...)): a wrong loss makes them differ from
# a right rnn_backward, so while a loss check fails, the finite-difference checks say "fix rnn_loss first"
FD_DEPENDS = (*FORWARD_DEPENDS, ("loss_all", "rnn_loss"), ("loss_last", "rnn_loss"))


def _grad_check(key: str, seed: int) -> Check:
    fields = tuple(_grad_field(key, act, mode) for act, mode in COMBOS)
    recurrent = key in RECURRENT
    return Check(f"grad_{key}", f"d{key}: against the reference and tf.GradientTape (4 combinations)", 2.0, "gradient",
                 case_maker(key=key, carried=recurrent), seed, fields, hints=GRAD_HINTS,
                 equivalent_fields=tuple(f.name for f in fields), explain=_explain("carried_gradient", key, _unmeasured(key)) if recurrent else None,
                 depends=FORWARD_DEPENDS)


def _fd_check(key: str, seed: int) -> Check:
    fields = tuple(_fd_field(key, act, mode) for act, mode in COMBOS)
    return Check(f"fd_{key}", f"d{key}: against finite differences of your own forward pass and loss", 1.0,
                 "finite_differences", case_maker(key=key), seed, fields, explain=_explain("flat_loss", key),
                 depends=FD_DEPENDS)


SHAPES = Field("shapes", "The shapes [H, Y_hat] returned by rnn_forward", kind="exact", messages={
    "value": f"H must be [T+1, n_h, batch] = [{STEPS + 1}, {N_H}, {BATCH}] (H[0] = h0 and one state per step) and "
             f"Y_hat [T, n_o, batch] = [{STEPS}, {N_O}, {BATCH}]."})
H0 = Field("H[0]", "H[0] (the first state returned by rnn_forward)", atol=ATOL, rtol=RTOL, messages={
    "value": "H[0] must be h0 itself.", "missing": "rnn_forward() must return H as a numpy array [T+1, n_h, batch]."})
FORWARD = tuple(Field(f"{n} ({act})", f"{n} from rnn_forward (activation '{act}')", atol=ATOL, rtol=RTOL)
                for act in ACTIVATIONS for n in ("H", "Y_hat"))
SUMS = tuple(Field(f"column sums ({act})", f"The sums of the columns of every Y_hat[t] (activation '{act}')", atol=ATOL,
                   rtol=RTOL, messages={"value": "Each column of Y_hat[t] is a probability distribution over the classes: "
                                                 "take the softmax over the class axis (axis 0 of o_t)."}) for act in ACTIVATIONS)
ARGUMENTS = (("rnn_forward", ("X", "h0", "params")), ("rnn_loss", ("Y_hat", "y")), ("rnn_backward", ("X", "y", "h0", "params")))
ALIASED = Field("aliased (rnn_backward)", "The gradients rnn_backward returned that are its own arguments' arrays (or "
                "views of them)", kind="exact", messages={
                    "value": "rnn_backward returns arrays of its arguments as gradients (for example grads['U'] is "
                             "params['U'], written in place): computing a gradient then overwrites the parameter, and "
                             "every later use of the parameter sees the gradient. Start every gradient from a new array, "
                             "dU = np.zeros_like(params['U']), and add the steps' terms to it."})
NO_MUTATION = (ALIASED, *(_unchanged(arg, func) for func, args in ARGUMENTS for arg in args))

CHECKS = (
    Check("forward_shapes", "rnn_forward returns H [T+1, n_h, batch] and Y_hat [T, n_o, batch]", 1.0, "forward_shape",
          case_maker(), 401, (SHAPES,)),
    Check("forward_h0", "rnn_forward starts from h0: H[0] = h0", 1.0, "forward_shape", case_maker(), 402, (H0,),
          hints=FORWARD_HINTS),
    Check("forward_values", "rnn_forward: the values of H and Y_hat (tanh and sigmoid)", 2.0, "forward", case_maker(),
          403, FORWARD, hints=FORWARD_HINTS, equivalent_fields=tuple(f.name for f in FORWARD)),
    Check("forward_softmax", "rnn_forward: every column of Y_hat[t] sums to 1", 1.0, "column_sums", case_maker(), 404,
          SUMS),
    _loss_check("all", 405),
    _loss_check("last", 406),
    *(_grad_check(key, 410 + i) for i, key in enumerate(KEYS)),
    *(_fd_check(key, 420 + i) for i, key in enumerate(KEYS)),
    Check("no_mutation", "rnn_forward, rnn_loss and rnn_backward leave their arguments unchanged", 1.0, "no_mutation",
          case_maker(), 430, NO_MUTATION),
)

ERROR_HINTS = tuple(ErrorHint("Two arrays do not line up: X is [batch, T, n_x], so x_t = X[:, t-1, :] enters as U @ x_t.T; "
                              "h_t is [n_h, batch]; y is [batch, n_o], so the target of a step is y.T.",
                              type_name="ValueError", contains=word) for word in ("mismatch", "shape"))


def tf_equivalent(check: Check, case: Case) -> Mapping[str, np.ndarray]:
    """tf.GradientTape on the same computation (float64), named as the probes name their outputs."""
    from grader.equivalents.tf_bptt import tf_bptt

    a, out = case.arrays, {}
    needed = {"loss": (("tanh", str(case.params.get("mode"))),), "forward": tuple((act, "all") for act in ACTIVATIONS)}
    for act, mode in needed.get(check.probe, COMBOS):
        r = tf_bptt(a["X"], a["y"], a["h0"], {k: a[k] for k in KEYS[:5]}, act, mode)
        out.update({f"d{k} ({act}, {mode})": r[f"d{k}"] for k in KEYS})
        out.update({f"H ({act})": r["H"], f"Y_hat ({act})": r["Y_hat"], "loss": r["loss"]})
    return {f: out[f] for f in check.equivalent_fields}


EXERCISE = Exercise(
    id="exercise-04", title="Backpropagation through time (rnn_forward, rnn_loss, rnn_backward)",
    module_glob="exercise_04_*.py", stub=ROOT / "exercises" / "exercise_04_bptt.py",
    reference=ROOT / "solutions" / "exercise_04_bptt.py", probes=ROOT / "grader" / "probes" / "exercise_04.py",
    checks=CHECKS, equivalent=Equivalent(library="tensorflow tf.GradientTape", compute=tf_equivalent),
    error_hints=ERROR_HINTS,
)
