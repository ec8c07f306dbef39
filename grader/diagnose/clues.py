"""Warnings from the student's code as clues next to the check that failed.

The child records every warning raised on a line of the student's file while a check's probe runs
(``grader/sandbox/child.py``); such warnings are not "printed output". A NumPy RuntimeWarning usually names the
mistake better than the numbers do: an overflow in ``np.exp``, an invalid value from 0/0, a division by zero.
"""
from __future__ import annotations

from typing import Sequence

from grader.model import StudentWarning

MEANINGS = (  # (words of NumPy's message, what it means)
    ("overflow", "a value grew beyond the range of floating point numbers (np.exp of a large number overflows "
                 "above about 709)"),
    ("invalid value", "a NaN was made there, for example by 0/0, inf - inf, inf / inf or 0 * inf"),
    ("divide by zero", "a number was divided by zero there"),
    ("underflow", "a value became too small to represent and was rounded to 0"),
)


def _meaning(message: str) -> str:
    text = message.lower()
    return next((meaning for words, meaning in MEANINGS if words in text), "")


UNDERFLOW = ("No overflow was reported, so this NaN is 0/0: numbers far below the largest one (np.exp of a large "
             "negative number) underflowed to 0 and were then divided by each other.")


def warning_clue(warnings: Sequence[StudentWarning]) -> str:
    """One sentence per distinct warning (at most three), then what they show together, or ``""``."""
    parts = []
    for w in list(warnings)[:3]:
        meaning = _meaning(w.message)
        values = {"category": w.category, "message": w.message, "line": w.line}
        sentence = ("Clue: on line %(line)d of your file, a %(category)s said “%(message)s”" if w.line else
                    "Clue: your code raised a %(category)s, “%(message)s”") % values
        parts.append(f"{sentence}: {meaning}." if meaning else f"{sentence}.")
    texts = [w.message.lower() for w in warnings]
    if any("invalid value" in t and "divide" in t for t in texts) and not any("overflow" in t for t in texts):
        parts.append(UNDERFLOW)
    return " ".join(parts)
