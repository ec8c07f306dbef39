"""TensorFlow equivalents of exercise-04 (BPTT), for cross-checking the NumPy reference.

Two independent routes compute the forward pass, the loss and every gradient on the same inputs:

* ``tf_bptt``: the chapter's equations written with ``tf`` ops and differentiated by
  ``tf.GradientTape``;
* ``keras_bptt``: ``keras.layers.SimpleRNN(return_sequences=True)`` followed by a ``Dense`` layer
  applied to every step, with the reference parameters transplanted (``kernel = U.T``,
  ``recurrent_kernel = W.T``, ``bias = b.ravel()``; Dense ``kernel = V.T``, ``bias = c.ravel()``; the
  initial state is ``h0.T``), also differentiated by ``tf.GradientTape``.

Both return a dict of NumPy arrays in the reference's layout: ``H`` ``[T+1, n_h, batch]``, ``Y_hat``
``[T, n_o, batch]``, ``loss`` (0-d), ``dU, dW, dV, db, dc`` (each shaped like its parameter) and
``dh0`` ``[n_h, batch]``. TensorFlow is imported lazily, inside the functions, so that importing this
module stays cheap. TF32 is switched off whenever a GPU is visible.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

_KEYS: tuple[str, ...] = ("U", "W", "V", "b", "c")


def _import_tf() -> Any:
    """TensorFlow, quiet and with TF32 off on GPU (through ``grader.equivalents.tf_env`` when it is there)."""
    try:
        from grader.equivalents.tf_env import import_tensorflow
    except ImportError:
        import tensorflow as tf

        if tf.config.list_physical_devices("GPU"):
            tf.config.experimental.enable_tensor_float_32_execution(False)
        return tf
    return import_tensorflow()


def tf_device() -> str:
    """The device the equivalents run on (``"/GPU:0"`` or ``"/CPU:0"``), with TF32 switched off on GPU."""
    tf = _import_tf()
    if tf.config.list_physical_devices("GPU"):
        tf.config.experimental.enable_tensor_float_32_execution(False)
        return "/GPU:0"
    return "/CPU:0"


def _check(activation: str, mode: str) -> None:
    if activation not in ("tanh", "sigmoid"):
        raise ValueError(f"unknown activation {activation!r}: use 'tanh' or 'sigmoid'")
    if mode not in ("all", "last"):
        raise ValueError(f"unknown mode {mode!r}: use 'all' or 'last'")


def make_tf_bptt(activation: str = "tanh", mode: str = "all", compiled: bool = False) -> Callable[..., Any]:
    """A function ``f(X, y, h0, U, W, V, b, c) -> (H, Y_hat, loss, dU, dW, dV, db, dc, dh0)`` on tensors.

    The shapes are the reference's (``X`` ``[batch, T, n_x]``, ``y`` ``[batch, n_o]``, ``h0``
    ``[n_h, batch]``, ``b`` ``[n_h, 1]``, ``c`` ``[n_o, 1]``); the dtype is that of the tensors passed
    in. With ``compiled=True`` the function is wrapped in ``tf.function`` (the time loop is unrolled).
    """
    tf = _import_tf()
    _check(activation, mode)
    act = tf.tanh if activation == "tanh" else tf.sigmoid

    def f(X: Any, y: Any, h0: Any, U: Any, W: Any, V: Any, b: Any, c: Any) -> tuple[Any, ...]:
        with tf.GradientTape() as tape:
            tape.watch([U, W, V, b, c, h0])
            Yt = tf.transpose(y)  # [n_o, batch]
            batch = tf.cast(tf.shape(Yt)[1], X.dtype)
            hs = [h0]
            y_hats = []
            step_losses = []
            for t in range(X.shape[1]):
                h = act(tf.matmul(U, X[:, t, :], transpose_b=True) + tf.matmul(W, hs[-1]) + b)
                y_hat = tf.nn.softmax(tf.matmul(V, h) + c, axis=0)
                hs.append(h)
                y_hats.append(y_hat)
                step_losses.append(-tf.reduce_sum(Yt * tf.math.log(y_hat)) / batch)
            loss = step_losses[-1] if mode == "last" else tf.add_n(step_losses)
        grads = tape.gradient(loss, [U, W, V, b, c, h0])
        return (tf.stack(hs), tf.stack(y_hats), loss, *grads)

    return tf.function(f) if compiled else f


def tf_bptt(
    X: np.ndarray,
    y: np.ndarray,
    h0: np.ndarray,
    params: Mapping[str, np.ndarray],
    activation: str = "tanh",
    mode: str = "all",
    dtype: str = "float64",
    device: str | None = None,
) -> dict[str, np.ndarray]:
    """Forward pass, loss and gradients with ``tf`` ops under ``tf.GradientTape`` (float64 by default)."""
    tf = _import_tf()

    device = device or tf_device()
    with tf.device(device):
        b_shape, c_shape = np.shape(params["b"]), np.shape(params["c"])
        arrays = [X, y, h0, params["U"], params["W"], params["V"],
                  np.reshape(params["b"], (-1, 1)), np.reshape(params["c"], (-1, 1))]
        args = [tf.constant(np.asarray(a, dtype=np.float64), dtype=dtype) for a in arrays]
        out = make_tf_bptt(activation, mode)(*args)
    H, Y_hat, loss, dU, dW, dV, db, dc, dh0 = (o.numpy() for o in out)
    return {
        "H": H, "Y_hat": Y_hat, "loss": np.asarray(loss),
        "dU": dU, "dW": dW, "dV": dV, "db": db.reshape(b_shape), "dc": dc.reshape(c_shape), "dh0": dh0,
    }


def keras_bptt(
    X: np.ndarray,
    y: np.ndarray,
    h0: np.ndarray,
    params: Mapping[str, np.ndarray],
    activation: str = "tanh",
    mode: str = "all",
    dtype: str = "float64",
    device: str | None = None,
) -> dict[str, np.ndarray]:
    """The same quantities from ``SimpleRNN(return_sequences=True)`` + ``Dense`` with transplanted weights.

    Gradients are taken with ``tf.GradientTape`` with respect to the layers' variables (transposed
    back to the reference's layout) and the initial state.
    """
    tf = _import_tf()
    import keras

    _check(activation, mode)
    device = device or tf_device()
    U, W, V = (np.asarray(params[k], dtype=np.float64) for k in ("U", "W", "V"))
    b, c = np.asarray(params["b"], dtype=np.float64), np.asarray(params["c"], dtype=np.float64)
    n_h, n_o = W.shape[0], V.shape[0]
    X = np.asarray(X, dtype=np.float64)
    with tf.device(device):
        rnn = keras.layers.SimpleRNN(n_h, activation=activation, return_sequences=True, dtype=dtype)
        dense = keras.layers.Dense(n_o, dtype=dtype)
        rnn.build((None, X.shape[1], X.shape[2]))
        dense.build((None, n_h))
        rnn.set_weights([U.T, W.T, b.ravel()])
        dense.set_weights([V.T, c.ravel()])
        Xt = tf.constant(X, dtype=dtype)
        Yt = tf.constant(np.asarray(y), dtype=dtype)  # [batch, n_o]
        state = tf.Variable(np.asarray(h0, dtype=np.float64).T, dtype=dtype)  # [batch, n_h]
        cell = rnn.cell
        variables = [cell.kernel, cell.recurrent_kernel, dense.kernel, cell.bias, dense.bias, state]
        with tf.GradientTape() as tape:
            seq = rnn(Xt, initial_state=[state])  # [batch, T, n_h]
            probs = tf.nn.softmax(dense(seq), axis=-1)  # Dense on every step: [batch, T, n_o]
            step = -tf.reduce_mean(tf.reduce_sum(Yt[:, None, :] * tf.math.log(probs), axis=-1), axis=0)
            loss = step[-1] if mode == "last" else tf.reduce_sum(step)
        gU, gW, gV, gb, gc, gh0 = (g.numpy() for g in tape.gradient(loss, variables))
        H = np.concatenate([np.asarray(h0, dtype=np.float64)[None], seq.numpy().transpose(1, 2, 0)])
        Y_hat = probs.numpy().transpose(1, 2, 0)
        loss_np = np.asarray(loss.numpy())
    return {
        "H": H, "Y_hat": Y_hat, "loss": loss_np,
        "dU": gU.T, "dW": gW.T, "dV": gV.T, "db": gb.reshape(b.shape), "dc": gc.reshape(c.shape), "dh0": gh0.T,
    }
