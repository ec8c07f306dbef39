"""Common NumPy exceptions turned into the student's mistake.

Each translation reads the exception's message, the failing line of the student's file and the shapes of the
arrays that line could see (recorded by the child). It returns ``None`` when it cannot tell: then the spec's
own error hint (``Exercise.error_hints``) stays. Nothing here guesses beyond what the shapes show.
"""
from __future__ import annotations

import re
from typing import Mapping, Sequence

from grader.diagnose.shapes import Mismatch, Shape, first_matmul_mismatch
from grader.model import StudentError

# The chapter's conventions (EXERCISES.md): what each usual name holds. Used to say why an operand is wrong.
CONVENTIONS = {"xt": "[batch, n_x]", "x_t": "[batch, n_x]", "x": "[batch, n_x]", "X": "[batch, time, n_x]",
               "ht_1": "[n_h, batch]", "h_prev": "[n_h, batch]", "h": "[n_h, batch]", "ht": "[n_h, batch]",
               "h0": "[n_h, batch]", "U": "[n_h, n_x]", "W": "[n_h, n_h]", "V": "[n_o, n_h]", "b": "[n_h, 1]",
               "c": "[n_o, 1]", "o": "[n_o, batch]", "y_true": "[n_o, batch]", "y_hat": "[n_o, batch]"}
_SHAPES = re.compile(r"\((\d+(?:,\s*\d+)*,?)?\)")


def _fmt(shape: Shape) -> str:
    return "[" + ", ".join(str(n) for n in shape) + "]"


def _base(expression: str) -> str:
    """``self.U`` -> ``U``, ``params['W']`` -> ``W``, ``xt.T`` -> ``xt``."""
    text = expression.removesuffix(".T")
    match = re.fullmatch(r"\w+\[['\"](\w+)['\"]\]", text)
    return match.group(1) if match else text.rpartition(".")[2]


def _convention(expression: str) -> str:
    base = _base(expression)
    meaning = CONVENTIONS.get(base)
    return f" ({base} is {meaning} in the chapter's convention)" if meaning else ""


def _transposed(expression: str) -> str:
    return expression.removesuffix(".T") if expression.endswith(".T") else (
        f"{expression}.T" if re.fullmatch(r"[\w.\[\]'\"]+", expression) else f"({expression}).T")


PARAMETERS = ("U", "W", "V")


def matmul_sentence(m: Mismatch, line: int, known: Mapping[str, Shape] | None = None) -> str:
    """Which operand has which shape, and the one change that makes the product line up, if the shapes show one."""
    (l0, l1), (r0, r1) = m.left_shape, m.right_shape
    where = f" on line {line}" if line else ""
    text = ("In `%(expr)s`%(where)s, %(left)s is %(ls)s and %(right)s is %(rs)s: a product A @ B needs the last size "
            "of A to equal the first size of B (%(k1)d and %(k2)d here).") % {
        "expr": m.expression, "where": where, "left": m.left, "right": m.right, "ls": _fmt(m.left_shape),
        "rs": _fmt(m.right_shape), "k1": l1, "k2": r0}
    left_param, right_param = _base(m.left) in PARAMETERS, _base(m.right) in PARAMETERS
    if right_param and not left_param and r1 == l1:
        fix = "`%(a)s @ %(b)s`" % {"a": m.right, "b": _transposed(m.left)}
        return (f"{text} {m.right}{_convention(m.right)} multiplies from the left, and {m.left}"
                f"{_convention(m.left)} must be transposed: use {fix}.")
    if l1 == r1 and not right_param:
        return f"{text} {_transpose_fix(m, 'right')}"
    if l0 == r0 and not left_param:
        return f"{text} {_transpose_fix(m, 'left')}"
    fits = [name for name, shape in (known or {}).items() if len(shape) == 2 and shape[1] == r0 and shape[0] == l0
            and name != m.left]
    if len(fits) == 1:
        pair = " and ".join(sorted({_base(m.left), _base(fits[0])}))
        return (f"{text} Check that {pair} are not swapped: of the arrays this line can see, only {fits[0]} "
                f"({_fmt((l0, r0))}) lines up with {m.right}.")
    if l1 == r1:
        return f"{text} {_transpose_fix(m, 'right')}"
    if l0 == r0:
        return f"{text} {_transpose_fix(m, 'left')}"
    if r1 == l0:
        return f"{text} The two operands are in the wrong order: use `{m.right} @ {m.left}`."
    return (f"{text} Neither transposing one of them nor swapping them makes this product line up: check which "
            "arrays it should multiply.")


def _transpose_fix(m: Mismatch, side: str) -> str:
    operand = m.right if side == "right" else m.left
    fix = (m.left, _transposed(m.right)) if side == "right" else (_transposed(m.left), m.right)
    return f"{operand}{_convention(operand)} must be transposed: use `{fix[0]} @ {fix[1]}`."


def _truth_value(line_text: str) -> str:
    builtin = re.search(r"(?<![\w.])(max|min|sorted|sum|any|all)\s*\(", line_text)
    if builtin and builtin.group(1) in ("max", "min", "sorted"):
        name = builtin.group(1)
        fix = {"max": "np.max(a, axis=...) or np.maximum(a, b)", "min": "np.min(a, axis=...) or np.minimum(a, b)",
               "sorted": "np.sort or np.argsort"}[name]
        return (f"The builtin {name}() compares whole arrays with each other, and an array of several values is "
                f"neither true nor false: use {fix}.")
    return ("`if array:` (or and, or, not on an array) asks whether an array of several values is true, which has no "
            "answer: test a number instead, for example `if not np.any(v):` or `if np.linalg.norm(v) == 0:`.")


def _shapes_in(message: str) -> list[Shape]:
    return [tuple(int(n) for n in m.group(1).replace(" ", "").rstrip(",").split(",")) if m.group(1) else ()
            for m in _SHAPES.finditer(message)]


def _dropped_axes(big: Shape, small: Shape) -> bool:
    """``small`` is ``big`` with some axes removed (as a sum over axes without keepdims leaves it)."""
    if len(small) >= len(big):
        return False
    rest = iter(big)
    return all(any(n == m for m in rest) for n in small)


def _broadcast(message: str, line_text: str) -> str | None:
    shapes = _shapes_in(message)
    if any(0 in s for s in shapes):
        slice_ = " With len(s) == 0, the slice [-len(s):] is [0:], the whole row, not an empty one." if "-len(" in \
            line_text.replace(" ", "") else ""
        return ("An empty sequence (shape (0,)) reaches this line." + slice_ +
                " Handle an empty sequence on its own: its row stays all padding.")
    if len(shapes) == 2:
        big, small = sorted(shapes, key=len, reverse=True)
        if _dropped_axes(big, small):
            return ("An array of shape %(big)s meets one of shape %(small)s, which is the first with axes removed: a "
                    "sum or norm over an axis drops that axis, so pass keepdims=True (for example np.sum(t ** 2, "
                    "axis=axes, keepdims=True)) to keep it as size 1.") % {"big": _fmt(big), "small": _fmt(small)}
    return None


def explain_error(error: StudentError, lines: Sequence[str]) -> str | None:
    """The mistake behind ``error``, or None when the message, the line and the shapes do not show it."""
    line_text = lines[error.line - 1] if 0 < error.line <= len(lines) else ""
    message = error.message
    if error.type_name == "ValueError" and "truth value of an array" in message:
        return _truth_value(line_text)
    if error.type_name == "ValueError" and ("matmul" in message or "not aligned" in message):
        found = first_matmul_mismatch(line_text, dict(error.shapes)) if line_text else None
        return matmul_sentence(found, error.line, dict(error.shapes)) if found else None
    if error.type_name == "ValueError" and "broadcast" in message:
        return _broadcast(message, line_text)
    return None
