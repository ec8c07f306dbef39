"""Common NumPy exceptions turned into the student's mistake.

Each translation reads the exception's message, the failing line of the student's file and the shapes of the
arrays that line could see (recorded by the child). It returns ``None`` when it cannot tell: then the spec's
own error hint (``Exercise.error_hints``) stays. Nothing here guesses beyond what the shapes show.
"""
from __future__ import annotations

import re
from typing import Mapping, Sequence

from grader.diagnose.shapes import Mismatch, Shape, first_matmul_mismatch
from grader.i18n import Translator, translator
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


def _conventions(tr: Translator, *expressions: str) -> list[str]:
    """A sentence for each operand whose usual name the chapter's conventions give a shape."""
    out = []
    for base in dict.fromkeys(_base(e) for e in expressions):
        if base in CONVENTIONS:
            out.append(tr._("In the chapter's convention, %(name)s is %(shape)s.", name=base, shape=CONVENTIONS[base]))
    return out


def _transposed(expression: str) -> str:
    return expression.removesuffix(".T") if expression.endswith(".T") else (
        f"{expression}.T" if re.fullmatch(r"[\w.\[\]'\"]+", expression) else f"({expression}).T")


PARAMETERS = ("U", "W", "V")


def matmul_sentence(m: Mismatch, line: int, known: Mapping[str, Shape] | None = None, *,
                    tr: Translator | None = None) -> str:
    """Which operand has which shape, and the one change that makes the product line up, if the shapes show one."""
    tr = tr or translator()
    (l0, l1), (r0, r1) = m.left_shape, m.right_shape
    values = {"expression": m.expression, "line": line, "left": m.left, "right": m.right,
              "left_shape": _fmt(m.left_shape), "right_shape": _fmt(m.right_shape), "k1": l1, "k2": r0}
    if line:
        head = tr._("In `%(expression)s` on line %(line)s, %(left)s is %(left_shape)s and %(right)s is "
                    "%(right_shape)s: a product A @ B needs the last size of A to equal the first size of B (%(k1)s "
                    "and %(k2)s here).", **values)
    else:
        head = tr._("In `%(expression)s`, %(left)s is %(left_shape)s and %(right)s is %(right_shape)s: a product "
                    "A @ B needs the last size of A to equal the first size of B (%(k1)s and %(k2)s here).", **values)
    return " ".join([head, *_matmul_fix(m, known or {}, tr)])


def _matmul_fix(m: Mismatch, known: Mapping[str, Shape], tr: Translator) -> list[str]:
    (l0, l1), (r0, r1) = m.left_shape, m.right_shape
    left_param, right_param = _base(m.left) in PARAMETERS, _base(m.right) in PARAMETERS
    transpose_right = tr._("%(operand)s must be transposed: use `%(fix)s`.", operand=m.right,
                           fix=f"{m.left} @ {_transposed(m.right)}")
    transpose_left = tr._("%(operand)s must be transposed: use `%(fix)s`.", operand=m.left,
                          fix=f"{_transposed(m.left)} @ {m.right}")
    if right_param and not left_param and r1 == l1:
        return [tr._("%(right)s multiplies from the left and %(left)s must be transposed: use `%(fix)s`.",
                     right=m.right, left=m.left, fix=f"{m.right} @ {_transposed(m.left)}"),
                *_conventions(tr, m.right, m.left)]
    if l1 == r1 and not right_param:
        return [transpose_right, *_conventions(tr, m.right)]
    if l0 == r0 and not left_param:
        return [transpose_left, *_conventions(tr, m.left)]
    fits = [name for name, shape in known.items() if len(shape) == 2 and shape[1] == r0 and shape[0] == l0
            and name != m.left]
    if len(fits) == 1:
        first, second = sorted({_base(m.left), _base(fits[0])})
        return [tr._("Check that %(first)s and %(second)s are not swapped: of the arrays this line can see, only "
                     "%(name)s (%(shape)s) lines up with %(right)s.", first=first, second=second, name=fits[0],
                     shape=_fmt((l0, r0)), right=m.right)]
    if l1 == r1:
        return [transpose_right, *_conventions(tr, m.right)]
    if l0 == r0:
        return [transpose_left, *_conventions(tr, m.left)]
    if r1 == l0:
        return [tr._("The two operands are in the wrong order: use `%(fix)s`.", fix=f"{m.right} @ {m.left}")]
    return [tr._("Neither transposing one of them nor swapping them makes this product line up: check which arrays "
                 "it should multiply.")]


def _truth_value(line_text: str, tr: Translator) -> str:
    builtin = re.search(r"(?<![\w.])(max|min|sorted|sum|any|all)\s*\(", line_text)
    if builtin and builtin.group(1) in ("max", "min", "sorted"):
        name = builtin.group(1)
        fix = {"max": "np.max(a, axis=...) or np.maximum(a, b)", "min": "np.min(a, axis=...) or np.minimum(a, b)",
               "sorted": "np.sort or np.argsort"}[name]
        return tr._("The builtin %(name)s() compares whole arrays with each other, and an array of several values is "
                    "neither true nor false: use %(fix)s.", name=name, fix=fix)
    return tr._("`if array:` (or and, or, not on an array) asks whether an array of several values is true, which has "
                "no answer: test a number instead, for example `if not np.any(v):` or `if np.linalg.norm(v) == 0:`.")


def _shapes_in(message: str) -> list[Shape]:
    return [tuple(int(n) for n in m.group(1).replace(" ", "").rstrip(",").split(",")) if m.group(1) else ()
            for m in _SHAPES.finditer(message)]


def _dropped_axes(big: Shape, small: Shape) -> bool:
    """``small`` is ``big`` with some axes removed (as a sum over axes without keepdims leaves it)."""
    if len(small) >= len(big):
        return False
    rest = iter(big)
    return all(any(n == m for m in rest) for n in small)


def _broadcast(message: str, line_text: str, tr: Translator) -> str | None:
    shapes = _shapes_in(message)
    if any(0 in s for s in shapes):
        parts = [tr._("An empty sequence (shape (0,)) reaches this line.")]
        if "-len(" in line_text.replace(" ", ""):
            parts.append(tr._("With len(s) == 0, the slice [-len(s):] is [0:], the whole row, not an empty one."))
        parts.append(tr._("Handle an empty sequence on its own: its row stays all padding."))
        return " ".join(parts)
    if len(shapes) == 2:
        big, small = sorted(shapes, key=len, reverse=True)
        if _dropped_axes(big, small):
            return tr._("An array of shape %(big)s meets one of shape %(small)s, which is the first with axes removed: "
                        "a sum or norm over an axis drops that axis, so pass keepdims=True (for example "
                        "np.sum(t ** 2, axis=axes, keepdims=True)) to keep it as size 1.", big=_fmt(big),
                        small=_fmt(small))
    return None


def wrote_read_only_input(error: StudentError) -> bool:
    """The code wrote into an input that the grader passed as read-only memory (docs/sandbox.md)."""
    return error.type_name == "ValueError" and "read-only" in error.message


def in_place_sentence(error: StudentError, *, tr: Translator | None = None) -> str:
    """"Your call() modified its argument ht_1 in place (line 12 of your file): compute a new array instead." """
    tr = tr or translator()
    function = error.where.rpartition(" in ")[2] if " in " in error.where else ""
    values = {"function": function, "name": error.written, "line": error.line}
    if function and error.written and error.line:
        return tr._("Your %(function)s() modified its argument %(name)s in place (line %(line)s of your file): compute "
                    "a new array instead (for example with %(name)s.copy() or an expression such as a + b), and leave "
                    "the arrays you are given as they are.", **values)
    if function and error.line:
        return tr._("Your %(function)s() modified one of its arguments in place (line %(line)s of your file): compute "
                    "a new array instead (for example with .copy() or an expression such as a + b), and leave the "
                    "arrays you are given as they are.", **values)
    return tr._("Your code modified one of the arrays it was given in place: compute a new array instead (for example "
                "with .copy() or an expression such as a + b), and leave the arrays you are given as they are.")


def _plain_python(message: str, tr: Translator) -> str | None:
    """An array method or attribute used on a Python list or tuple (array-likes reach the function as they are)."""
    found = re.match(r"'(list|tuple)' object has no attribute '(\w+)'", message)
    if not found:
        return None
    return tr._("A Python %(kind)s has no .%(attribute)s: the contract allows array-likes, so turn each argument into "
                "an array first, for example a = np.asarray(a, dtype=np.float64).", kind=found.group(1),
                attribute=found.group(2))


def _value_error(message: str, tr: Translator) -> str | None:
    if re.match(r"need at least one array to (concatenate|stack)", message):
        return tr._("np.concatenate and np.stack need at least one array, and here the list is empty (or holds only "
                    "None): handle an empty list on its own, or add up the arrays one at a time starting from 0.0.")
    token = re.match(r"could not convert string to float: '(.*)'$", message)
    if token and re.search(r"\s|\\[tnr]", token.group(1)):  # the message shows the text as repr() does: \t
        return tr._("The text '%(token)s' still holds whitespace, so the line was split on single spaces: "
                    "line.split() with no argument splits on any run of spaces, tabs and the line ending.",
                    token=token.group(1))
    return None


def explain_error(error: StudentError, lines: Sequence[str], *, tr: Translator | None = None) -> str | None:
    """The mistake behind ``error``, or None when the message, the line and the shapes do not show it."""
    tr = tr or translator()
    line_text = lines[error.line - 1] if 0 < error.line <= len(lines) else ""
    message = error.message
    if wrote_read_only_input(error):
        return in_place_sentence(error, tr=tr)
    if error.type_name == "ValueError" and "truth value of an array" in message:
        return _truth_value(line_text, tr)
    if error.type_name == "ValueError" and ("matmul" in message or "not aligned" in message):
        found = first_matmul_mismatch(line_text, dict(error.shapes)) if line_text else None
        return matmul_sentence(found, error.line, dict(error.shapes), tr=tr) if found else None
    if error.type_name == "ValueError" and "broadcast" in message:
        return _broadcast(message, line_text, tr)
    if error.type_name == "AttributeError":
        return _plain_python(message, tr)
    if error.type_name == "ValueError":
        return _value_error(message, tr)
    return None
