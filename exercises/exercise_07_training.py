"""Exercise 07: training the NumPy RNN (the chapter's unfinished ``MyRNN.fit``).

Run ``grade exercise-07`` to check your work.

You train a many-to-one sentiment classifier: a tanh RNN reads a whole sentence, starting from
``h0 = 0``, and the softmax of its **last** step is the prediction (``mode="last"`` of exercise-04).
The grader trains it on a small toy corpus of one-hot sentences (``X`` is ``[batch, T, n_x]``, batch
first) whose label, one-hot ``y [batch, 2]``, says whether the word "good" comes before the word "bad":
the order matters, so the RNN has to remember what it has read.

First copy your ``rnn_forward``, ``rnn_loss`` and ``rnn_backward`` from exercise-04 into this file (tanh is
all you need). Then write:

* ``sgd_step``: one plain SGD update, ``p - lr * g`` for every parameter, with optional clipping of all the
  gradients *together* by their global norm (exercise-05's ``clip_by_global_norm``);
* ``train_rnn``: mini-batch SGD over shuffled batches, for ``epochs`` epochs;
* ``predict``: the class index of each sentence.

General rules:

* Never modify an argument in place: return new arrays and a new dict.
* Draw every random number (initial weights, shuffling) from one ``rng = np.random.default_rng(seed)``,
  never from ``np.random.*`` directly: the same seed must give exactly the same result.
* Start from small weights, for example ``rng.normal(0, 1 / np.sqrt(fan_in), shape)`` and zero biases:
  large weights saturate tanh and training stalls.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np


def rnn_forward(X: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray],
                activation: str = "tanh") -> tuple[np.ndarray, np.ndarray]:
    """exercise-04's forward pass: return ``(H, Y_hat)``, ``H [T+1, n_h, batch]`` and ``Y_hat [T, n_o, batch]``."""
    raise NotImplementedError("rnn_forward() is not implemented yet: copy yours from exercise-04")


def rnn_loss(Y_hat: np.ndarray, y: np.ndarray, mode: str = "last") -> float:
    """exercise-04's loss: ``"last"`` is the cross-entropy of the last step, ``"all"`` the sum over the steps."""
    raise NotImplementedError("rnn_loss() is not implemented yet: copy yours from exercise-04")


def rnn_backward(X: np.ndarray, y: np.ndarray, h0: np.ndarray, params: Mapping[str, np.ndarray],
                 activation: str = "tanh", mode: str = "last") -> dict[str, np.ndarray]:
    """exercise-04's backward pass: the gradients of ``"U", "W", "V", "b", "c"`` (and ``"h0"``)."""
    raise NotImplementedError("rnn_backward() is not implemented yet: copy yours from exercise-04")


def sgd_step(params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], lr: float,
             clip_norm: float | None = None) -> dict[str, np.ndarray]:
    """Return a new dict of parameters, ``params[k] - lr * grads[k]`` for every key of ``params``.

    When ``clip_norm`` is given, first scale *all* the gradients by the same factor
    ``clip_norm / max(global_norm, clip_norm)``, where the global norm is the square root of the sum of
    the squares of every entry of every gradient (as ``clip_by_global_norm`` does): never per gradient,
    and never scaled up. Neither ``params`` nor ``grads`` (nor their arrays) may change.
    """
    raise NotImplementedError("sgd_step() is not implemented yet")


def train_rnn(X: Any, y: Any, units: int, epochs: int, lr: float, clip_norm: float | None = None,
              seed: int = 0, batch_size: int = 32) -> tuple[dict[str, np.ndarray], list[float]]:
    """Train a many-to-one tanh RNN classifier; return ``(params, losses)``.

    * ``X`` is ``[n, T, n_x]`` and ``y`` one-hot ``[n, n_o]``; ``params`` has ``"U" [units, n_x]``,
      ``"W" [units, units]``, ``"V" [n_o, units]``, ``"b" [units, 1]`` and ``"c" [n_o, 1]``.
    * Each epoch shuffles the sequences (``rng.permutation(n)``) and goes through them in batches of
      ``batch_size`` (the last batch may be smaller). For each batch, start from ``h0 = 0``, compute the loss
      and the gradients with ``mode="last"`` (one label per sentence, read at the end), and update the
      parameters with ``sgd_step(params, grads, lr, clip_norm)`` (leave ``"h0"`` out of the gradients).
    * ``losses`` has one entry per epoch: the mean training loss of that epoch (the loss of each batch,
      computed before its update, averaged over the sequences).
    * The same ``seed`` gives exactly the same ``params`` and ``losses``.
    """
    raise NotImplementedError("train_rnn() is not implemented yet")


def predict(X: Any, params: Mapping[str, np.ndarray]) -> np.ndarray:
    """Return the predicted class index of each sequence, an integer array ``[n]``.

    Run the RNN from ``h0 = 0`` (tanh) and take, for each sequence, the class with the highest
    probability at the **last** step: indices such as ``[1, 0, 1, ...]``, not probabilities.
    """
    raise NotImplementedError("predict() is not implemented yet")
