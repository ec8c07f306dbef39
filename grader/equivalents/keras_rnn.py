"""Keras equivalents of exercise-03: ``SimpleRNNCell`` + ``Dense`` with transplanted weights.

TensorFlow is imported inside the functions only, never on the everyday ``grade`` path.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np


def _layers(arrays: Mapping[str, np.ndarray], activation: str) -> tuple[Any, Any]:
    from grader.equivalents.tf_env import import_tensorflow

    import_tensorflow()
    import keras

    n_h, n_x = arrays["U"].shape
    cell = keras.layers.SimpleRNNCell(n_h, activation=activation, dtype="float64")
    cell.build((None, n_x))
    cell.set_weights([arrays["U"].T, arrays["W"].T, arrays["b"].ravel()])
    dense = keras.layers.Dense(arrays["V"].shape[0], dtype="float64")
    dense.build((None, n_h))
    dense.set_weights([arrays["V"].T, arrays["c"].ravel()])
    return cell, dense


def _step(cell: Any, dense: Any, xt: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import keras

    out, _ = cell(xt, [h.T])
    logits = dense(out)
    probs = keras.activations.softmax(logits, axis=-1)
    return np.asarray(logits).T, np.asarray(out).T, np.asarray(probs).T


def rnn_cell_outputs(arrays: Mapping[str, np.ndarray], activation: str, *, probe: str) -> dict[str, np.ndarray]:
    """Outputs named as the probes name them: ``o, ht, y_hat`` or ``o_seq, h_seq``."""
    cell, dense = _layers(arrays, activation)
    if probe == "sequence":
        h, logits, states = arrays["ht_1"], [], []
        for t in range(arrays["X"].shape[1]):
            o, h, _ = _step(cell, dense, arrays["X"][:, t, :], h)
            logits.append(o)
            states.append(h)
        return {"o_seq": np.stack(logits), "h_seq": np.stack(states)}
    o, ht, y_hat = _step(cell, dense, arrays["xt"], arrays["ht_1"])
    return {"o": o, "ht": ht, "y_hat": y_hat}
