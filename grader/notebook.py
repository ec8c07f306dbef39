"""Extracts the code of a Jupyter notebook as one Python module (without importing nbformat)."""
from __future__ import annotations

import json


def _cell_lines(source: str | list[str]) -> list[str]:
    text = "".join(source) if isinstance(source, list) else str(source)
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        # IPython magics and shell escapes are not Python: keep the line numbers, drop the effect.
        lines.append(f"# (magic) {line}" if stripped.startswith(("%", "!")) else line)
    return lines


def is_test_cell(cell: dict) -> bool:
    """An nbgrader autograder test cell (graded, not a solution): never part of the student's module."""
    meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell.get("metadata"), dict) else {}
    if not isinstance(meta, dict):  # e.g. `"nbgrader": []`: the notebook is malformed, not this cell harmless
        raise ValueError(f"a cell's nbgrader metadata is {type(meta).__name__}, not an object")
    return bool(meta.get("grade")) and not meta.get("solution")


def calls_grader(cell: dict) -> bool:
    """A cell that imports the grader itself (``import grader`` / ``grader.check(...)`` in the notebook)."""
    text = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) else str(cell.get("source", ""))
    return any(line.startswith(("import grader", "from grader ", "from grader.")) for line in text.splitlines())


def is_ungraded_cell(cell: dict) -> bool:
    """A cell the student marks as not part of the graded module: its first non-blank line is ``# ungraded``
    (exercise-06's plot, which needs matplotlib and a display)."""
    text = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) else str(cell.get("source", ""))
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first.lower().startswith("# ungraded")


def notebook_source(text: str) -> str:
    """Concatenate the code cells of a notebook (JSON text), in order, as a module's source.

    nbgrader test cells and cells that import the grader (``grader.check(...)``) are left out: they call
    the grader, which grades this very source (and is not importable by the graded code). So are cells marked
    ``# ungraded`` (:func:`is_ungraded_cell`).
    """
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError("this is not a Jupyter notebook (no 'cells' list)")
    chunks = []
    for index, cell in enumerate(data["cells"]):
        if isinstance(cell, dict) and cell.get("cell_type") == "code" and not is_test_cell(cell) \
                and not calls_grader(cell) and not is_ungraded_cell(cell):
            chunks.append(f"# --- cell {index} ---")
            chunks.extend(_cell_lines(cell.get("source", "")))
    return "\n".join(chunks) + "\n"
