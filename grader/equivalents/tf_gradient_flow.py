"""TensorFlow equivalents for exercise-06 (float64): matrix-power norms, spectral radii and hidden-state Jacobians.

``jacobian_norms`` runs the RNN recurrence under ``tf.GradientTape`` and takes ``tape.jacobian(h_T, h_t)`` for
every t on that same computation, then the spectral norm (largest singular value, ``tf.linalg.svd``). TensorFlow
2.21 has no ``tf.linalg.matrix_power``, so the powers are repeated ``tf.linalg.matmul``.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from grader.equivalents.tf_env import import_tensorflow


def power_norms(W: np.ndarray, k: int) -> np.ndarray:
    tf = import_tensorflow()
    W_t, power, out = tf.constant(W, tf.float64), tf.eye(W.shape[0], dtype=tf.float64), []
    for _ in range(k):
        power = tf.linalg.matmul(power, W_t)
        out.append(tf.norm(power))  # the default 'euclidean' norm of a matrix is its Frobenius norm
    return tf.stack(out).numpy()


def spectral_radius(W: np.ndarray) -> np.float64:
    tf = import_tensorflow()
    return np.float64(tf.reduce_max(tf.abs(tf.linalg.eigvals(tf.constant(W, tf.float64)))).numpy())


def jacobian_norms(a: Mapping[str, np.ndarray], activation: str) -> np.ndarray:
    tf = import_tensorflow()
    act = tf.tanh if activation == "tanh" else tf.sigmoid
    U, W, b = (tf.constant(a[k], tf.float64) for k in ("U", "W", "b"))
    X = tf.constant(a["X"], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        h = tf.reshape(tf.constant(a["h0"], tf.float64), (-1, 1))
        tape.watch(h)
        states = [h]
        for t in range(X.shape[0]):
            h = act(tf.linalg.matmul(U, tf.reshape(X[t], (-1, 1))) + tf.linalg.matmul(W, h) + b)
            states.append(h)
    n, last = W.shape[0], states[-1]
    norms = []
    for state in states:
        jac = tf.reshape(tape.jacobian(last, state), (n, n))
        norms.append(tf.linalg.svd(jac, compute_uv=False)[0])
    del tape
    return tf.stack(norms).numpy()
