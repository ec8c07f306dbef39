"""Graded hints for exercise-02 (GloVe embeddings, padding), by check name: a nudge first, then more
specific, never code."""
from __future__ import annotations

_LOAD = (
    "Each line of a GloVe file is a word followed by its vector's values, separated by whitespace.",
    "Split each line on any whitespace (not on a single space): the first item is the word, all the others "
    "are the values.",
    "Store the values as a 1-D float32 array, and let a later line for the same word replace the earlier one.",
)
_PAD = (
    "Every row of the result has length maxlen (the longest sequence when no maxlen is given) and starts as a row "
    "of value.",
    "'pre' and 'post' name the end that changes: padding='pre' fills at the start, 'post' at the end; "
    "truncating='pre' drops values from the start (keeps the last maxlen), 'post' drops from the end.",
    "Truncate first, then place the kept values at the end of the row ('pre' padding) or at its start ('post'); "
    "the result is an int32 array.",
)
_MATRIX = (
    "Row i of the matrix belongs to the word whose index is i; row 0 is padding and stays zero.",
    "Go through word_index: skip words whose index is num_words or more, and words that have no vector.",
    "Count only the rows you filled, and create the matrix as float32 zeros of shape [num_words, dim].",
)

HINTS: dict[str, tuple[str, ...]] = {
    "load_values": _LOAD,
    "load_utf8": (
        "Words such as café must come through unchanged: how do you open the file?",
        "Open it as text with an explicit UTF-8 encoding; do not rely on the machine's default and do not drop "
        "characters that are not ASCII.",
    ),
    "load_blank_lines": (
        "Some lines are empty: they hold no word and no values.",
        "Skip a line when nothing is left after stripping its whitespace, but keep counting it for line numbers.",
    ),
    "load_duplicate": (
        "A word appears on two lines: which vector should it keep?",
        "The later line wins: simply assigning into the dict in file order does that; do not skip words you "
        "have already seen.",
    ),
    "load_whitespace": (
        "The file mixes tabs, several spaces, trailing whitespace and Windows line endings.",
        "Splitting with no separator argument splits on any run of whitespace and ignores it at both ends.",
    ),
    "load_ragged_short": (
        "Every line must have as many values as the first one; this file has a line with one value too few.",
        "Remember the number of values of the first line and compare every later line with it.",
        "Raise ValueError with a message that names the line number, counting from 1 and counting blank lines "
        "too.",
    ),
    "load_ragged_long": (
        "This file has a line with one value too many: it must not be cut down silently.",
        "Compare each line's number of values with the first line's, in both directions.",
        "Raise ValueError with a message that names the line number, counting from 1 and counting blank lines "
        "too.",
    ),
    "matrix_rows": _MATRIX,
    "matrix_num_words": (
        "num_words is the number of rows: indices from num_words on do not fit.",
        "Skip a word when its index is num_words or more (not only when it is larger).",
        "filled counts only the rows that really got a vector.",
    ),
    "matrix_dtype": (
        "A Keras Embedding layer expects float32 weights.",
        "Create the matrix with dtype float32 from the start, and copy vectors into it.",
    ),
    "pad_defaults": _PAD,
    "pad_pre_pre": _PAD,
    "pad_pre_post": _PAD,
    "pad_post_pre": _PAD,
    "pad_post_post": _PAD,
    "pad_dtype": (
        "Keras returns int32 token ids, whatever the input lists hold.",
        "Create the result array with dtype int32, whatever the type of value.",
    ),
    "pad_bad_padding": (
        "Only 'pre' and 'post' are valid for padding.",
        "Check padding at the start of the function and raise ValueError for anything else, even when no "
        "sequence needs padding.",
    ),
    "pad_bad_truncating": (
        "Only 'pre' and 'post' are valid for truncating.",
        "Check truncating at the start of the function and raise ValueError for anything else, even when no "
        "sequence needs truncating.",
    ),
}
