"""Exercise 08: the chapter's two Keras models, written for Keras 3.

Run ``grade exercise-08`` to check your work. Both builders return an **uncompiled** ``keras.Model``
whose input is a batch of integer word indices, ``[batch, seq_len]``. Do not call ``compile`` or
``fit``: the grader inspects each layer, then copies its own weights into your model and runs it.

The chapter's listings were written for Keras 2 and pass ``input_length=seq_len`` to ``Embedding``.
Keras 3 no longer accepts that argument (3.0 rejects it, later versions ignore it with a warning).
Instead, start the model with an input of that length::

    keras.Input(shape=(seq_len,), dtype="int32")

either as the first entry of ``keras.Sequential([...])`` or as the input of a functional
``keras.Model(inputs, outputs)``.

Use ``import keras`` and ``from keras import layers`` (``from tensorflow import keras`` gives the same
Keras 3).
"""
from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import layers


def build_text_cnn(embedding_matrix: Any, seq_len: int, n_classes: int) -> keras.Model:
    """The 20 Newsgroups classifier on pre-trained GloVe vectors.

    ``embedding_matrix`` is ``[num_words, dim]`` (row ``i`` is the vector of word ``i``). The layers,
    in order:

    1. an ``Embedding(num_words, dim)`` initialised with ``embedding_matrix`` and frozen
       (``trainable=False``): pass
       ``embeddings_initializer=keras.initializers.Constant(embedding_matrix)``;
    2. ``Conv1D(128, 5, activation="relu")``, ``MaxPooling1D(5)``,
       ``Conv1D(128, 5, activation="relu")``, ``MaxPooling1D(5)``,
       ``Conv1D(128, 5, activation="relu")``, ``GlobalMaxPooling1D()``;
    3. ``Dense(128, activation="relu")``;
    4. ``Dense(n_classes, activation="softmax")``.

    Output: ``[batch, n_classes]`` class probabilities. Do not modify ``embedding_matrix``.
    """
    raise NotImplementedError("build_text_cnn() is not implemented yet")


def build_sentiment_rnn(vocab_size: int, embed_dim: int, seq_len: int, units: int) -> keras.Model:
    """The IMDB sentiment classifier: two stacked ``SimpleRNN`` layers.

    The layers, in order:

    1. ``Embedding(vocab_size, embed_dim)``;
    2. ``SimpleRNN(units, dropout=0.5, return_sequences=True)``: it must return the whole sequence
       ``[batch, seq_len, units]``, because the next SimpleRNN reads a sequence;
    3. ``SimpleRNN(units, dropout=0.5)``: only its last state, ``[batch, units]``;
    4. ``Dense(32, activation="relu")``;
    5. ``Dropout(0.5)``;
    6. ``Dense(1, activation="sigmoid")``.

    Output: ``[batch, 1]``, the probability that a review is positive.
    """
    raise NotImplementedError("build_sentiment_rnn() is not implemented yet")
