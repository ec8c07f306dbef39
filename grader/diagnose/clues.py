"""Warnings from the student's code as clues next to the check that failed.

The child records every warning raised on a line of the student's file while a check's probe runs
(``grader/sandbox/child.py``); such warnings are not "printed output". A NumPy RuntimeWarning usually names the
mistake better than the numbers do: an overflow in ``np.exp``, an invalid value from 0/0, a division by zero.
"""
from __future__ import annotations

from typing import Sequence

from grader.i18n import N_, Translator, translator
from grader.model import StudentWarning

MEANINGS = (  # (words of NumPy's message, what it means: a whole sentence, translated where it is shown)
    ("overflow", N_("An overflow means that a value grew beyond the range of floating point numbers (np.exp of a "
                    "number above about 709 overflows).")),
    ("invalid value", N_("An invalid value means that a NaN was made there, for example by 0/0, inf - inf, inf / inf "
                         "or 0 * inf.")),
    ("divide by zero", N_("A division by zero happened there.")),
    ("underflow", N_("An underflow means that a value became too small to represent and was rounded to 0.")),
)
UNDERFLOW = N_("No overflow was reported, so this NaN is 0/0: numbers far below the largest one (np.exp of a large "
               "negative number) underflowed to 0 and were then divided by each other.")


def warning_clue(warnings: Sequence[StudentWarning], *, tr: Translator | None = None) -> str:
    """A sentence per distinct warning (at most three) and what each means, then what they show together."""
    tr = tr or translator()
    parts = []
    for w in list(warnings)[:3]:
        if w.line:
            parts.append(tr._("Clue: on line %(line)s of your file, a %(category)s said “%(message)s”.", line=w.line,
                              category=w.category, message=w.message))
        else:
            parts.append(tr._("Clue: your code raised a %(category)s, “%(message)s”.", category=w.category,
                              message=w.message))
        meaning = next((m for words, m in MEANINGS if words in w.message.lower()), "")
        if meaning:
            parts.append(tr.text(meaning))
    texts = [w.message.lower() for w in warnings]
    if any("invalid value" in t and "divide" in t for t in texts) and not any("overflow" in t for t in texts):
        parts.append(tr.text(UNDERFLOW))
    return " ".join(parts)
