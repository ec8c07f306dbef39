"""Reference solution for exercise-08: the chapter's two Keras models, in Keras 3.

``build_text_cnn`` is the chapter's 20 Newsgroups classifier on frozen GloVe vectors and
``build_sentiment_rnn`` its two-layer ``SimpleRNN`` for IMDB reviews. Both return uncompiled models
whose input is ``[batch, seq_len]`` integer word indices.

The chapter passes ``input_length=...`` to ``Embedding``; Keras 3 rejects that argument, so the
sequence length goes into ``keras.Input(shape=(seq_len,))`` instead.
"""
from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import layers


def build_text_cnn(embedding_matrix: Any, seq_len: int, n_classes: int) -> keras.Model:
    """Frozen Embedding, three Conv1D(128, 5, relu) rounds, Dense(128, relu), Dense(n_classes, softmax)."""
    matrix = np.asarray(embedding_matrix, dtype=np.float32)
    num_words, dim = matrix.shape
    inputs = keras.Input(shape=(seq_len,), dtype="int32")
    x = layers.Embedding(num_words, dim, embeddings_initializer=keras.initializers.Constant(matrix),
                         trainable=False)(inputs)
    x = layers.Conv1D(128, 5, activation="relu")(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(128, 5, activation="relu")(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(128, 5, activation="relu")(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(128, activation="relu")(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    return keras.Model(inputs, outputs)


def build_sentiment_rnn(vocab_size: int, embed_dim: int, seq_len: int, units: int) -> keras.Model:
    """Embedding, two SimpleRNN(units, dropout=0.5), Dense(32, relu), Dropout(0.5), Dense(1, sigmoid)."""
    return keras.Sequential([
        keras.Input(shape=(seq_len,), dtype="int32"),
        layers.Embedding(vocab_size, embed_dim),
        layers.SimpleRNN(units, dropout=0.5, return_sequences=True),
        layers.SimpleRNN(units, dropout=0.5),
        layers.Dense(32, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(1, activation="sigmoid"),
    ])
