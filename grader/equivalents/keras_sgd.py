"""Keras equivalents of exercise-07: `keras.optimizers.SGD` on float64 variables, and `predict` as `SimpleRNN` + `Dense`."""
from __future__ import annotations

from typing import Mapping

import numpy as np

from grader.equivalents.tf_env import import_tensorflow


def sgd_update(params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], *, lr: float,
               clip_norm: float | None) -> dict[str, np.ndarray]:
    """One ``SGD(learning_rate=lr, global_clipnorm=clip_norm).apply_gradients`` step (no momentum)."""
    tf = import_tensorflow()
    import keras

    names = list(params)
    variables = [keras.Variable(np.asarray(params[k], np.float64), dtype="float64", name=k) for k in names]
    optimizer = keras.optimizers.SGD(learning_rate=lr, global_clipnorm=clip_norm)
    optimizer.apply_gradients([(tf.constant(grads[k], tf.float64), v) for k, v in zip(names, variables)])
    return {k: np.asarray(v.numpy(), np.float64) for k, v in zip(names, variables)}


def keras_classes(X: np.ndarray, params: Mapping[str, np.ndarray]) -> np.ndarray:
    """exercise-07's ``predict`` in Keras: ``SimpleRNN(units)`` (from h0 = 0) and ``Dense(n_o, softmax)`` with the
    parameters transplanted, then the argmax over the classes of each sequence (float64)."""
    import_tensorflow()
    import keras

    n_h, n_x = params["U"].shape
    rnn = keras.layers.SimpleRNN(n_h, activation="tanh", dtype="float64")
    rnn.build((None, X.shape[1], n_x))
    rnn.set_weights([params["U"].T, params["W"].T, params["b"].ravel()])
    dense = keras.layers.Dense(params["V"].shape[0], activation="softmax", dtype="float64")
    dense.build((None, n_h))
    dense.set_weights([params["V"].T, params["c"].ravel()])
    return np.argmax(np.asarray(dense(rnn(X))), axis=1)
