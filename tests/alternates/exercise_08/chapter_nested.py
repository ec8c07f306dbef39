"""Alternate (correct): written like the chapter's listings, updated for Keras 3.

The two SimpleRNN layers sit in their own nested ``Sequential`` (as the chapter's ``MyRNN`` keeps
``self.rnn``), with ``unroll=True``; no ``keras.Input``, so Keras builds each model on its first call
(the sequence length comes from the data, as Keras 3 wants once ``input_length`` is gone). The
Embedding of the text CNN is built by hand and given the GloVe matrix with ``set_weights``.
"""
from __future__ import annotations

import tensorflow as tf
from tensorflow.keras import layers, Sequential


def build_text_cnn(embedding_matrix, seq_len, n_classes):
    embedding = layers.Embedding(embedding_matrix.shape[0], embedding_matrix.shape[1])
    embedding.build((None, seq_len))
    embedding.set_weights([embedding_matrix])
    embedding.trainable = False
    inputs = tf.keras.Input(shape=(seq_len,), dtype="int32")
    x = embedding(inputs)
    x = layers.Conv1D(128, 5, activation="relu")(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(128, 5, activation="relu")(x)
    x = layers.MaxPooling1D(5)(x)
    x = layers.Conv1D(128, 5, activation="relu")(x)
    x = layers.GlobalMaxPooling1D()(x)
    x = layers.Dense(128, activation=tf.nn.relu)(x)
    preds = layers.Dense(n_classes, activation=tf.nn.softmax)(x)
    return tf.keras.Model(inputs, preds)


def build_sentiment_rnn(vocab_size, embed_dim, seq_len, units):
    rnn = Sequential([
        layers.SimpleRNN(units, dropout=0.5, return_sequences=True, unroll=True),
        layers.SimpleRNN(units, dropout=0.5, unroll=True),
    ])
    return Sequential([
        layers.Embedding(vocab_size, embed_dim),
        rnn,
        layers.Dense(32, activation="relu"),
        layers.Dropout(rate=0.5),
        layers.Dense(1, activation="sigmoid"),
    ])
