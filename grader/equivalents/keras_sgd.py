"""The Keras equivalent of exercise-07's ``sgd_step``: ``keras.optimizers.SGD`` on float64 variables."""
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
