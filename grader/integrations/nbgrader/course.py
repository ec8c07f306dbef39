"""Builds the nbgrader course: its config and one source notebook per exercise.

Nothing is maintained twice. A source notebook is generated from three things:

* the stub (``exercises/``): the module's skeleton, signatures and docstrings, kept as they are;
* the reference (``solutions/``): each body the stub leaves as ``raise NotImplementedError``
  becomes the reference's body between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, so that
  ``nbgrader generate_assignment`` releases exactly the stub. Module-level helpers, constants and
  imports that only the reference has are nested inside the region of each body that uses them;
* the spec (``grader/specs/``): one locked test cell per check (grade_id = the check's name,
  points = its points), and the instructions (``templates/nbgrader/instructions/``); an exercise may add one
  ungraded code cell (``templates/nbgrader/ungraded/``, first line ``# ungraded``: the grader leaves it out).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.i18n import Translator, translator
from grader.spec import ROOT, Exercise

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]+$")
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


class GenerationError(Exception):
    """The stub, the reference and the spec do not fit together."""


@dataclass(frozen=True)
class Chunk:
    """One code cell of the notebook; a solution cell when ``grade_id`` is set."""

    source: str
    grade_id: str = ""


# --- the stub's skeleton with the reference's bodies -------------------------------------------

def _start(node: ast.AST) -> int:
    return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])  # type: ignore[attr-defined]


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _body(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[ast.stmt]:
    """The statements after the docstring."""
    return node.body[1:] if _is_docstring(node.body[0]) else node.body


def _is_todo(node: ast.AST) -> bool:
    """A stub body: only ``raise NotImplementedError(...)`` after the docstring."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = _body(node)
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    exc = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"


def _defines(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            return set()
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return {n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)}


def _uses(nodes: list[ast.stmt]) -> set[str]:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def _shift(lines: list[str], old: int, new: int) -> list[str]:
    """Re-indent lines from column ``old`` to column ``new`` (continuation lines are kept)."""
    if old == new:
        return lines
    return [(" " * new + line[old:]) if line[:old].strip() == "" and line.strip() else line for line in lines]


class _Module:
    """A parsed source file: its lines and its top-level definitions by name."""

    def __init__(self, path: Path) -> None:
        self.text = path.read_text(encoding="utf-8")
        self.lines = self.text.splitlines()
        self.tree = ast.parse(self.text, filename=str(path))
        self.top = {name: node for node in self.tree.body for name in _defines(node)}

    def segment(self, first: int, last: int) -> list[str]:
        return self.lines[first - 1:last]

    def helpers(self, used: set[str], known: set[str]) -> list[ast.stmt]:
        """The top-level statements that ``used`` needs, transitively, except names in ``known``."""
        needed: list[ast.stmt] = []
        todo, seen = list(used), set(known)
        while todo:
            name = todo.pop()
            node = self.top.get(name)
            if name in seen or node is None:
                continue
            seen.add(name)
            if all(node is not n for n in needed):
                needed.append(node)
                todo.extend(_uses([node]))
        return sorted(needed, key=_start)


def _region(ref: _Module, node: ast.FunctionDef | ast.AsyncFunctionDef, indent: int, known: set[str]) -> list[str]:
    """``node``'s body (and the reference-only helpers it needs) between the solution markers."""
    body = _body(node)
    if not body or body[0].lineno == node.lineno:
        raise GenerationError(f"{node.name}: the reference body must start on its own line")
    pad = " " * indent
    lines = [pad + BEGIN]
    for helper in ref.helpers(_uses(body), known):
        lines += _shift(ref.segment(_start(helper), helper.end_lineno or helper.lineno), 0, indent) + [""]
    lines += _shift(ref.segment(_start(body[0]), node.end_lineno or node.lineno), body[0].col_offset, indent)
    return lines + [pad + END]


def _filled(stub: _Module, ref: _Module, node: ast.stmt, known: set[str]) -> list[str]:
    """The lines of a top-level stub definition with its to-do bodies filled in."""
    first, last = _start(node), node.end_lineno or node.lineno
    lines = stub.segment(first, last)
    target = ref.top.get(getattr(node, "name", ""))
    if _is_todo(node):
        if not isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)):
            raise GenerationError(f"the reference has no function {node.name}()")  # type: ignore[attr-defined]
        todo = _body(node)[0]  # type: ignore[arg-type]
        return lines[:todo.lineno - first] + _region(ref, target, todo.col_offset, known)
    if not isinstance(node, ast.ClassDef):
        return lines
    if not isinstance(target, ast.ClassDef):
        if any(_is_todo(m) for m in node.body):
            raise GenerationError(f"the reference has no class {node.name}")
        return lines
    return _filled_class(stub, ref, node, target, known)


def _filled_class(stub: _Module, ref: _Module, node: ast.ClassDef, target: ast.ClassDef, known: set[str]) -> list[str]:
    methods = {m.name: m for m in target.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
    out, cursor = [], _start(node)
    for member in node.body:
        if not _is_todo(member):
            continue
        assert isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
        if member.name not in methods:
            raise GenerationError(f"the reference's class {node.name} has no method {member.name}()")
        todo = _body(member)[0]
        out += stub.segment(cursor, todo.lineno - 1) + _region(ref, methods[member.name], todo.col_offset, known)
        cursor = (member.end_lineno or member.lineno) + 1
    out += stub.segment(cursor, node.end_lineno or node.lineno)
    stubbed = {m.name for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for name, method in methods.items():  # methods only the reference has: the signature stays visible
        if name not in stubbed:
            body = _body(method)[0]
            out += [""] + _shift(ref.segment(_start(method), body.lineno - 1), method.col_offset, 4)
            out += _region(ref, method, 4 + body.col_offset - method.col_offset, known)
    return out


def _trim(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def solution_chunks(exercise: Exercise) -> list[Chunk]:
    """The code cells: the stub's imports, then one cell per top-level function or class."""
    stub, ref = _Module(exercise.stub), _Module(exercise.reference)
    known = set(stub.top)
    defs = [n for n in stub.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    if not defs:
        raise GenerationError(f"{exercise.stub.name} defines nothing to implement")
    cursor = 1
    for node in stub.tree.body:  # the module docstring and `from __future__` imports stay out
        if not (_is_docstring(node) or isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            break
        cursor = (node.end_lineno or node.lineno) + 1
    chunks = [Chunk(_trim(stub.segment(cursor, _start(defs[0]) - 1)))]
    for k, node in enumerate(defs):
        lines = _filled(stub, ref, node, known)
        solved = any(line.strip() == BEGIN for line in lines)  # a solution cell needs a region
        gap_end = _start(node) - 1
        tail = stub.segment((node.end_lineno or 0) + 1, len(stub.lines)) if k == len(defs) - 1 else []
        start = (defs[k - 1].end_lineno or 0) + 1 if k else _start(node)
        text = _trim(stub.segment(start, gap_end) + lines + tail)
        chunks.append(Chunk(text, f"solution-{node.name}" if solved else ""))
    chunks = [c for c in chunks if c.source]
    _verify(chunks, exercise)
    return chunks


def _verify(chunks: list[Chunk], exercise: Exercise) -> None:
    source = "\n\n".join(c.source for c in chunks)
    try:
        compile(source, f"{exercise.id}.ipynb", "exec")
    except SyntaxError as exc:
        raise GenerationError(f"{exercise.id}: the generated code does not compile: {exc}") from exc
    if source.count(BEGIN) != source.count(END) or not source.count(BEGIN):
        raise GenerationError(f"{exercise.id}: unbalanced or missing solution markers")


# --- the notebook --------------------------------------------------------------------------------

def jinja_env(tr: Translator | None = None) -> jinja2.Environment:
    """The course templates' environment, with ``tr``'s catalog in Jinja2's ``i18n`` extension (English by default)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=False, undefined=jinja2.StrictUndefined,
                             extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations((tr or translator()).translations, newstyle=True)  # type: ignore[attr-defined]
    env.policies["ext.i18n.trimmed"] = True
    return env


def _markdown_docstring(text: str) -> str:
    """The stub's module docstring (reStructuredText-ish) as Markdown: literal blocks become fenced code."""
    out: list[str] = []
    in_block = False
    for line in [*text.splitlines(), "."]:
        if in_block and line.strip() and not line.startswith(" "):
            while out[-1] == "":
                out.pop()
            out += ["```", ""]
            in_block = False
        out.append(line[4:] if in_block else line.replace("``", "`"))
        if not in_block and line.rstrip().endswith("::"):
            out[-1] = out[-1].rstrip()[:-1]
            out.append("\n```text")
            in_block = True
    return "\n".join(out[:-1]).replace("```text\n\n", "```text\n").strip()


def _api(stub: _Module, tr: Translator) -> list[dict[str, str]]:
    """What to implement: each stub definition with its signature and docstring summary."""
    items = []
    for node in stub.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            ret = f" -> {ast.unparse(node.returns)}" if node.returns else ""
            summary = (ast.get_docstring(node) or "").split("\n\n")[0].replace("\n", " ").replace("``", "`")
            items.append({"signature": f"{node.name}({ast.unparse(node.args)}){ret}", "summary": summary})
        elif isinstance(node, ast.ClassDef):
            todo = [m.name for m in node.body if _is_todo(m)]
            items.append({"signature": f"class {node.name}",
                          "summary": tr._("methods %(names)s", names=", ".join(f"`{m}`" for m in todo)) if todo else ""})
    return items


def instructions(exercise: Exercise, env: jinja2.Environment | None = None, *, tr: Translator | None = None) -> str:
    """The Markdown instructions in ``tr``'s language: ``instructions/<id>.md.j2`` if it exists, else the generic
    template. ``env`` must carry the same catalog (:func:`jinja_env`)."""
    tr = tr or translator()
    env = env or jinja_env(tr)
    stub = _Module(exercise.stub)
    name = f"nbgrader/instructions/{exercise.id}.md.j2"
    template = env.get_template(name if (TEMPLATES / name).is_file() else "nbgrader/instructions/generic.md.j2")
    checks = [{"name": c.name, "title": tr.text(c.title), "points": f"{c.points:g}"} for c in exercise.checks]
    return template.render(ex=exercise, api=_api(stub, tr), checks=checks, notebook=f"{exercise.id}.ipynb",
                           title=tr.text(exercise.title), number=exercise.id.replace("exercise-", ""),
                           intro=_markdown_docstring(ast.get_docstring(stub.tree) or exercise.title),
                           total=f"{sum(c.points for c in exercise.checks):g}").strip()


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: float | None = None) -> dict[str, Any]:
    if not GRADE_ID.match(grade_id):
        raise GenerationError(f"{grade_id!r} is not a valid nbgrader grade_id")
    data: dict[str, Any] = {"grade": grade, "solution": solution, "locked": locked, "task": False,
                            "grade_id": grade_id, "schema_version": 3}
    if points is not None:
        data["points"] = points
    return {"nbgrader": data}


def build_notebook(exercise: Exercise, *, tr: Translator | None = None) -> nbformat.NotebookNode:
    """The source notebook of one exercise, with its solutions and locked test cells, its text in ``tr``'s language."""
    tr = tr or translator()
    env = jinja_env(tr)
    cells = [new_markdown_cell(instructions(exercise, env, tr=tr), metadata=_meta("instructions", locked=True),
                               id="instructions")]
    for k, chunk in enumerate(solution_chunks(exercise)):
        meta = _meta(chunk.grade_id, solution=True) if chunk.grade_id else {}
        cells.append(new_code_cell(chunk.source, metadata=meta, id=chunk.grade_id or f"code-{k}"))
    ungraded = f"nbgrader/ungraded/{exercise.id}.py.j2"  # an optional cell the grader leaves out (# ungraded)
    if (TEMPLATES / ungraded).is_file():
        cells.append(new_code_cell(env.get_template(ungraded).render(ex=exercise).strip(), id="ungraded"))
    intro = env.get_template("nbgrader/tests_intro.md.j2").render(ex=exercise, notebook=f"{exercise.id}.ipynb")
    cells.append(new_markdown_cell(intro.strip(), metadata=_meta("tests-intro", locked=True), id="tests-intro"))
    test = env.get_template("nbgrader/test_cell.py.j2")
    for k, check in enumerate(exercise.checks):
        source = test.render(ex=exercise, check=check, title=tr.text(check.title), points=f"{check.points:g}",
                             first=k == 0).strip()
        cells.append(new_code_cell(source, metadata=_meta(check.name, grade=True, locked=True, points=check.points),
                                   id=check.name))
    ids = [c.metadata["nbgrader"]["grade_id"] for c in cells if "nbgrader" in c.metadata]
    if len(ids) != len(set(ids)):
        raise GenerationError(f"{exercise.id}: duplicate grade_id in {ids}")
    nb = new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb
