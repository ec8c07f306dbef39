"""``%%grade``: the code of one cell, with the earlier cells it depends on when that is feasible.

A cell's *free names* are the names it reads but never binds (builtins aside). Each one is looked up in
the cells this kernel ran before, the latest definition first (an import, ``def``, ``class`` or a
top-level assignment); those cells' own free names are followed the same way. When a name is defined
nowhere, the cell is graded with what was found and the report names what is missing.
"""
from __future__ import annotations

import ast
import builtins
import json
from dataclasses import dataclass
from typing import Sequence

from grader.notebook import notebook_source

BUILTINS = frozenset(dir(builtins)) | {"__name__", "__file__", "__doc__", "get_ipython", "display", "In", "Out"}


@dataclass(frozen=True)
class Selection:
    """The cells that make up the graded module, in execution order, and what could not be found."""

    cell: str
    count: int
    depends_on: tuple[tuple[int, str, tuple[str, ...]], ...]  # (execution count, source, names it supplies)
    missing: tuple[str, ...]

    def module_source(self) -> str:
        cells = [{"cell_type": "code", "source": src} for _, src, _ in self.depends_on] + \
                [{"cell_type": "code", "source": self.cell}]
        return notebook_source(json.dumps({"cells": cells}))

    def sentence(self) -> str:
        where = f"the %%grade cell In [{self.count}]"
        if not self.depends_on:
            text = f"Graded {where} alone: it uses no names defined in earlier cells."
        else:
            used = "; ".join(f"In [{n}] ({', '.join(names)})" for n, _, names in self.depends_on)
            text = f"Graded {where} together with the earlier cells it depends on: {used}."
        if self.missing:
            text += (f" Not defined in this cell nor in any earlier cell you ran: {', '.join(self.missing)}; "
                     "if your code needs them, define them in this cell.")
        return text


def python_of(source: str) -> str:
    """The Python of a cell: IPython magic and shell lines become comments (as in a graded notebook)."""
    return "\n".join(f"# {line}" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def _tree(source: str) -> ast.Module | None:
    if source.lstrip().startswith("%%"):
        return None  # a cell magic's body: not plain Python run in the kernel
    try:
        return ast.parse(python_of(source))
    except SyntaxError:
        return None


def top_level_bindings(tree: ast.Module) -> set[str]:
    """Names a cell defines for later cells: its top-level statements (inside if/for/while/try/with too),
    not what functions and classes bind inside their bodies."""
    out: set[str] = set()
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
            continue
        if isinstance(node, (ast.Lambda, ast.GeneratorExp, ast.ListComp, ast.SetComp, ast.DictComp)):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            out.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return out


def free_names(tree: ast.Module) -> set[str]:
    """Names read anywhere in the cell that it binds nowhere (an over-approximation of what it binds)."""
    bound: set[str] = set()
    read: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return read - bound - BUILTINS


def is_grade_cell(source: str) -> bool:
    first = source.lstrip().split("\n", 1)[0]
    return first.startswith(("%grade", "%%grade", "%load_ext grader"))


def select_cells(cell: str, *, count: int, history: Sequence[tuple[int, str]], alone: bool = False) -> Selection:
    """The cell plus the earlier cells (``history``: (execution count, raw source), oldest first) it needs."""
    tree = ast.parse(python_of(cell))  # a SyntaxError is the student's: the caller reports it
    if alone:
        return Selection(cell=cell, count=count, depends_on=(), missing=())
    earlier = [(n, src, t, top_level_bindings(t)) for n, src in history if n < count and not is_grade_cell(src)
               for t in [_tree(src)] if t is not None]
    chosen: dict[int, tuple[str, set[str]]] = {}
    missing: set[str] = set()
    todo = [(name, count) for name in sorted(free_names(tree))]
    while todo:
        name, before = todo.pop()
        if any(name in supplied for n, (_, supplied) in chosen.items() if n < before):
            continue
        found = next(((n, src, t) for n, src, t, binds in reversed(earlier) if n < before and name in binds), None)
        if found is None:
            missing.add(name)
            continue
        n, src, t = found
        if n not in chosen:
            chosen[n] = (src, set())
            todo += [(other, n) for other in sorted(free_names(t))]
        chosen[n][1].add(name)
    depends = tuple((n, chosen[n][0], tuple(sorted(chosen[n][1]))) for n in sorted(chosen))
    return Selection(cell=cell, count=count, depends_on=depends, missing=tuple(sorted(missing)))
