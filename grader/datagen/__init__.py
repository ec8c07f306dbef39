"""Deterministic, seeded test data for the exercises: nothing is downloaded.

``glove`` writes GloVe text files, ``analogies`` word vectors with real analogy structure, and
``sequences`` integer sequences and embedding-matrix inputs.
"""
from __future__ import annotations

from grader.datagen.analogies import ANALOGY_QUADRUPLES, analogy_vectors
from grader.datagen.glove import (SPECIAL_WORDS, glove_entries, glove_expected, glove_layout, glove_text,
                                  glove_text_ragged, write_glove_file)
from grader.datagen.sequences import chapter_embedding_matrix, entries_expected, int_sequences, matrix_inputs, padded

__all__ = ["ANALOGY_QUADRUPLES", "SPECIAL_WORDS", "analogy_vectors", "chapter_embedding_matrix", "entries_expected",
           "glove_entries", "glove_expected", "glove_layout", "glove_text", "glove_text_ragged", "int_sequences",
           "matrix_inputs", "padded", "write_glove_file"]
