"""Graded hints for exercise-07 (training the NumPy RNN), by check name: a nudge first, then more specific, never
code. The stub's docstrings describe the training loop these hints point to."""
from __future__ import annotations

_SGD = (
    "One SGD step moves every parameter a little against its gradient, scaled by the learning rate.",
    "Build a new dict: each new parameter is the old one minus the learning rate times its gradient.",
    "With clip_norm, compute one global norm over every entry of every gradient, and scale all the gradients by "
    "the same factor, clip_norm divided by the larger of that norm and clip_norm.",
)
_TRAIN = (
    "An epoch shuffles the sentences and goes through them in batches; each batch gives one loss and one update.",
    "For each batch start from a zero state, compute the loss and the gradients of the last step only, and keep the "
    "parameters that sgd_step returns.",
    "The loss of an epoch is the mean over the sentences of the batch losses, each computed before its update; "
    "return one such number per epoch.",
)
_SEED = (
    "Running train_rnn twice with the same seed must give identical numbers.",
    "Every random draw, the initial weights and every shuffle, must come from one generator created from the seed.",
    "The global np.random functions are not seeded by your seed argument: use the generator's own methods.",
)

HINTS: dict[str, tuple[str, ...]] = {
    "sgd_plain": _SGD,
    "sgd_clipped": (
        "Clipping here is global: the gradients are clipped together, not one by one.",
        *_SGD[1:],
    ),
    "sgd_small_gradients": (
        "When the gradients are already small, clipping must leave them as they are.",
        "The clipping factor is never above 1: it only ever shrinks the gradients.",
    ),
    "sgd_no_mutation": (
        "The caller's params and grads must be unchanged after the call.",
        "Operators such as -= write into the caller's arrays; compute new arrays and put them in a new dict.",
    ),
    "train_losses": (
        "Count what train_rnn returns: the losses list has one entry per epoch.",
        "Average the batch losses of an epoch into one number, and append it once per epoch; the parameters keep the "
        "shapes of exercise-04 (biases are columns).",
    ),
    "train_reproducible": _SEED,
    "train_learns": (
        "If the loss does not fall, look at the direction and the bookkeeping of the update.",
        *_TRAIN[1:],
    ),
    "train_accuracy": (
        "This check trains your model with your own train_rnn, then counts how many held-out sentences your predict "
        "gets right.",
        "If the training loss falls but the accuracy stays low, look at predict and at the size of the initial "
        "weights (small weights keep tanh away from saturation).",
        *_TRAIN,
    ),
    "train_many_to_one": (
        "A sentence has one label, so the classifier is read once, at the end.",
        "The loss and the gradients use the last step only: its value must not grow with the length of the "
        "sentences.",
    ),
    "train_mean_loss": (
        "Each epoch's loss is the mean loss of its sentences: how they are split into batches must not matter.",
        "Add up each batch's mean loss times the size of the batch, then divide by the number of sentences, n.",
        "rnn_loss already returns the mean over the batch: don't sum it over the batches, and don't sum over the "
        "sentences inside it.",
    ),
    "predict": (
        "predict returns a class index per sentence, not probabilities.",
        "Run the RNN from a zero state, read the probabilities of the last step, and take the most likely class of "
        "each sentence (over the class axis).",
    ),
}
