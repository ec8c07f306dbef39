"""exercise-03: the forward pass of a NumPy RNN cell (MyRNNCell)."""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from grader.spec import ROOT, Case, Check, Equivalent, ErrorHint, Exercise, Field, Hint

N_X, N_H, N_O, BATCH = 5, 4, 3, 2


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _tanh_no_half(z: np.ndarray) -> np.ndarray:
    """A sigmoid written with tanh but without the 1/2 inside: 0.5 * (1 + tanh(z)) instead of tanh(z / 2)."""
    return 0.5 * (1.0 + np.tanh(z))


def _softmax(o: np.ndarray, axis: int | None = 0) -> np.ndarray:
    e = np.exp(o - o.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _weights(rng: np.random.Generator, zero: str = "") -> dict[str, np.ndarray]:
    w = {"U": rng.normal(0, 0.7, (N_H, N_X)), "W": rng.normal(0, 0.7, (N_H, N_H)),
         "V": rng.normal(0, 0.7, (N_O, N_H)), "b": rng.normal(0, 0.7, (N_H, 1)), "c": rng.normal(0, 0.7, (N_O, 1))}
    for name in zero:
        w[name] = np.zeros_like(w[name])
    return w


def step_case(activation: str, zero: str = "") -> Callable[[int], Case]:
    def make(seed: int) -> Case:
        rng = np.random.default_rng(seed)
        arrays = {**_weights(rng, zero), "xt": rng.normal(0, 1, (BATCH, N_X)), "ht_1": rng.normal(0, 0.8, (N_H, BATCH))}
        return Case(params=_params(activation), arrays=arrays)
    return make


def _params(activation: str = "tanh") -> dict[str, Any]:
    return {"units": N_H, "activation": activation, "labels": N_O, "batch": BATCH, "n_x": N_X}


def _forward(case: Case, *, act: str | None = None, b: bool = True, c: bool = True, prev: bool = False,
             w_t: bool = False, axis: int | None = 0, probs: bool = False, o_act: bool = False,
             o_from_z: bool = False) -> dict[str, np.ndarray]:
    """The reference step, or one of its realistic mistakes, for hints."""
    a = case.arrays
    W = a["W"].T if w_t else a["W"]
    z = a["U"] @ a["xt"].T + W @ a["ht_1"] + (a["b"] if b else 0)
    name = act or case.params["activation"]
    f = {"tanh": np.tanh, "sigmoid": _sigmoid, "linear": lambda v: v, "bad_sigmoid": lambda v: 1.0 / (1.0 + np.exp(v)),
         "tanh_no_half": _tanh_no_half, "relu": lambda v: np.maximum(v, 0.0)}[name]
    h = f(z)
    o = a["V"] @ (a["ht_1"] if prev else z if o_from_z else h) + (a["c"] if c else 0)
    o = {"tanh": np.tanh, "sigmoid": _sigmoid}[case.params["activation"]](o) if o_act else o
    y = _softmax(o, axis)
    return {"o": y if probs else o, "ht": h, "y_hat": y, "o_seq": o, "h_seq": h}


def _hint(message: str, fields: tuple[str, ...], **mistake: Any) -> Hint:
    return Hint(message=message, fields=fields, variant=lambda case: _forward(case, **mistake))


TANH_NO_HALF = ("your sigmoid is written with tanh but without the 1/2 inside: sigmoid(z) = 0.5 * (1 + tanh(z / 2)), "
                "not 0.5 * (1 + tanh(z))")
WHOLE_ARRAY = ("softmax is normalised over the whole array: each column (one example) must sum to 1 on its own, so "
               "take the maximum and the sum over axis 0 with keepdims=True")
B_ISOLATED = _hint("the hidden bias b is not added: with U, W = 0 your h_t is act(0), expected act(b)", ("ht", "o"),
                   b=False)
STEP_HINTS = (
    _hint("the hidden bias b is not added: z_t must be U x_t^T + W h_{t-1} + b", ("ht", "o"), b=False),
    _hint("the output bias c is not added: o_t must be V h_t + c", ("o",), c=False),
    _hint("o_t uses h_{t-1} instead of h_t: compute the new state first, then o_t = V h_t + c", ("o",), prev=True),
    _hint("W is transposed: the recurrent term is W @ h_{t-1}, not W.T @ h_{t-1}", ("ht", "o"), w_t=True),
    _hint("softmax is taken over the batch axis: columns of y_hat must sum to 1 (use axis=0)", ("y_hat",), axis=1),
    _hint("call() returns probabilities instead of logits: return o = V h_t + c and keep softmax(o) in self.y_hat",
          ("o",), probs=True),
    _hint("the activation is not applied: h_t must be act(z_t)", ("ht", "o"), act="linear"),
    _hint("o is computed from z_t, before the activation: o_t = V h_t + c uses the new hidden state h_t = act(z_t)",
          ("o",), o_from_z=True),
    _hint("ReLU is used as the activation: h_t = act(z_t) with the cell's own activation, tanh or sigmoid "
          "(self.activation)", ("ht", "o"), act="relu"),
    _hint("your sigmoid has the wrong sign: sigmoid(z) = 1 / (1 + exp(-z))", ("ht", "o"), act="bad_sigmoid"),
    _hint("the tanh formula is used for the sigmoid activation", ("ht", "o"), act="tanh"),
    _hint(TANH_NO_HALF, ("ht", "o"), act="tanh_no_half"),
    _hint(WHOLE_ARRAY, ("y_hat",), axis=None),
    _hint("the activation is applied to the logits too: o_t = V h_t + c has no activation (the softmax that follows "
          "makes y_hat)", ("o",), o_act=True),
)

ARRAY = {"nonfinite": "Check for overflow in np.exp."}
O = Field("o", "o (the logits returned by call)", messages=ARRAY)
HT = Field("ht", "ht (the new hidden state returned by call)")
Y_HAT = Field("y_hat", "self.y_hat (the softmax output stored by call)",
              messages={"none": "Store softmax(o) in self.y_hat inside call().", **ARRAY})
WEIGHTS_KEPT = Field("weights_kept", "U, W, V, b and c after call() (still the weights the grader set?)", kind="exact",
                     messages={"value": "call() replaced the weights the grader set after build(): your build() "
                                        "leaves self.built False (or writes self.build = True, the chapter's typo), so "
                                        "call() builds the cell again and draws new random weights. Set self.built = "
                                        "True at the end of build(), and let call() build only an unbuilt cell."})
NOT_REBUILT = Field("weights_not_rebuilt", "Whether call() kept the weights of a cell already built (built is True)",
                    kind="exact", messages={"value": "call() replaced the weights the grader set although build() had "
                                                     "set self.built = True: call() builds the cell every time. Build "
                                                     "only an unbuilt cell: `if not self.built: self.build(xt.shape)`."})
NOT_WRITTEN = Field("weights_not_written", "Whether call() left the values of U, W, V, b and c as the grader set them",
                    kind="exact", messages={"value": "call() wrote into the parameters (for example self.W += ... or "
                                                     "self.b[...] = ...): one step only reads U, W, V, b and c; compute "
                                                     "new arrays instead."})
WEIGHT_FIELDS = (WEIGHTS_KEPT, NOT_REBUILT, NOT_WRITTEN)
STEP_FIELDS = (*WEIGHT_FIELDS, HT, O, Y_HAT)
SHAPES = Field("shapes", "The shape of each parameter after build()", kind="exact",
               messages={"value": "Expected U [n_h, n_x], W [n_h, n_h], V [n_o, n_h], b [n_h, 1] and c [n_o, 1]."})


def _sequence_case(seed: int) -> Case:
    rng = np.random.default_rng(seed)
    arrays = {**_weights(rng), "X": rng.normal(0, 1, (BATCH, 3, N_X)), "ht_1": rng.normal(0, 0.8, (N_H, BATCH))}
    return Case(params=_params("tanh"), arrays=arrays)


def _loss_case(seed: int) -> Case:
    rng = np.random.default_rng(seed)
    y_true = np.eye(N_O)[:, rng.integers(0, N_O, 4)]
    return Case(params=_params(), arrays={"y_true": y_true, "y_hat": _softmax(rng.normal(0, 1.5, (N_O, 4)))})


def _loss_hint(message: str, factor: float) -> Hint:
    def variant(case: Case) -> Mapping[str, Any]:
        a = case.arrays
        return {"loss": factor * -np.sum(a["y_true"] * np.log(a["y_hat"])) / a["y_true"].shape[1]}
    return Hint(message=message, fields=("loss",), variant=variant)


def _softmax_case(scale: float) -> Callable[[int], Case]:
    def make(seed: int) -> Case:
        rng = np.random.default_rng(seed)
        return Case(params=_params(), arrays={"o": rng.normal(0, scale, (N_O, 5))})
    return make


def _activate_case(activation: str) -> Callable[[int], Case]:
    def make(seed: int) -> Case:
        return Case(params=_params(activation), arrays={"z": np.random.default_rng(seed).normal(0, 2, (N_H, 3))})
    return make


def _softmax_hints() -> tuple[Hint, ...]:
    return (Hint("softmax is taken over the batch axis: columns of y_hat must sum to 1 (use axis=0)", ("y_hat",),
                 lambda case: {"y_hat": _softmax(case.arrays["o"], 1)}),
            Hint(WHOLE_ARRAY, ("y_hat",), lambda case: {"y_hat": _softmax(case.arrays["o"], None)}))


def _activate_hints() -> tuple[Hint, ...]:
    return (Hint("your sigmoid has the wrong sign: sigmoid(z) = 1 / (1 + exp(-z))", ("a",),
                 lambda case: {"a": 1.0 / (1.0 + np.exp(case.arrays["z"]))}),
            Hint("the tanh formula is used for the sigmoid activation", ("a",), lambda case: {"a": np.tanh(case.arrays["z"])}),
            Hint(TANH_NO_HALF, ("a",), lambda case: {"a": _tanh_no_half(case.arrays["z"])}))


def _unchanged(name: str, method: str) -> Field:
    return Field(f"{name}_after", f"The argument {name}", kind="unchanged",
                 messages={"mutated": f"Your {method} modified {name} in place; compute a new array instead "
                                      f"(write h = ... rather than {name} += ... or {name}[...] = ...)."})


def _check(name: str, title: str, probe: str, make: Callable[[int], Case], seed: int, fields: tuple[Field, ...],
           *, points: float = 1.0, hints: tuple[Hint, ...] = (), equivalent: tuple[str, ...] = (),
           raises: str | None = None, depends: tuple[tuple[str, str], ...] = ()) -> Check:
    return Check(name=name, title=title, points=points, probe=probe, make_case=make, seed=seed, fields=fields,
                 hints=hints, equivalent_fields=equivalent, expect_raises=raises, depends=depends)


BOOL_BUILT = Field("built", "self.built after build()", kind="exact",
                   messages={"value": "Set self.built = True at the end of build()."})
BUILD_CALLABLE = Field("build_callable", "cell.build after build()", kind="exact",
                       messages={"value": "build is no longer a method: you wrote self.build = True (the chapter's "
                                          "typo); write self.built = True."})
STEP_EQ = ("o", "ht", "y_hat")
# these probes call the cell more than once on the same arrays: an in-place change of xt or ht_1 spoils later calls
CALLS_AGAIN = (("no_mutation", "call()"),)
BEFORE_BUILD = Field("before_build", "U, W, V, b, c and built of a new MyRNNCell, before build() (each None? built "
                     "False?)", kind="exact", messages={
                         "value": "A new cell has no parameters yet: __init__ sets U, W, V, b and c to None and built "
                                  "to False; build() creates them."})

CHECKS = (
    _check("build", "build() creates U, W, V, b, c with the right shapes and sets built", "build",
           step_case("tanh"), 301, (BUILD_CALLABLE, BOOL_BUILT, SHAPES, BEFORE_BUILD)),
    _check("forward_tanh", "One step with tanh", "step", step_case("tanh"), 302, STEP_FIELDS, points=2,
           hints=STEP_HINTS, equivalent=STEP_EQ),
    _check("forward_sigmoid", "One step with sigmoid", "step", step_case("sigmoid"), 303, STEP_FIELDS, points=2,
           hints=STEP_HINTS, equivalent=STEP_EQ),
    _check("isolate_Ux", "Only U x_t^T is non-zero (W = 0, b = 0, c = 0)", "step", step_case("tanh", "Wbc"), 304,
           STEP_FIELDS, hints=STEP_HINTS, equivalent=STEP_EQ),
    _check("isolate_Wh", "Only W h_{t-1} is non-zero (U = 0, b = 0)", "step", step_case("tanh", "Ub"), 305,
           STEP_FIELDS, hints=STEP_HINTS, equivalent=STEP_EQ),
    _check("isolate_b", "Only the bias b reaches h_t (U = 0, W = 0)", "step", step_case("tanh", "UW"), 306,
           STEP_FIELDS, hints=(B_ISOLATED, *STEP_HINTS), equivalent=STEP_EQ),
    _check("isolate_c", "Only the bias c reaches o_t (V = 0)", "step", step_case("sigmoid", "V"), 307,
           STEP_FIELDS, hints=STEP_HINTS, equivalent=STEP_EQ),
    _check("no_mutation", "call() leaves xt and ht_1 unchanged", "step", step_case("tanh"), 308,
           (_unchanged("xt", "call()"), _unchanged("ht_1", "call()"))),
    _check("call_builds", "cell(xt, ht_1) builds an unbuilt cell and computes the step", "dunder",
           step_case("tanh"), 309, (BOOL_BUILT, SHAPES, *STEP_FIELDS), hints=STEP_HINTS, equivalent=STEP_EQ,
           depends=CALLS_AGAIN),
    _check("sequence", "Three steps, feeding h_t back in", "sequence", _sequence_case, 310,
           (*WEIGHT_FIELDS, Field("h_seq", "h_seq (the hidden states of the three steps, stacked)"),
            Field("o_seq", "o_seq (the logits of the three steps, stacked)")),
           equivalent=("o_seq", "h_seq"), depends=CALLS_AGAIN),
    _check("softmax_columns", "softmax(o) over the class axis", "softmax", _softmax_case(1.0), 311,
           (Field("y_hat", "softmax(o)"), _unchanged("o", "softmax()")), hints=_softmax_hints()),
    _check("softmax_large", "softmax(o) with logits of size 1000 (numerical stability)", "softmax",
           _softmax_case(1000.0), 312, (Field("y_hat", "softmax(o) for large logits", messages={
               "nonfinite": "To keep every exponent finite, subtract each column's maximum (np.max(o, axis=0, "
                            "keepdims=True)) before taking the exponential: the largest term of every column is then "
                            "exp(0) = 1, so nothing overflows and no column underflows to all zeros."}),),
           hints=_softmax_hints()),
    _check("activate_tanh", "activate(z) with tanh", "activate", _activate_case("tanh"), 313,
           (Field("a", "activate(z)"), _unchanged("z", "activate()"))),
    _check("activate_sigmoid", "activate(z) with sigmoid", "activate", _activate_case("sigmoid"), 314,
           (Field("a", "activate(z)"),), hints=_activate_hints()),
    _check("activate_unknown", "activate(z) raises ValueError for an unknown activation name", "activate",
           _activate_case("relu"), 315, (), raises="ValueError"),
    _check("loss", "loss(y_true, y_hat): cross-entropy, batch mean", "loss", _loss_case, 316,
           (Field("loss", "loss(y_true, y_hat)", kind="scalar"), _unchanged("y_true", "loss()"), _unchanged("y_hat", "loss()")),
           hints=(_loss_hint("the loss is summed over the batch instead of averaged: divide by the batch size", 4.0),
                  _loss_hint("the minus sign is missing: cross-entropy is -sum(y * log(y_hat))", -1.0),
                  _loss_hint("the loss is averaged over classes too: sum over classes, then average over the batch",
                             1.0 / N_O))),
)

ERROR_HINTS = (
    ErrorHint("build is no longer a method: you wrote self.build = True (the chapter's typo); write self.built = True.",
              type_name="TypeError", contains="'bool' object is not callable"),
    ErrorHint("Two matrices do not line up: U is [n_h, n_x] and multiplies x_t^T ([n_x, batch]); W is [n_h, n_h] "
              "and multiplies h_{t-1} ([n_h, batch]). Check that U and W are not swapped.",
              type_name="ValueError", contains="mismatch"),
    ErrorHint("Two arrays have incompatible shapes: remember xt is [batch, n_x] (transpose it) and h is [n_h, batch].",
              type_name="ValueError", contains="shape"),
)


def keras_step(check: Check, case: Case) -> Mapping[str, np.ndarray]:
    """The Keras equivalent: SimpleRNNCell + Dense with the cell's weights transplanted (float64)."""
    from grader.equivalents.keras_rnn import rnn_cell_outputs

    return rnn_cell_outputs(case.arrays, str(case.params["activation"]), probe=check.probe)


EXERCISE = Exercise(
    id="exercise-03",
    title="RNN cell forward pass (MyRNNCell)",
    module_glob="exercise_03_*.py",
    stub=ROOT / "exercises" / "exercise_03_rnn_cell.py",
    reference=ROOT / "solutions" / "exercise_03_rnn_cell.py",
    probes=ROOT / "grader" / "probes" / "exercise_03.py",
    checks=CHECKS,
    equivalent=Equivalent(library="keras SimpleRNNCell + Dense", compute=keras_step),
    error_hints=ERROR_HINTS,
)
