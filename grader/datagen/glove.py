"""GloVe text files for exercise-02 and the load_embed benchmark (deterministic, seeded).

* :func:`glove_entries`, :func:`glove_text`, :func:`glove_expected`, :func:`glove_text_ragged`,
  :func:`glove_layout` and :func:`write_glove_file` (a full-size 400,000 x 100 file).
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
