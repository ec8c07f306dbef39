"""Deterministic test data for exercises 01 and 02 (word vectors, GloVe files, padding).

Pure NumPy and the standard library. Every generator takes a ``seed`` and returns the same
data for the same arguments.

* GloVe text: :func:`glove_entries`, :func:`glove_text`, :func:`glove_expected`,
  :func:`glove_text_ragged` and :func:`write_glove_file` (a full-size 400,000 x 100 file for
  the benchmark).
* Word vectors with real structure: :func:`analogy_vectors` and :data:`ANALOGY_QUADRUPLES`.
* Integer sequences for ``pad_sequences``: :func:`int_sequences`.
"""
from __future__ import annotations

import os
import string

import numpy as np

# Tokens that trip naive loaders: punctuation, non-ASCII words, a word that looks like a
# number, and the comment and quote characters of np.loadtxt / np.genfromtxt.
SPECIAL_WORDS: tuple[str, ...] = (
    "the", ",", ".", "'s", "café", "北京", "1.5", "naïve", "#", '"', "über", "-",
)
_FORCED_VALUES = ("-1.2e-05", "4.25E+02")
_SEPARATORS = (" ", "  ", "\t", " \t ")


def _value_token(rng: np.random.Generator) -> str:
    """One GloVe value: mostly plain decimals, sometimes exponent notation or an integer."""
    kind = rng.integers(0, 20)
    if kind == 0:
        return f"{rng.choice([-1, 1]) * rng.uniform(1, 9.9) * 1e-5:.1e}"  # e.g. -1.2e-05
    if kind == 1:
        return f"{rng.normal(0, 300):.3E}"  # e.g. 1.234E+02
    if kind == 2:
        return str(int(rng.integers(-3, 4)))  # e.g. -2
    return f"{rng.normal(0, 0.5):.{int(rng.integers(3, 7))}f}"  # e.g. -0.41800


def _words(n_words: int, rng: np.random.Generator) -> list[str]:
    """``SPECIAL_WORDS`` first, then distinct random lowercase words."""
    words = list(SPECIAL_WORDS[:n_words])
    seen = set(words)
    letters = np.array(list(string.ascii_lowercase))
    while len(words) < n_words:
        word = "".join(rng.choice(letters, size=int(rng.integers(2, 9))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def glove_entries(*, n_words: int, dim: int, seed: int) -> list[tuple[str, list[str]]]:
    """The lines of a small GloVe file as ``(word, value tokens)``, in file order.

    ``n_words`` distinct words, then one more line that repeats the word ``"café"`` (or the
    first word when ``n_words`` is too small) with different values: the later line wins.
    """
    if n_words < 1 or dim < 1:
        raise ValueError("n_words and dim must be at least 1")
    rng = np.random.default_rng(seed)
    words = _words(n_words, rng)
    entries = [(word, [_value_token(rng) for _ in range(dim)]) for word in words]
    repeated = "café" if "café" in words else words[0]
    entries.append((repeated, [_value_token(rng) for _ in range(dim)]))
    for k, token in enumerate(_FORCED_VALUES):  # so that even a tiny file has them
        entries[k % len(entries)][1][k % dim] = token
    return entries


def _render(entries: list[tuple[str, list[str]]], messy: bool = False) -> tuple[list[str], list[int]]:
    """Text lines (without newlines) and each entry's 1-based line number.

    Two blank lines follow the second entry and one comes before the last. ``messy`` mixes
    runs of spaces and tabs between the tokens and leaves trailing whitespace on some lines.
    """
    lines: list[str] = []
    numbers: list[int] = []
    for k, (word, tokens) in enumerate(entries):
        if k == len(entries) - 1:
            lines.append("")
        if messy:
            parts = [word, *tokens]
            line = "".join(p + _SEPARATORS[(k + j) % len(_SEPARATORS)] for j, p in enumerate(parts[:-1]))
            lines.append(line + parts[-1] + ("  " if k % 3 == 0 else ""))
        else:
            lines.append(" ".join([word, *tokens]))
        numbers.append(len(lines))
        if k == 1:
            lines.extend(["", ""])
    return lines, numbers


def glove_text(*, n_words: int, dim: int, seed: int, messy: bool = False) -> str:
    """A small GloVe file: UTF-8 text, single spaces, blank lines, a repeated word.

    Contains punctuation tokens (``,`` ``.`` ``'s``), non-ASCII words (``café``, ``北京``), a
    number-like word (``1.5``), the words ``#`` and ``"``, negative values, exponent
    notation (``-1.2e-05`` and ``4.25E+02`` always; more at random) and integers. The
    special words come first, so ``n_words >= 8`` includes all of the above. Ends with a
    newline. ``messy=True`` separates tokens by runs of spaces and tabs, adds trailing
    whitespace and ends lines with ``"\\r\\n"``; ``glove_expected`` is the same.
    """
    lines, _ = _render(glove_entries(n_words=n_words, dim=dim, seed=seed), messy)
    newline = "\r\n" if messy else "\n"
    return newline.join(lines) + newline


def glove_expected(*, n_words: int, dim: int, seed: int) -> dict[str, np.ndarray]:
    """What ``load_embed`` must return for ``glove_text`` with the same arguments."""
    expected: dict[str, np.ndarray] = {}
    for word, tokens in glove_entries(n_words=n_words, dim=dim, seed=seed):
        expected[word] = np.array([float(t) for t in tokens], dtype=np.float32)
    return expected


def glove_text_ragged(*, n_words: int, dim: int, seed: int, extra: bool = False,
                      messy: bool = False) -> tuple[str, int]:
    """``glove_text`` with one line that has one value too few (or, with ``extra``, too many).

    Returns ``(text, line)`` where ``line`` is the bad line's 1-based number, counting the
    blank lines before it. The bad line comes after at least one good line.
    """
    if n_words < 2:
        raise ValueError("n_words must be at least 2")
    entries = glove_entries(n_words=n_words, dim=dim, seed=seed)
    bad = max(2, (2 * len(entries)) // 3) if len(entries) > 3 else len(entries) - 1
    word, tokens = entries[bad]
    entries[bad] = (word, tokens + ["0.5"] if extra else tokens[:-1])
    lines, numbers = _render(entries, messy)
    newline = "\r\n" if messy else "\n"
    return newline.join(lines) + newline, numbers[bad]


def write_glove_file(path: str | os.PathLike, *, n_words: int = 400_000, dim: int = 100,
                     seed: int = 0, distinct_rows: int = 20_000) -> None:
    """Write a full-size GloVe file (``glove.6B.100d.txt`` is 400,000 x 100) for benchmarks.

    Values are formatted like GloVe's (``%.5g``: ``-0.038194``, ``0.3344``, now and then
    ``1.2346e-05``). To keep this quick, the value parts repeat: each line takes one of
    ``distinct_rows`` random rows. Words are distinct; no blank lines, no repeats.
    """
    rng = np.random.default_rng(seed)
    bodies = [" ".join(f"{v:.5g}" for v in row).encode("ascii")
              for row in rng.normal(0.0, 0.4, (min(distinct_rows, n_words), dim))]
    pick = rng.integers(0, len(bodies), n_words)
    words = list(SPECIAL_WORDS[:n_words]) + [f"w{i:x}" for i in range(len(SPECIAL_WORDS), n_words)]
    with open(path, "wb") as f:
        for start in range(0, n_words, 10_000):
            stop = min(start + 10_000, n_words)
            f.write(b"".join(words[i].encode("utf-8") + b" " + bodies[pick[i]] + b"\n"
                             for i in range(start, stop)))


# --- word vectors with analogy structure -------------------------------------------------

# Families of words described by binary attributes. In "people", the attributes are
# (female, royal, young); in "places", (capital,) plus one direction per country; in "verbs",
# (past,) plus one direction per verb.
_PEOPLE = {"man": (0, 0, 0), "woman": (1, 0, 0), "king": (0, 1, 0), "queen": (1, 1, 0),
           "boy": (0, 0, 1), "girl": (1, 0, 1), "prince": (0, 1, 1), "princess": (1, 1, 1)}
_PLACES = {"france": "paris", "italy": "rome", "japan": "tokyo", "germany": "berlin", "spain": "madrid"}
_VERBS = {"walk": "walked", "swim": "swam", "see": "saw", "go": "went"}
_OTHERS = ("the", ",", ".", "apple", "banana", "cherry")

_LENGTHS_SEED = 6  # chosen by a search over seeds: see analogy_vectors

ANALOGY_QUADRUPLES: tuple[tuple[str, str, str, str], ...] = (
    # (a, b, c, d): a is to b as c is to d; analogy(a, b, c) must return d.
    ("man", "king", "woman", "queen"),
    ("man", "woman", "king", "queen"),
    ("boy", "girl", "prince", "princess"),
    ("woman", "girl", "man", "boy"),
    ("france", "paris", "italy", "rome"),
    ("japan", "tokyo", "germany", "berlin"),
    ("walk", "walked", "swim", "swam"),
    ("see", "saw", "go", "went"),
)


def analogy_vectors(seed: int = 0, dim: int = 64) -> dict[str, np.ndarray]:
    """Float32 word vectors where ``b - a + c`` lands nearest ``d`` for every quadruple.

    Each word is a family direction (large, shared by its family), small attribute
    directions, its own direction (of a length that differs from word to word) and a shared
    direction (again of a different length for each word, so that scores do not tie). The
    own direction is longer than an attribute step, so for every quadruple one of ``a``,
    ``b``, ``c`` is closer to ``b - a + c`` than ``d``, and ``d`` wins only when all three are
    excluded; with only ``c`` excluded, ``a`` or ``b`` wins.

    The seed only rotates the space (a random orthonormal basis), so every cosine is the
    same for every seed. The lengths were chosen (``_LENGTHS_SEED``) so that, in float64:
    ``d`` beats every other candidate by >= 0.022 in cosine; the best of ``a``, ``b``, ``c``
    beats ``d`` by >= 0.06, the best of ``a``, ``b`` by >= 0.056; the reversed offset
    ``a - b + c`` misses ``d`` by >= 0.059; each word's five best scores are >= 2e-4 apart
    and all its scores >= 1.7e-5 apart.
    """
    words = [*_PEOPLE, *(w for pair in _PLACES.items() for w in pair),
             *(w for pair in _VERBS.items() for w in pair), *_OTHERS]
    n_axes = 4 + 3 + len(_PLACES) + 1 + len(_VERBS) + 1 + len(words)  # families, attributes, own
    if dim < n_axes:
        raise ValueError(f"dim must be at least {n_axes}")
    rng = np.random.default_rng(seed)
    basis = np.linalg.qr(rng.normal(size=(dim, dim)))[0]  # a random orthonormal basis
    axis = iter(range(dim))
    family = {name: basis[next(axis)] for name in ("people", "places", "verbs", "others")}
    shared = basis[next(axis)]
    people_attr = [basis[next(axis)] for _ in range(3)]
    country = {c: basis[next(axis)] for c in _PLACES}
    capital = basis[next(axis)]
    verb = {v: basis[next(axis)] for v in _VERBS}
    past = basis[next(axis)]

    structure: dict[str, np.ndarray] = {}
    for word, attrs in _PEOPLE.items():
        structure[word] = 3.0 * family["people"] + sum(a * v for a, v in zip(attrs, people_attr))
    for c, cap in _PLACES.items():
        structure[c] = 3.0 * family["places"] + 0.7 * country[c]
        structure[cap] = structure[c] + capital
    for v, pt in _VERBS.items():
        structure[v] = 3.0 * family["verbs"] + 0.7 * verb[v]
        structure[pt] = structure[v] + past
    for word in _OTHERS:
        structure[word] = 3.0 * family["others"]

    lengths = np.random.default_rng(_LENGTHS_SEED)  # the same for every seed: see the docstring
    own_length = 1.1 + 0.2 * lengths.permutation(len(words)) / len(words)  # distinct, in [1.1, 1.3)
    shared_length = 0.1 + 0.3 * lengths.permutation(len(words)) / len(words)  # in [0.1, 0.4)
    vectors = {}
    for k, word in enumerate(words):
        v = structure[word] + own_length[k] * basis[next(axis)] + shared_length[k] * shared
        vectors[word] = v.astype(np.float32)
    return vectors


def int_sequences(*, n: int, max_len: int, vocab: int, seed: int) -> list[list[int]]:
    """``n`` lists of word indices in ``[1, vocab)`` with lengths ``0 .. max_len``.

    The first list is empty and the second has the full ``max_len``, so padding and
    truncation both happen for any ``maxlen`` below ``max_len``.
    """
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, max_len + 1, n)
    if n > 0:
        lengths[0] = 0
    if n > 1:
        lengths[1] = max_len
    return [rng.integers(1, vocab, int(k)).tolist() for k in lengths]


# --- exercise 02: GloVe layouts, inputs of build_embedding_matrix, padded sequences -----------

_LAYOUT_SEPARATORS = (" ", "\t", "   ", " \t ")


def glove_layout(entries: list[tuple[str, list[str]]], *, blank: bool = False, messy: bool = False) -> str:
    """GloVe text for ``entries`` (as :func:`glove_entries` returns them), one line each, in order.

    ``blank`` adds blank lines: two after the 2nd line, one after the 5th and one at the end.
    ``messy`` separates tokens by runs of spaces and tabs, leaves trailing whitespace on every
    other line and ends lines with ``"\\r\\n"``.
    """
    lines: list[str] = []
    for k, (word, tokens) in enumerate(entries):
        parts = [word, *tokens]
        if messy:
            seps = [_LAYOUT_SEPARATORS[(k + j) % len(_LAYOUT_SEPARATORS)] for j in range(len(parts) - 1)]
            lines.append("".join(p + s for p, s in zip(parts, seps)) + parts[-1] + (" \t" if k % 2 else ""))
        else:
            lines.append(" ".join(parts))
        if blank and k in (1, 4):
            lines.extend([""] * (2 if k == 1 else 1))
    if blank:
        lines.append("")
    newline = "\r\n" if messy else "\n"
    return newline.join(lines) + newline


def matrix_inputs(*, n_vocab: int, num_words: int, dim: int,
                  seed: int) -> tuple[list[tuple[str, int]], list[str], np.ndarray]:
    """Inputs of ``build_embedding_matrix``: ``(word_index pairs, vocab, vectors)``.

    ``word_index`` numbers ``n_vocab`` words from 1, in shuffled order. About two thirds of them
    have a vector (``vectors[k]`` is the float32 vector of ``vocab[k]``), and so do three words
    that are not in ``word_index``. Indices 1 and 2 never have a vector; indices 3, ``n_vocab``
    and ``num_words`` (where they exist) always do. Words mix ASCII, punctuation and non-ASCII.
    """
    rng = np.random.default_rng(seed)
    stems = rng.choice(["the", "cat", "café", ",", "北京", "'s"], n_vocab + 3)
    words = [f"{stem}{k}" for k, stem in enumerate(stems)]
    index = rng.permutation(n_vocab) + 1
    has = rng.random(n_vocab) < 0.7
    has[(index == 1) | (index == 2)] = False
    has[(index == 3) | (index == n_vocab) | (index == num_words)] = True
    vocab = [w for w, h in zip(words, has) if h] + words[n_vocab:]
    vocab = [vocab[k] for k in rng.permutation(len(vocab))]
    vectors = rng.normal(0.0, 0.5, (len(vocab), dim)).astype(np.float32)
    return [(w, int(i)) for w, i in zip(words, index)], vocab, vectors


def padded(sequences: list[list[int]], maxlen: int | None, padding: str, truncating: str,
           value: int) -> np.ndarray:
    """A plain NumPy ``pad_sequences`` (int64) for integer sequences and ``maxlen >= 1`` or None."""
    maxlen = max((len(s) for s in sequences), default=0) if maxlen is None else maxlen
    out = np.full((len(sequences), maxlen), value, dtype=np.int64)
    for row, seq in zip(out, sequences):
        kept = list(seq[-maxlen:] if truncating == "pre" else seq[:maxlen]) if maxlen else []
        start = maxlen - len(kept) if padding == "pre" else 0
        row[start:start + len(kept)] = kept
    return out


def entries_expected(entries: list[tuple[str, list[str]]], *, first_wins: bool = False) -> dict[str, np.ndarray]:
    """What ``load_embed`` returns for a file of ``entries``; with ``first_wins``, what a loader that keeps
    the first line of a repeated word returns (a mistake)."""
    out: dict[str, np.ndarray] = {}
    for word, tokens in entries:
        if not (first_wins and word in out):
            out[word] = np.array([float(t) for t in tokens], dtype=np.float32)
    return out


def chapter_embedding_matrix(word_index: list[tuple[str, int]], embedding_map: dict[str, np.ndarray], *,
                             num_words: int, dim: int, shift: int = 0) -> np.ndarray:
    """The chapter's loop for the embedding matrix (float32, row ``i`` for index ``i < num_words``).

    ``shift`` writes the vector of index ``i`` into row ``i + shift`` instead (a mistake)."""
    matrix = np.zeros((num_words, dim), dtype=np.float32)
    for word, i in word_index:
        vector = embedding_map.get(word)
        if i < num_words and vector is not None and 0 <= i + shift < num_words:
            matrix[i + shift] = vector
    return matrix
