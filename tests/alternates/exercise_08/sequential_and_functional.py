"""Alternate (correct): the other way round from the reference, through ``from tensorflow import keras``.

The text CNN is a ``keras.Sequential`` that starts with ``keras.Input`` and gives the Embedding its
matrix with ``weights=[embedding_matrix]``; the sentiment RNN is a functional ``keras.Model``. Both are
the contract's layers, so this must get full marks.
"""
from __future__ import annotations

import numpy as np
from tensorflow import keras


def build_text_cnn(embedding_matrix, seq_len, n_classes):
    num_words, dim = np.shape(embedding_matrix)
    model = keras.Sequential([keras.Input(shape=(seq_len,), dtype="int32"),
                              keras.layers.Embedding(num_words, dim, weights=[np.array(embedding_matrix)],
                                                     trainable=False)])
    for last in (False, False, True):
        model.add(keras.layers.Conv1D(filters=128, kernel_size=5, activation=keras.activations.relu))
        model.add(keras.layers.GlobalMaxPooling1D() if last else keras.layers.MaxPooling1D(pool_size=5))
    model.add(keras.layers.Dense(128, activation="relu"))
    model.add(keras.layers.Dense(n_classes, activation="softmax"))
    return model


def build_sentiment_rnn(vocab_size, embed_dim, seq_len, units):
    inputs = keras.Input(shape=(seq_len,), dtype="int32")
    x = keras.layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)(inputs)
    x = keras.layers.SimpleRNN(units, dropout=0.5, return_sequences=True)(x)
    x = keras.layers.SimpleRNN(units, dropout=0.5)(x)
    x = keras.layers.Dense(32, activation="relu")(x)
    x = keras.layers.Dropout(rate=0.5)(x)
    return keras.Model(inputs=inputs, outputs=keras.layers.Dense(1, activation="sigmoid")(x))
