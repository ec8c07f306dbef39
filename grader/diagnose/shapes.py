"""Shapes of the expressions on one line of student code, from the shapes of the arrays that line could see.

The child records, for the student frame where an exception was raised, the shape of each local array (and of
the arrays in ``self`` and in local dicts, as ``self.U`` and ``params['U']``). :func:`first_matmul_mismatch` walks
the line in evaluation order and finds the first matrix product whose operands do not line up.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Mapping

Shape = tuple[int, ...]
SAME_SHAPE = {"tanh", "exp", "log", "sqrt", "square", "abs", "negative", "copy", "array", "asarray", "sigmoid",
              "maximum", "minimum", "float64", "float32", "astype"}


@dataclass(frozen=True)
class Mismatch:
    """A product ``left @ right`` whose inner sizes differ."""

    expression: str
    left: str
    right: str
    left_shape: Shape
    right_shape: Shape


def parse_line(text: str) -> ast.AST | None:
    """The statement or expression on one source line, or None when that line alone is not valid Python."""
    body = text.strip().rstrip(":").rstrip("\\")
    for candidate in (body, body.removeprefix("return ").removeprefix("elif ").removeprefix("if "), f"({body})"):
        try:
            return ast.parse(candidate)
        except SyntaxError:
            continue
    return None


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr != "T":
        return f"{node.value.id}.{node.attr}"
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant):
        return f"{node.value.id}[{node.slice.value!r}]"
    return None


def _broadcast(a: Shape, b: Shape) -> Shape | None:
    out = []
    for x, y in zip(reversed((1,) * (len(b) - len(a)) + a), reversed((1,) * (len(a) - len(b)) + b)):
        if x != y and 1 not in (x, y):
            return None
        out.append(max(x, y))
    return tuple(reversed(out))


def _matmul(a: Shape, b: Shape) -> Shape | None:
    if len(a) < 1 or len(b) < 1 or a[-1] != (b[-2] if len(b) >= 2 else b[0]):
        return None
    if len(a) == 1:
        return b[:-2] + b[-1:]
    if len(b) == 1:
        return a[:-1]
    batch = _broadcast(a[:-2], b[:-2])
    return None if batch is None else batch + (a[-2], b[-1])


class _Walker:
    def __init__(self, known: Mapping[str, Shape]) -> None:
        self.known = known
        self.mismatch: Mismatch | None = None

    def shape(self, node: ast.AST) -> Shape | None:  # noqa: C901 - one case per kind of expression
        name = _name(node)
        if name is not None:
            return self.known.get(name)
        if isinstance(node, ast.Attribute) and node.attr == "T":
            inner = self.shape(node.value)
            return None if inner is None else inner[::-1]
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return ()
        if isinstance(node, ast.UnaryOp):
            return self.shape(node.operand)
        if isinstance(node, ast.BinOp):
            left, right = self.shape(node.left), self.shape(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.MatMult):
                return self._product(node, node.left, node.right, left, right)
            return _broadcast(left, right)
        if isinstance(node, ast.Call):
            return self._call(node)
        return None

    def _product(self, node: ast.AST, a: ast.AST, b: ast.AST, left: Shape, right: Shape) -> Shape | None:
        result = _matmul(left, right)
        if result is None and self.mismatch is None and len(left) == 2 and len(right) == 2:
            self.mismatch = Mismatch(ast.unparse(node), ast.unparse(a), ast.unparse(b), left, right)
        return result

    def _call(self, node: ast.Call) -> Shape | None:
        func = node.func
        method = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        args = [self.shape(a) for a in node.args]
        if method in ("dot", "matmul") and len(node.args) == 2 and None not in args:
            return self._product(node, node.args[0], node.args[1], args[0], args[1])  # type: ignore[arg-type]
        if isinstance(func, ast.Attribute) and method in ("copy", "astype") and not _is_module(func.value):
            return self.shape(func.value)
        if method == "transpose" and len(node.args) == 1 and args[0] is not None:
            return args[0][::-1]
        if method in SAME_SHAPE and node.args and args[0] is not None:
            return args[0] if len(args) == 1 or None in args else _broadcast(args[0], args[1])  # type: ignore[arg-type]
        return None


def _is_module(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in ("np", "numpy")


def first_matmul_mismatch(line: str, known: Mapping[str, Shape]) -> Mismatch | None:
    tree = parse_line(line)
    if tree is None:
        return None
    walker = _Walker(known)
    for node in ast.walk(tree):
        if isinstance(node, ast.expr):
            walker.shape(node)
            if walker.mismatch is not None:
                return walker.mismatch
    return None
