"""exercise-07: training the NumPy RNN (sgd_step, train_rnn, predict) on a toy sentiment corpus.

``sgd_step`` is checked exactly, against the reference and against ``keras.optimizers.SGD(learning_rate,
global_clipnorm=...)`` applied to the same gradients. ``train_rnn`` is free to choose its initial weights, so its
checks measure the student's own runs: one loss per epoch, the same seed gives the same run, the loss goes down,
the student's own trained parameters and ``predict`` reach a stated accuracy on held-out sentences, and the loss
is the last step's (``mode="last"``). ``predict`` is checked against the reference forward pass and against Keras
``SimpleRNN`` + ``Dense`` with the parameters transplanted.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from grader.datagen.sentiment import VOCAB, corpus
from grader.spec import ROOT, Case, Check, Equivalent, ErrorHint, Exercise, Explain, Field, Hint
from grader.specs import exercise_07_variants as variants

KEYS = ("U", "W", "V", "b", "c")
N_X, N_H, N_O, STEPS = len(VOCAB), 8, 2, 6
TRAIN = {"units": N_H, "lr": 0.5, "clip_norm": 5.0, "batch_size": 32}
TARGET = 0.9


def _weights(rng: np.random.Generator, scale: float = 0.5) -> dict[str, np.ndarray]:
    return {"U": rng.normal(0, scale, (N_H, N_X)), "W": rng.normal(0, scale, (N_H, N_H)),
            "V": rng.normal(0, 2 * scale, (N_O, N_H)), "b": rng.normal(0, scale, (N_H, 1)),
            "c": rng.normal(0, scale, (N_O, 1))}


def sgd_case(lr: float, clip_ratio: float | None) -> Callable[[int], Case]:
    """Gradients of different sizes per parameter; ``clip_norm`` is ``clip_ratio`` times their global norm."""
    def make(seed: int) -> Case:
        rng = np.random.default_rng(seed)
        a = _weights(rng)
        a.update({f"g{k}": rng.normal(0, 0.5 + i, v.shape) for i, (k, v) in enumerate(_weights(rng).items())})
        params: dict[str, Any] = {"lr": lr}
        if clip_ratio is not None:
            norm = float(np.sqrt(sum(np.sum(a[f"g{k}"] ** 2) for k in KEYS)))
            params["clip_norm"] = round(clip_ratio * norm, 4)
        return Case(params=params, arrays=a)
    return make


def train_case(n: int, epochs: int, **extra: Any) -> Callable[[int], Case]:
    def make(seed: int) -> Case:
        X, y = corpus(n=n, length=STEPS, seed=seed)
        arrays = {"X": X, "y": y}
        if "test" in extra:
            arrays["X_test"], arrays["y_test"] = corpus(n=int(extra["test"]), length=STEPS, seed=seed + 1)
        return Case(params={**TRAIN, "epochs": epochs, "seed": seed % 1000, **extra}, arrays=arrays)
    return make


def ratio_case(seed: int) -> Case:
    """Short (T = 2) and long (T = 16) sentences, trained for one epoch with ``lr = 0``, at the same seed."""
    (Xs, ys), (Xl, yl) = corpus(n=64, length=2, seed=seed), corpus(n=64, length=16, seed=seed)
    return Case(params={**TRAIN, "epochs": 1, "lr": 0.0, "seed": seed % 1000},
                arrays={"short_X": Xs, "short_y": ys, "long_X": Xl, "long_y": yl})


def batch_case(seed: int) -> Case:
    """64 sentences, one epoch with ``lr = 0``: in one batch of 64, then in four batches of 16, at the same seed."""
    X, y = corpus(n=64, length=STEPS, seed=seed)
    return Case(params={**TRAIN, "epochs": 1, "lr": 0.0, "seed": seed % 1000, "small_batch": 16},
                arrays={"X": X, "y": y})


def predict_case(seed: int) -> Case:
    rng = np.random.default_rng(seed)
    return Case(params={}, arrays={**_weights(rng, 0.8), "X": corpus(n=24, length=STEPS, seed=seed)[0]})


# ---- known mistakes -------------------------------------------------------------------------------

NEW = tuple(f"new {k}" for k in KEYS)


def _sgd_hint(message: str, mistake: str) -> Hint:
    return Hint(message, NEW, lambda case: variants.sgd(case.arrays, case.params["lr"], case.params.get("clip_norm"),
                                                         mistake))


SGD_HINTS = (
    _sgd_hint("the gradient is added instead of subtracted: SGD steps against the gradient, p - lr * g", "added"),
    _sgd_hint("the learning rate is ignored: the update is p - lr * g", "lr_ignored"),
    _sgd_hint("each gradient is clipped by its own norm: clip all of them together, scaling every gradient by "
              "clip_norm / max(global_norm, clip_norm), where the global norm covers every entry of every gradient",
              "per_tensor"),
    _sgd_hint("clip_norm is ignored: when it is given, scale the gradients by clip_norm / max(global_norm, clip_norm) "
              "before the update", "no_clip"),
    _sgd_hint("gradients whose global norm is below clip_norm are scaled up: the factor clip_norm / max(global_norm, "
              "clip_norm) is never above 1", "scale_up"),
)
PREDICT_HINTS = (
    Hint("predict uses the first step: the prediction of a many-to-one classifier is read at the last step, "
         "Y_hat[-1]", ("classes",), lambda case: {"classes": variants.classes(case.arrays["X"], case.arrays,
                                                                              "first_step")}),
    Hint("the argmax is taken over the batch axis: take it over the classes, axis 0 of the last step's "
         "[n_o, batch] probabilities", ("classes",), lambda case: {"classes": variants.classes(
             case.arrays["X"], case.arrays, "batch_axis")}),
)

# ---- fields ---------------------------------------------------------------------------------------

INTEGER = ("int64", "int32")
SGD_FIELDS = tuple(Field(f"new {k}", f"sgd_step(...)[{k!r}]") for k in KEYS)
SHAPES = Field("shapes", "The shapes of the parameters returned by train_rnn", kind="exact", messages={
    "value": f"With {N_X} one-hot words, 2 classes and units={N_H}: U [{N_H}, {N_X}], W [{N_H}, {N_H}], "
             f"V [{N_O}, {N_H}], b [{N_H}, 1] and c [{N_O}, 1]."})
NUMBER = Field("number of losses", "The number of losses returned by train_rnn", kind="exact", messages={
    "value": "train_rnn returns one loss per epoch, the mean training loss of that epoch (not one per batch)."})
SAME = ("The same seed must give exactly the same result: draw the initial weights and every shuffle from one "
        "rng = np.random.default_rng(seed).")
REPEAT = (Field("losses (second run)", "The losses of a second train_rnn run with the same seed", atol=1e-12, rtol=0.0,
                against="losses (first run)", against_text="the losses of the first run", messages={"value": SAME}),
          Field("params (second run)", "The parameters of a second train_rnn run with the same seed (all of them, "
                "flattened)", atol=1e-12, rtol=0.0, against="params (first run)",
                against_text="the parameters of the first run", messages={"value": SAME}))
TREND = Field("trend", "The training loss from the first epoch to the last", kind="exact", types=("str",))
ACCURACY = Field("held-out accuracy", f"The accuracy of your predict with your trained parameters on {200} held-out "
                 "sentences", kind="exact", types=("str",), messages={
                     "value": f"Trained with units={N_H}, lr={TRAIN['lr']}, clip_norm={TRAIN['clip_norm']}, "
                              f"batch_size={TRAIN['batch_size']} on 256 sentences for 20 epochs, the classifier must "
                              f"get at least {TARGET:.0%} of the held-out sentences right."})
RATIO = Field("loss ratio", "The loss at lr=0 of sentences of 16 words divided by that of sentences of 2 words",
              kind="scalar", atol=1.0, rtol=0.0, messages={
                  "value": "With lr=0 the loss of the epoch is the loss of the initial weights. Yours grows with the "
                           "length of the sentences, so it adds up the loss of every step (mode='all'): a many-to-one "
                           "classifier has one label per sentence, read at the end, so its loss and gradients use "
                           "the last step only (mode='last')."})
BATCH_EFFECT = Field("batch effect", "How the loss of one epoch at lr=0 changes from one batch of 64 sentences to four "
                     "batches of 16", kind="exact", types=("str",))
CLASSES = Field("classes", "predict(X, params)", dtypes=INTEGER, messages={
    "dtype": "predict() must return the index of the predicted class of each sequence, an integer array [n] "
             "(np.argmax over the classes), not probabilities or floats.",
    "shape": "predict() returns one class index per sequence: shape [n]."})


def _unchanged(arg: str, func: str) -> Field:
    what = f"the {arg} dict or one of its arrays" if arg in ("params", "grads") else arg
    fix = ("return a new dict of new arrays (new[k] = params[k] - lr * g, not params[k] -= lr * g)" if func == "sgd_step"
           else "read the arguments and compute new arrays, without writing into them")
    return Field(f"{arg}_after", f"The argument {arg} of {func}", kind="unchanged", messages={
        "mutated": f"Your {func}() modified {what} in place: {fix}."})


# ---- explanations of the training checks (generic explainers of grader/explainers.py) ----------

TREND_CAUSES = {
    "goes up": "Likely cause: the update adds the gradient; sgd_step must subtract it, p - lr * g.",
    "does not change": "Likely cause: the parameters are never updated: keep the new dict that sgd_step returns "
                       "(params = sgd_step(params, grads, lr, clip_norm)).",
    "not finite": "Likely cause: the loss overflows to NaN or Inf: check the signs of the update and use clip_norm.",
}
EXPLAIN_TREND = Explain("cause_by_text", args={"field": "trend", "causes": TREND_CAUSES})
EXPLAIN_BATCH_MEAN = Explain("cause_by_text", args={"field": "batch effect", "causes": {
    "summed over the batches": "Likely cause: your epoch loss adds up the loss of every batch, so it grows with the "
                               "number of batches: return the mean over the epoch's sentences (add each batch's "
                               "loss times its size, then divide by n).",
    "summed over the sentences of a batch": "Likely cause: the loss of each batch is the sum over its sentences, not "
                                            "their mean, so fewer, larger batches give a larger loss: rnn_loss "
                                            "already averages over the batch.",
    "not finite": "Likely cause: the loss of the initial weights is NaN or Inf: check rnn_loss and the size of the "
                  "initial weights."},
    "otherwise": "With lr=0 the weights never change, so the mean loss of the epoch must be the same however the "
                 "sentences are split into batches; yours is {value}. Average the batch losses weighted by their "
                 "sizes."})
EXPLAIN_REPEAT = Explain("same_or_different", args={
    "first": "initial params (first run)", "second": "initial params (second run)",
    "different": "Likely cause: the initial weights are not drawn from the seed: two runs with lr=0 return different "
                 "weights. Create them with rng = np.random.default_rng(seed), not with np.random.* directly.",
    "same": "Likely cause: the shuffling is not seeded: with lr=0 both runs return the same initial weights, so the "
            "difference comes from the order of the batches. Shuffle with the same rng, rng.permutation(n), not with "
            "np.random.permutation or np.random.shuffle."})
EXPLAIN_ACCURACY = Explain("cause_by_text", args={
    "field": "trend",
    "causes": {t: "Your training loss {value} over these epochs, so the training itself does not work yet: fix "
                  "sgd_step and train_rnn first." for t in TREND_CAUSES},
    "otherwise": "Your loss goes down, so check predict (the check predict compares it with the reference) and the "
                 "size of your initial weights: large weights saturate tanh (use a standard deviation of "
                 "1 / sqrt(fan_in))."})


def _check(name: str, title: str, probe: str, make: Callable[[int], Case], seed: int, fields: tuple[Field, ...],
           *, points: float = 1.0, hints: tuple[Hint, ...] = (), equivalent: bool = False,
           explain: Explain | None = None) -> Check:
    eq = tuple(f.name for f in fields if f.kind == "array") if equivalent else ()
    return Check(name=name, title=title, points=points, probe=probe, make_case=make, seed=seed, fields=fields,
                 hints=hints, equivalent_fields=eq, explain=explain)


CHECKS = (
    _check("sgd_plain", "sgd_step(params, grads, lr): p - lr * g for every parameter", "sgd", sgd_case(0.1, None),
           701, SGD_FIELDS, points=2, hints=SGD_HINTS, equivalent=True),
    _check("sgd_clipped", "sgd_step with clip_norm below the global norm: every gradient scaled by the same factor",
           "sgd", sgd_case(0.1, 0.4), 702, SGD_FIELDS, points=2, hints=SGD_HINTS, equivalent=True),
    _check("sgd_small_gradients", "sgd_step with clip_norm above the global norm: the gradients are not scaled",
           "sgd", sgd_case(0.05, 2.0), 703, SGD_FIELDS, hints=SGD_HINTS, equivalent=True),
    _check("sgd_no_mutation", "sgd_step leaves params and grads unchanged", "sgd", sgd_case(0.1, 0.4), 704,
           (_unchanged("params", "sgd_step"), _unchanged("grads", "sgd_step"))),
    _check("train_losses", "train_rnn returns one loss per epoch and parameters of the right shapes", "train_shape",
           train_case(64, 3), 705, (NUMBER, SHAPES)),
    _check("train_reproducible", "train_rnn twice with the same seed gives the same losses and parameters",
           "reproducible", train_case(64, 2), 706, REPEAT, points=2, explain=EXPLAIN_REPEAT),
    _check("train_learns", "the training loss goes down", "learns", train_case(128, 5), 707, (TREND,), points=2,
           explain=EXPLAIN_TREND),
    _check("train_accuracy", f"your trained parameters and predict get at least {TARGET:.0%} of held-out sentences "
           "right", "accuracy", train_case(256, 20, test=200, target=TARGET), 708, (ACCURACY,), points=3,
           explain=EXPLAIN_ACCURACY),
    _check("train_many_to_one", "the loss is the last step's (mode='last'): it does not grow with the sentence "
           "length", "length_ratio", ratio_case, 709, (RATIO,)),
    _check("train_mean_loss", "each epoch's loss is the mean over its sentences: it does not depend on the batch "
           "size", "batch_mean", batch_case, 711, (BATCH_EFFECT,), explain=EXPLAIN_BATCH_MEAN),
    _check("predict", "predict(X, params): the argmax of the last step of the reference forward pass", "prediction",
           predict_case, 710, (CLASSES, _unchanged("X", "predict"), _unchanged("params", "predict")),
           hints=PREDICT_HINTS, equivalent=True),
)

ERROR_HINTS = (
    ErrorHint("A matrix product does not line up: X is [batch, T, n_x], so x_t = X[:, t, :] enters as U @ x_t.T; "
              "h0 is [units, batch] for each batch (the last batch may be smaller).", type_name="ValueError",
              contains="mismatch"),
    ErrorHint("Two arrays do not broadcast: h is [units, batch], b is [units, 1], and the labels y[idx] are "
              "[batch, n_o], so a step's target is y[idx].T.", type_name="ValueError", contains="broadcast"),
)


def keras_equivalent(check: Check, case: Case) -> Mapping[str, np.ndarray]:
    """keras.optimizers.SGD(learning_rate, global_clipnorm=clip_norm) applied to the same gradients, and for predict
    SimpleRNN + Dense(softmax) with the parameters transplanted (float64)."""
    from grader.equivalents.keras_sgd import keras_classes, sgd_update

    if check.probe == "prediction":
        return {"classes": keras_classes(case.arrays["X"], {k: case.arrays[k] for k in KEYS})}
    new = sgd_update({k: case.arrays[k] for k in KEYS}, {k: case.arrays[f"g{k}"] for k in KEYS},
                     lr=float(case.params["lr"]), clip_norm=case.params.get("clip_norm"))
    return {f"new {k}": new[k] for k in KEYS}


EXERCISE = Exercise(
    id="exercise-07",
    title="Training the NumPy RNN (sgd_step, train_rnn, predict)",
    module_glob="exercise_07_*.py",
    stub=ROOT / "exercises" / "exercise_07_training.py",
    reference=ROOT / "solutions" / "exercise_07_training.py",
    probes=ROOT / "grader" / "probes" / "exercise_07.py",
    checks=CHECKS,
    equivalent=Equivalent(library="keras.optimizers.SGD(learning_rate, global_clipnorm), keras SimpleRNN + Dense",
                          compute=keras_equivalent),
    error_hints=ERROR_HINTS,
)
