"""Graded hints for exercise-08 (the chapter's Keras models), by check name: a nudge first, never code."""
from __future__ import annotations

_LAYERS = (
    "List the layers of the docstring on paper, one per line, and compare them with model.summary() of your "
    "model: the grader counts layers the same way (the Input left out, a nested Sequential opened up).",
    "Every pooling, dropout and flattening step is a layer of its own and counts in the order. A layer of a "
    "similar kind (an LSTM for a SimpleRNN, an average pooling for a max pooling) is a different layer.",
)
_CONFIG = (
    "Each layer's arguments matter, not only its type: print layer.get_config() for every layer and compare "
    "the units, filters, kernel and pool sizes, activations and dropout rates with the docstring.",
    "A Dense layer without an activation is linear: the last layer of a classifier needs its softmax (or "
    "its sigmoid for one probability). Dropout is an argument of each SimpleRNN, separate from the Dropout layer.",
)
_SHAPE = (
    "Call your model on a small batch of integer indices and print the output's shape and model.count_params(); "
    "the docstring says what the output shape must be.",
    "A different number of parameters comes from a different layer size: filters, kernel size, units, or the "
    "Embedding's number of rows and columns.",
)
_FORWARD = (
    "The grader copies its own weights into your model with set_weights and runs it: this only works when every "
    "layer has the weights of the contract's layer, in the same order and with the same shapes.",
    "If the weights fit but the output differs, a layer computes something else: look for a missing or extra "
    "activation, the wrong pooling, or a layer in the wrong place.",
)
_KERAS3 = (
    "Keras 3 removed a few arguments that the chapter's Keras 2 code still uses. Read the warnings printed when "
    "you build your model.",
    "The sequence length no longer goes into the Embedding: start the model with an Input of that shape instead. "
    "Return the model as it is built: compiling it is the training code's job.",
)

HINTS: dict[str, tuple[str, ...]] = {
    "cnn_layers": _LAYERS,
    "cnn_config": _CONFIG,
    "cnn_embedding": (
        "The GloVe vectors are not learned here: the Embedding must start from embedding_matrix and keep it.",
        "Give the Embedding a constant initializer made from the matrix (its rows and columns are the Embedding's "
        "two sizes), and switch training off for that layer.",
    ),
    "cnn_shape_params": _SHAPE,
    "cnn_forward": _FORWARD,
    "cnn_keras3": _KERAS3,
    "rnn_layers": _LAYERS,
    "rnn_config": (
        *_CONFIG,
        "Two recurrent layers in a row: the first must hand the second the whole sequence, one state per time "
        "step; the second hands the Dense layer only its last state.",
    ),
    "rnn_shape_params": _SHAPE,
    "rnn_forward": _FORWARD,
    "rnn_keras3": _KERAS3,
}
