"""The Keras equivalent of exercise-08: the contract's layers applied one by one, in float64.

It builds every layer itself (not through a ``Model``) from the case's sizes, copies in the case's
weights (``w00``, ``w01``, ... in ``get_weights()`` order) and runs the batch ``x`` through them in
inference mode, on the device TensorFlow picks (a GPU when one is visible, TF32 off). TensorFlow is
imported inside the function only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from grader.spec import Case


def contract_layers(params: dict[str, Any], arrays: dict[str, np.ndarray], dtype: str = "float64") -> list[Any]:
    """The contract's layers for one case, unbuilt."""
    from keras import layers

    kw = {"dtype": dtype}
    if params["builder"] == "build_text_cnn":
        num_words, dim = arrays["w00"].shape
        return [layers.Embedding(num_words, dim, **kw),
                layers.Conv1D(128, 5, activation="relu", **kw), layers.MaxPooling1D(5, **kw),
                layers.Conv1D(128, 5, activation="relu", **kw), layers.MaxPooling1D(5, **kw),
                layers.Conv1D(128, 5, activation="relu", **kw), layers.GlobalMaxPooling1D(**kw),
                layers.Dense(128, activation="relu", **kw), layers.Dense(int(params["n_classes"]), activation="softmax", **kw)]
    units = int(params["units"])
    return [layers.Embedding(int(params["vocab_size"]), int(params["embed_dim"]), **kw),
            layers.SimpleRNN(units, dropout=0.5, return_sequences=True, **kw), layers.SimpleRNN(units, dropout=0.5, **kw),
            layers.Dense(32, activation="relu", **kw), layers.Dropout(0.5, **kw), layers.Dense(1, activation="sigmoid", **kw)]


def forward_float64(case: Case, device: str | None = None) -> np.ndarray:
    """The output of the contract's model on ``case.arrays["x"]`` with the case's weights, in float64."""
    from grader.equivalents.tf_env import import_tensorflow

    tf = import_tensorflow()
    params, arrays = dict(case.params), dict(case.arrays)
    weights = [np.asarray(arrays[f"w{k:02d}"], dtype=np.float64) for k in range(int(params["n_weights"]))]
    device = device or ("/GPU:0" if tf.config.list_physical_devices("GPU") else "/CPU:0")
    with tf.device(device):
        h = tf.constant(arrays["x"])
        for layer in contract_layers(params, arrays):
            layer.build(tuple(h.shape))
            n = len(layer.weights)
            layer.set_weights(weights[:n])
            weights = weights[n:]
            h = layer(h, training=False)
        assert not weights, "the case has more weights than the contract's layers"
        return np.asarray(h.numpy(), dtype=np.float64)
