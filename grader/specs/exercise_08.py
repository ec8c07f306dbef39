"""exercise-08: the chapter's Keras models, a text CNN (20 Newsgroups) and a two-layer SimpleRNN (IMDB).

The student's module imports Keras, so this exercise's child needs TensorFlow and gets larger limits
(``LIMITS``). The checks read each model through its public Keras API (grader/probes/exercise_08.py):
the layer types in order, each layer's configuration, the frozen Embedding, the output shape and
``count_params()``, and a forward pass with the reference's weights copied in. The sentences that name
a layer and its difference are in grader.specs.exercise_08_layers.py.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from grader.spec import ROOT, Case, Check, ChildLimits, Equivalent, ErrorHint, Exercise, Explain, Field

BATCH = 3
FILTERS, KERNEL, POOL, HIDDEN, RNN_HIDDEN = 128, 5, 5, 128, 32

# TensorFlow alone takes seconds to import (5 s of CPU here, 20 s and more on a loaded machine) and reserves over
# 1.5 GiB of address space. After a hang the restarted child imports it again within timeout_s (the import always
# gets the full limit); each further check then gets after_timeout_s, more than the default 2 s because a Keras
# check takes up to a second on a loaded machine. A hanging build_text_cnn costs its own six checks (about 100 s)
# and leaves build_sentiment_rnn's checks their marks within total_s.
LIMITS = ChildLimits(timeout_s=60.0, memory_mb=8192, total_s=300.0, tensorflow=True, after_timeout_s=5.0)


def cnn_weight_shapes(num_words: int, dim: int, n_classes: int) -> list[tuple[int, ...]]:
    """The shapes of ``get_weights()`` of the contract's text CNN, in order."""
    return [(num_words, dim), (KERNEL, dim, FILTERS), (FILTERS,), (KERNEL, FILTERS, FILTERS), (FILTERS,),
            (KERNEL, FILTERS, FILTERS), (FILTERS,), (FILTERS, HIDDEN), (HIDDEN,), (HIDDEN, n_classes), (n_classes,)]


def rnn_weight_shapes(vocab_size: int, embed_dim: int, units: int) -> list[tuple[int, ...]]:
    """The shapes of ``get_weights()`` of the contract's sentiment RNN, in order."""
    return [(vocab_size, embed_dim), (embed_dim, units), (units, units), (units,), (units, units), (units, units),
            (units,), (units, RNN_HIDDEN), (RNN_HIDDEN,), (RNN_HIDDEN, 1), (1,)]


def _weights(rng: np.random.Generator, shapes: list[tuple[int, ...]], first: np.ndarray) -> dict[str, np.ndarray]:
    """Weights that keep every activation in its working range: N(0, 1/fan_in) kernels, small biases."""
    out = {"w00": first}
    for k, shape in enumerate(shapes[1:], 1):
        scale = 0.1 if len(shape) == 1 else 1.0 / np.sqrt(np.prod(shape[:-1]))
        out[f"w{k:02d}"] = rng.normal(0.0, scale, shape).astype(np.float32)
    return out


def cnn_case(seed: int, *, weights: bool = False) -> Case:
    """Sizes, embedding_matrix and a batch x; with ``weights``, the reference's weights too (forward pass)."""
    rng = np.random.default_rng(seed)
    num_words, dim = int(rng.integers(30, 51)), int(rng.integers(6, 11))
    seq_len, n_classes = int(rng.integers(150, 171)), int(rng.integers(3, 7))
    matrix = rng.normal(0.0, 0.6, (num_words, dim)).astype(np.float32)
    matrix[0] = 0.0  # row 0 is padding, as build_embedding_matrix leaves it
    arrays = {"embedding_matrix": matrix, "x": rng.integers(0, num_words, (BATCH, seq_len)).astype(np.int32)}
    params = {"builder": "build_text_cnn", "seq_len": seq_len, "n_classes": n_classes}
    if weights:
        shapes = cnn_weight_shapes(num_words, dim, n_classes)
        arrays.update(_weights(rng, shapes, matrix.copy()))
        params["n_weights"] = len(shapes)
    return Case(params=params, arrays=arrays)


def rnn_case(seed: int, *, weights: bool = False) -> Case:
    """Sizes and a batch x; with ``weights``, the reference's weights too (forward pass)."""
    rng = np.random.default_rng(seed)
    vocab_size, embed_dim = int(rng.integers(20, 41)), int(rng.integers(4, 9))
    seq_len, units = int(rng.integers(8, 15)), int(rng.integers(8, 17))
    arrays = {"x": rng.integers(0, vocab_size, (BATCH, seq_len)).astype(np.int32)}
    params = {"builder": "build_sentiment_rnn", "vocab_size": vocab_size, "embed_dim": embed_dim, "seq_len": seq_len,
              "units": units}
    if weights:
        shapes = rnn_weight_shapes(vocab_size, embed_dim, units)
        embeddings = rng.normal(0.0, 0.8, (vocab_size, embed_dim)).astype(np.float32)
        arrays.update(_weights(rng, shapes, embeddings))
        params["n_weights"] = len(shapes)
    return Case(params=params, arrays=arrays)


def _with_weights(make: Callable[..., Case]) -> Callable[[int], Case]:
    return lambda seed: make(seed, weights=True)


def _fields(builder: str) -> dict[str, Field]:
    return {
        "types": Field("types", f"The list of layer types of {builder}()", kind="exact"),
        "input_length": Field("input_length", f"input_length in {builder}()", kind="exact", messages={
            "value": "Your Embedding gets input_length=..., which Keras 3 no longer accepts (Keras 3.0 rejects it, "
                     "later versions ignore it with a warning): remove it and start the model with "
                     "keras.Input(shape=(seq_len,), dtype=\"int32\") instead."}),
        "compiled": Field("compiled", f"Whether {builder}() compiles the model", kind="exact", messages={
            "value": "Return the model uncompiled: leave compile() (the optimizer, the loss) to the training code."}),
        "config": Field("config", f"The configuration of the layers of {builder}()", kind="exact"),
        "output_shape": Field("output_shape", f"The output shape of {builder}() for a batch", kind="exact"),
        "count_params": Field("count_params", f"count_params() of {builder}()", kind="exact"),
        "weight_shapes": Field("weight_shapes", f"The shapes of the weights of {builder}()'s layers", kind="exact"),
        "probs": Field("probs", f"The output of {builder}() with the reference's weights copied in", messages={
            "none": "The reference's weights could not be copied into your model (set_weights), so it was not run."}),
    }


def _checks(prefix: str, builder: str, make: Callable[..., Case], seed: int) -> tuple[Check, ...]:
    f = _fields(builder)
    layers, config = f"{prefix}_layers", f"{prefix}_config"
    upstream = ((layers, "the layer types and their order"),)
    return (
        Check(name=layers, title=f"{builder}(): the layer types, in order", points=1, probe="structure",
              make_case=make, seed=seed, fields=(f["types"],), explain=Explain("layer_types"), hideable=False),
        Check(name=config, title=f"{builder}(): each layer's configuration", points=2, probe="structure",
              make_case=make, seed=seed + 1, fields=(f["config"],), explain=Explain("layer_config"), depends=upstream),
        Check(name=f"{prefix}_shape_params", title=f"{builder}(): the output shape and count_params()", points=1,
              probe="shape_params", make_case=make, seed=seed + 2, fields=(f["output_shape"], f["count_params"]),
              depends=(*upstream, (config, "the layers' configuration"))),
        Check(name=f"{prefix}_forward", title=f"{builder}(): a forward pass with the reference's weights", points=2,
              probe="forward", make_case=_with_weights(make), seed=seed + 3, fields=(f["weight_shapes"], f["probs"]),
              equivalent_fields=("probs",), explain=Explain("layer_weights"),
              depends=(*upstream, (config, "the layers' configuration"))),
        Check(name=f"{prefix}_keras3", title=f"{builder}(): an uncompiled Keras 3 model (no input_length)", points=1,
              probe="structure", make_case=make, seed=seed + 4, fields=(f["input_length"], f["compiled"]),
              hideable=False),
    )


EMBEDDING_FIELDS = (
    Field("trainable", "The Embedding's trainable flag", kind="exact",
          messages={"value": "The Embedding is trainable: pass trainable=False to keep the GloVe vectors fixed."}),
    Field("weights", "The Embedding's weights", messages={
        "value": "They must be embedding_matrix itself: pass "
                 "embeddings_initializer=keras.initializers.Constant(embedding_matrix).",
        "shape": "The Embedding must be Embedding(num_words, dim) with num_words, dim = embedding_matrix.shape."}),
    Field("embedding_matrix_after", "The argument embedding_matrix", kind="unchanged", messages={
        "mutated": "Your build_text_cnn() modified embedding_matrix in place; leave the argument as it is."}),
)

CNN_CHECKS = _checks("cnn", "build_text_cnn", cnn_case, 801)
RNN_CHECKS = _checks("rnn", "build_sentiment_rnn", rnn_case, 811)
CHECKS = (
    *CNN_CHECKS[:2],
    Check(name="cnn_embedding", title="build_text_cnn(): the Embedding is frozen and holds embedding_matrix",
          points=2, probe="embedding", make_case=cnn_case, seed=805, fields=EMBEDDING_FIELDS,
          depends=(("cnn_layers", "the layer types and their order"),)),
    *CNN_CHECKS[2:],
    *RNN_CHECKS,
)

RETURN_SEQUENCES = ("The first SimpleRNN must return sequences: the second one receives [batch, units] instead of "
                    "[batch, time, units]. Pass return_sequences=True to the first SimpleRNN only.")
ERROR_HINTS = (
    ErrorHint("Keras 3 no longer accepts input_length: remove it and start the model with "
              "keras.Input(shape=(seq_len,), dtype=\"int32\") instead.", type_name="ValueError", contains="input_length"),
    ErrorHint(RETURN_SEQUENCES, type_name="ValueError", contains="expected ndim=3, found ndim=2"),
    ErrorHint("A layer received a sequence where it expected one vector per example: end the convolutions with "
              "GlobalMaxPooling1D (or the last SimpleRNN without return_sequences) before the Dense layers.",
              type_name="ValueError", contains="expected ndim=2, found ndim=3"),
    ErrorHint("The sequence became too short for the next convolution or pooling: use Conv1D(128, 5) and "
              "MaxPooling1D(5) exactly as listed (no extra pooling, 'valid' padding).",
              type_name="ValueError", contains="negative"),
    ErrorHint("In Keras 3 write `import keras` and `from keras import layers` (or `from tensorflow import keras`); "
              "the old `tensorflow.python.keras` paths are gone.", type_name="ModuleNotFoundError", contains="keras"),
)


def keras_forward(check: Check, case: Case) -> Mapping[str, Any]:
    """The Keras equivalent: the contract's layers applied one by one in float64, with the case's weights."""
    from grader.equivalents.keras_models import forward_float64

    return {"probs": forward_float64(case)}


EXERCISE = Exercise(
    id="exercise-08",
    title="The chapter's Keras models (text CNN, two-layer SimpleRNN)",
    module_glob="exercise_08_*.py",
    stub=ROOT / "exercises" / "exercise_08_keras_models.py",
    reference=ROOT / "solutions" / "exercise_08_keras_models.py",
    probes=ROOT / "grader" / "probes" / "exercise_08.py",
    checks=CHECKS,
    equivalent=Equivalent(library="keras layers in float64", compute=keras_forward),
    error_hints=ERROR_HINTS,
    limits=LIMITS,
)
