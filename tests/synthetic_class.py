"""A made-up class of exercise-03 submissions: references, stubs and the realistic mistakes of
tests/mutants/exercise_03.toml, in a fixed, repeatable mix (used by the analytics tests and
bench/bench_throughput.py)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Sequence

from mutation import ROOT, materialise_all

REFERENCE = ROOT / "solutions/exercise_03_rnn_cell.py"
STUB = ROOT / "exercises/exercise_03_rnn_cell.py"


def as_notebook(source: str) -> str:
    """The file as a one-cell notebook (nbformat 4)."""
    return json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": "solution", "metadata": {},
                                  "outputs": [], "source": source.splitlines(keepends=True)}],
                       "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                                    "language_info": {"name": "python"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


def make_class(folder: Path, students: int, *, mutants_dir: Path, notebooks: bool = False,
               mistakes: Sequence[str] = ()) -> dict[str, str]:
    """Write ``students`` submissions to ``folder`` (``student_NNNN.py`` or ``.ipynb``); ``{student: kind}``.

    Every third student hands in the reference, one in ten the untouched stub, the others one mistake
    each, taken in turn from the exercise's mutants (so a mistake repeats across a large class), or from
    ``mistakes`` (mutant names) when given.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = materialise_all("exercise-03", mutants_dir)
    mutants = [(name, written[name]) for name in mistakes] if mistakes else sorted(written.items())
    kinds = {}
    for k in range(students):
        name = f"student_{k:04d}"
        if k % 3 == 0:
            kind, source = "reference", REFERENCE
        elif k % 10 == 1:
            kind, source = "stub", STUB
        else:
            kind, path = mutants[k % len(mutants)]
            source = Path(path)
        kinds[name] = kind
        if notebooks:
            (folder / f"{name}.ipynb").write_text(as_notebook(source.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copy(source, folder / f"{name}.py")
    return kinds
