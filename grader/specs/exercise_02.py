"""exercise-02: embeddings (load_embed, build_embedding_matrix, pad_sequences).

GloVe files come from :mod:`grader.datagen` with fixed seeds and are placed in the student's working
directory (``Case.files``; every check's files share that directory, so each name is unique). The Keras
equivalents are ``keras.utils.pad_sequences`` for every combination of padding, truncating, maxlen and
value, and ``keras.layers.Embedding`` lookups of every id.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from grader import datagen
from grader.spec import ROOT, Case, Check, Equivalent, ErrorHint, Exercise, Explain, Field, Hint


def _entries(p: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    entries = datagen.glove_entries(n_words=p["n_words"], dim=p["dim"], seed=p["seed"])
    entries = entries if p["duplicate"] else entries[:-1]  # the last entry repeats "café"
    return [e for e in entries if e[0] not in p["drop"]]


def glove_case(n_words: int, dim: int, *, blank: bool = False, duplicate: bool = False, messy: bool = False,
               drop: tuple[str, ...] = ()) -> Callable[[int], Case]:
    def make(seed: int) -> Case:
        name = f"glove-{n_words}x{dim}{'-b' * blank}{'-d' * duplicate}{'-m' * messy}-{len(drop)}-{seed}.txt"
        p = {"file": name, "n_words": n_words, "dim": dim, "seed": seed, "duplicate": duplicate, "drop": drop}
        return Case(p, {}, {name: datagen.glove_layout(_entries(p), blank=blank, messy=messy).encode("utf-8")})
    return make


def ragged_case(extra: bool) -> Callable[[int], Case]:
    def make(seed: int) -> Case:
        text, line = datagen.glove_text_ragged(n_words=24, dim=5, seed=seed, extra=extra)
        name = f"ragged-{'long' if extra else 'short'}-{seed}.txt"
        return Case({"file": name, "bad_line": line}, {}, {name: text.encode("utf-8")})
    return make


def load_matrix(case: Case, *, first_wins: bool = False) -> np.ndarray:
    """The ``load`` probe's ``matrix`` for the case's file (vectors in sorted-word order), or a mistake's."""
    vectors = datagen.entries_expected(_entries(case.params), first_wins=first_wins)
    return np.stack([vectors[w] for w in sorted(vectors)]).astype(np.float64)


LOAD_HINTS = (
    Hint("the last value of every line is dropped (values[1:-1]): the vector is values[1:]", ("matrix",),
         lambda case: {"matrix": load_matrix(case)[:, :-1]}),
    Hint("the first value of every line is dropped (values[2:]): values[0] is the word, so the vector is values[1:]",
         ("matrix",), lambda case: {"matrix": load_matrix(case)[:, 1:]}),
    Hint("a repeated word keeps its first vector: the later line must win, so assign embedding_map[word] = vector "
         "every time (no setdefault, no 'if word not in embedding_map')", ("matrix",),
         lambda case: {"matrix": load_matrix(case, first_wins=True)}),
)
LOAD_FIELDS = (
    Field("nonascii", "The list of non-ASCII words among load_embed's keys", kind="exact", messages={
        "value": "Words such as 'café' and '北京' must come through intact: open the file with encoding='utf-8' "
                 "(not latin-1, and without errors='ignore')."}),
    Field("words", "The sorted list of words (the keys of load_embed's dict)", kind="exact", messages={
        "value": "Every non-blank line's first token is its word, kept exactly as written, punctuation such as ',' and "
                 "\"'s\" and number-like words such as '1.5' included."}),
    Field("dtypes", "The list of vector types (the values of load_embed's dict)", kind="exact"),
    Field("matrix", "The matrix of vectors (one row per word, in sorted order)", atol=1e-6, rtol=1e-6, messages={
        "none": "Every vector must be a 1-D numpy.ndarray, all of the same length."}),
)


RAGGED_FIELDS = (
    Field("outcome", "What load_embed does (with a line whose number of values differs from the first line's)",
          kind="exact", messages={"value": "Compare each line's number of values with the first line's and raise "
                                           "ValueError naming the line, e.g. ValueError(f'line {lineno}: expected "
                                           "{dim} values, found {n}')."}),
    Field("names_line", "Whether the ValueError's message names the bad line (its number)", kind="exact", messages={
        "value": "Count lines from 1, blank lines included (for lineno, line in enumerate(f, 1)), and put that "
                 "number in the message."}),
)


def matrix_case(n_vocab: int, num_words: int, dim: int) -> Callable[[int], Case]:
    def make(seed: int) -> Case:
        pairs, vocab, vectors = datagen.matrix_inputs(n_vocab=n_vocab, num_words=num_words, dim=dim, seed=seed)
        return Case({"word_index": pairs, "vocab": vocab, "num_words": num_words, "dim": dim}, {"vectors": vectors})
    return make


def embedding_matrix(case: Case, *, shift: int = 0) -> np.ndarray:
    """The chapter's loop (independent of the reference), or with the vector of index i in row i + shift."""
    p = case.params
    return datagen.chapter_embedding_matrix(p["word_index"], dict(zip(p["vocab"], case.arrays["vectors"])),
                                            num_words=p["num_words"], dim=p["dim"], shift=shift)


def count_all_with_vectors(case: Case) -> int:
    """A wrong ``filled``: every word of ``word_index`` that has a vector, whatever its index."""
    return sum(w in set(case.params["vocab"]) for w, _ in case.params["word_index"])


MATRIX_HINTS = (
    Hint("the vector of index i is written to row i - 1: word_index starts at 1 and row i belongs to index i "
         "(row 0 is padding)", ("matrix",), lambda case: {"matrix": embedding_matrix(case, shift=-1)}),
    Hint("filled counts every word that has a vector, even those with an index >= num_words, which get no row",
         ("filled",), lambda case: {"filled": count_all_with_vectors(case)}),
)


def matrix_fields(dtypes: tuple[str, ...] = ("float32", "float64")) -> tuple[Field, ...]:
    mutated = "Your build_embedding_matrix modified {} in place; read it without changing it."
    return (Field("matrix", "The matrix returned by build_embedding_matrix", atol=1e-6, rtol=1e-6, dtypes=dtypes,
                  messages={"dtype": "Create it with np.zeros((num_words, dim), dtype='float32'): Keras layers use "
                                     "float32 weights."}),
            Field("filled", "The count returned by build_embedding_matrix", kind="exact",
                  types=("int", "numpy.int64", "numpy.int32"), messages={
                      "type": "Return the number of filled rows as an int.",
                      "value": "Count the rows that got a vector (only words with an index < num_words)."}),
            Field("embedding_map_after", "The argument embedding_map", kind="unchanged",
                  messages={"mutated": mutated.format("embedding_map")}),
            Field("word_index_after", "The argument word_index", kind="unchanged",
                  messages={"mutated": mutated.format("word_index")}))


MAXLENS, VALUES, FLIP = (None, 1, 3, 6, 9), (0, -1, 7), {"pre": "post", "post": "pre"}
PAD_FIELDS = tuple("m_none" if m is None else f"m{m}" for m in MAXLENS)


def pad_outputs(case: Case, *, flip_padding: bool = False, flip_truncating: bool = False,
                zero_value: bool = False, first_length: bool = False) -> dict[str, np.ndarray]:
    """What the pad probes return for ``case``, or with a known mistake (for hints)."""
    p = case.params

    def one(maxlen: int | None = None, padding: str = "pre", truncating: str = "pre", value: int = 0) -> np.ndarray:
        if first_length and maxlen is None:
            maxlen = len(p["sequences"][0]) if p["sequences"] else 0
        return datagen.padded(p["sequences"], maxlen, FLIP[padding] if flip_padding else padding,
                              FLIP[truncating] if flip_truncating else truncating, 0 if zero_value else value)
    if "fields" not in p:
        return {"padded": one(*p["args"])}
    return {f: np.stack([one(m, p["padding"], p["truncating"], v) for v in p["values"]])
            for f, m in zip(p["fields"], p["maxlens"])}


def pad_hints(fields: tuple[str, ...]) -> tuple[Hint, ...]:
    mistakes = (("padding is applied at the wrong end: 'pre' fills the start ([0, 0, 5, 6]) and 'post' the end "
                 "([5, 6, 0, 0])", "flip_padding"),
                ("truncation happens at the wrong end: truncating='pre' drops values from the start (keep "
                 "seq[-maxlen:]) and 'post' from the end (keep seq[:maxlen])", "flip_truncating"),
                ("value is ignored: the padding positions must hold value, not 0 (np.full(..., value))", "zero_value"),
                ("maxlen=None is taken as the length of the first sequence: it means the length of the longest one, "
                 "max(len(s) for s in sequences)", "first_length"))
    return tuple(Hint(text, fields, lambda case, m=flag: pad_outputs(case, **{m: True})) for text, flag in mistakes)


def pad_case(*args: Any, grid: tuple[str, str] | None = None) -> Callable[[int], Case]:
    """``args`` follow ``sequences`` positionally; a ``grid`` case is one (padding, truncating) pair."""
    more = {} if grid is None else {"padding": grid[0], "truncating": grid[1], "maxlens": list(MAXLENS),
                                    "values": list(VALUES), "fields": list(PAD_FIELDS)}
    return lambda seed: Case(params={"sequences": datagen.int_sequences(n=7, max_len=6, vocab=40, seed=seed),
                                     "args": list(args), **more}, arrays={})


def int_field(name: str, label: str) -> Field:
    return Field(name, label, atol=0, rtol=0, dtypes=("int32", "int64"),
                 messages={"dtype": "pad_sequences returns an integer array (np.int32)."})


PADDED = int_field("padded", "The array returned by pad_sequences(sequences)")
PADDED_INT32 = Field("padded", "The array returned by pad_sequences(sequences, 4, 'post', 'pre', 0)", atol=0, rtol=0,
                     dtypes=("int32",), messages={"dtype": "Create it with np.full(..., value, dtype='int32')."})
SEQUENCES_AFTER = Field("sequences_after", "The argument sequences", kind="unchanged", messages={
    "mutated": "Your pad_sequences modified the lists in sequences in place (insert, del ...): build new rows."})


def _check(name: str, title: str, probe: str, make: Callable[[int], Case], seed: int, fields: tuple[Field, ...],
           points: float = 1.0, **extra: Any) -> Check:
    return Check(name=name, title=title, points=points, probe=probe, make_case=make, seed=seed, fields=fields, **extra)


def _load(name: str, title: str, make: Callable[[int], Case], seed: int, points: float = 1.0) -> Check:
    return _check(name, f"load_embed: {title}", "load", make, seed, LOAD_FIELDS, points, hints=LOAD_HINTS,
                  explain=Explain("glove_dtypes"))


def _matrix(name: str, title: str, make: Callable[[int], Case], seed: int, fields: tuple[Field, ...],
            points: float = 1.0) -> Check:
    return _check(name, f"build_embedding_matrix {title}", "matrix", make, seed, fields, points, hints=MATRIX_HINTS,
                  equivalent_fields=("matrix",), explain=Explain("zero_rows"))


def _grid(padding: str, truncating: str, seed: int) -> Check:
    fields = tuple(int_field(f, f"pad_sequences(sequences, {m!r}, {padding!r}, {truncating!r}, value) for value = "
                             "0, -1, 7 (stacked along the first axis)") for f, m in zip(PAD_FIELDS, MAXLENS))
    return _check(f"pad_{padding}_{truncating}", f"pad_sequences with padding={padding!r}, truncating={truncating!r}: "
                  "maxlen None, 1, 3, 6, 9 and value 0, -1, 7", "pad_grid", pad_case(grid=(padding, truncating)), seed,
                  fields, hints=pad_hints(PAD_FIELDS), equivalent_fields=PAD_FIELDS)


CHECKS = (
    _load("load_values", "words (punctuation, non-ASCII, '1.5') and float32 vectors", glove_case(14, 5), 201, 2),
    _load("load_utf8", "UTF-8 words such as café, naïve and über keep their letters",
          glove_case(12, 3, drop=("北京",)), 202),
    _load("load_blank_lines", "blank lines are skipped", glove_case(10, 4, blank=True), 203),
    _load("load_duplicate", "when a word appears twice, the later line wins", glove_case(12, 4, duplicate=True), 204),
    _load("load_whitespace", "tabs, runs of spaces, trailing whitespace and CRLF line endings",
          glove_case(12, 6, messy=True), 205),
    _check("load_ragged_short", "load_embed raises ValueError naming the line that has one value too few",
           "load_ragged", ragged_case(False), 206, RAGGED_FIELDS, explain=Explain("ragged_line")),
    _check("load_ragged_long", "load_embed raises ValueError naming the line that has one value too many",
           "load_ragged", ragged_case(True), 207, RAGGED_FIELDS, explain=Explain("ragged_line")),
    _matrix("matrix_rows", "puts the vector of index i in row i; rows without a vector stay zero",
            matrix_case(9, 10, 4), 208, matrix_fields(), 2),
    _matrix("matrix_num_words", "keeps only the indices below num_words", matrix_case(16, 8, 3), 209,
            matrix_fields()),
    _matrix("matrix_dtype", "returns a float32 matrix", matrix_case(6, 7, 3), 210, matrix_fields(("float32",))[:2]),
    _check("pad_defaults", "pad_sequences(sequences): maxlen None, padding and truncating 'pre', value 0", "pad",
           pad_case(), 211, (PADDED, SEQUENCES_AFTER), hints=pad_hints(("padded",)), equivalent_fields=("padded",)),
    _grid("pre", "pre", 212),
    _grid("pre", "post", 213),
    _grid("post", "pre", 214),
    _grid("post", "post", 215),
    _check("pad_dtype", "pad_sequences returns int32", "pad", pad_case(4, "post", "pre", 0), 216, (PADDED_INT32,),
           hints=pad_hints(("padded",)), equivalent_fields=("padded",)),
    _check("pad_bad_padding", "pad_sequences raises ValueError for padding='middle' (only 'pre' and 'post' exist)",
           "pad", pad_case(None, "middle", "pre", 0), 217, (), 0.5, expect_raises="ValueError"),
    _check("pad_bad_truncating", "pad_sequences raises ValueError for truncating='both' (only 'pre' and 'post' exist)",
           "pad", pad_case(None, "pre", "both", 0), 218, (), 0.5, expect_raises="ValueError"),
)

ERROR_HINTS = (
    ErrorHint("A blank line gives an empty list from line.split(), so values[0] fails: skip blank lines "
              "(if not values: continue).", type_name="IndexError", contains="list index out of range"),
    ErrorHint("A word's index can be num_words or more (the Tokenizer numbers the whole vocabulary): fill row i only "
              "when i < num_words.", type_name="IndexError", contains="out of bounds for axis 0"),
    ErrorHint("Empty tokens come from line.split(' '): split with line.split(), which handles runs of spaces, tabs "
              "and line endings.", type_name="ValueError", contains="could not convert string to float: ''"),
    ErrorHint("The file is UTF-8: open it with open(path, encoding='utf-8').", type_name="UnicodeDecodeError"),
)


def keras_values(check: Check, case: Case) -> Mapping[str, np.ndarray]:
    """``keras.utils.pad_sequences`` and ``keras.layers.Embedding`` lookups (TensorFlow imported lazily)."""
    from grader.equivalents.tf_env import import_tensorflow

    import_tensorflow()
    import keras

    p = case.params
    if check.probe == "matrix":  # an Embedding initialised with the chapter's matrix; look up every id once
        weights = keras.initializers.Constant(embedding_matrix(case))
        layer = keras.layers.Embedding(p["num_words"], p["dim"], embeddings_initializer=weights)
        return {"matrix": np.asarray(layer(np.arange(p["num_words"], dtype=np.int32)[None, :]))[0]}
    if check.probe == "pad":
        names = ("maxlen", "padding", "truncating", "value")  # Keras's own order has dtype second
        return {"padded": keras.utils.pad_sequences(p["sequences"], **dict(zip(names, p["args"])))}
    return {f: np.stack([keras.utils.pad_sequences(p["sequences"], maxlen=m, padding=p["padding"],
                                                   truncating=p["truncating"], value=v) for v in p["values"]])
            for f, m in zip(p["fields"], p["maxlens"])}


EXERCISE = Exercise(
    id="exercise-02",
    title="Embeddings (load_embed, build_embedding_matrix, pad_sequences)",
    module_glob="exercise_02_*.py",
    stub=ROOT / "exercises" / "exercise_02_embeddings.py",
    reference=ROOT / "solutions" / "exercise_02_embeddings.py",
    probes=ROOT / "grader" / "probes" / "exercise_02.py",
    checks=CHECKS,
    equivalent=Equivalent(library="keras (utils.pad_sequences, layers.Embedding)", compute=keras_values,
                          atol=1e-6, rtol=1e-6),
    error_hints=ERROR_HINTS,
)
