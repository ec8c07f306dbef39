"""One kernel's grading session: the grading process, the cells the kernel ran, the hints shown so far.

The magics and :func:`grader.integrations.jupyter.api.check` are thin callers of this object. It holds
no IPython objects; the magics pass in what they read from the shell.
"""
from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from grader.errors import UsageError
from grader.integrations.jupyter.cells import Selection, select_cells
from grader.integrations.jupyter.client import GradingService, WorkerError
from grader.integrations.jupyter.locate import RanCell, find_notebook, freshness_notes
from grader.model import GradeReport

MAX_RAN = 2000  # cells remembered for the freshness check


class NotebookUsageError(UsageError):
    """A usage error in a notebook: IPython shows this one line instead of a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"grade: error: {self}"]


@dataclass(frozen=True)
class GradeRequest:
    exercise: str
    keras: str = "stored"
    timeout_s: float | None = None
    memory_mb: int | None = None


@dataclass(eq=False)
class NotebookSession:
    service: GradingService = field(default_factory=GradingService)
    ran: list[RanCell] = field(default_factory=list)
    hint_levels: dict[tuple[str, str], int] = field(default_factory=dict)
    last_reports: dict[str, GradeReport] = field(default_factory=dict)

    def record(self, cell: RanCell) -> None:
        self.ran.append(cell)
        del self.ran[:-MAX_RAN]

    def _grade(self, path: Path, request: GradeRequest) -> GradeReport:
        from grader.integrations.jupyter.transport import decode_report

        message = {"exercise": request.exercise, "path": str(path), "keras": request.keras,
                   "timeout_s": request.timeout_s, "memory_mb": request.memory_mb}
        try:
            answer = self.service.request(message)
        except WorkerError as exc:
            raise NotebookUsageError(f"the grader could not grade: {exc}") from None
        if "report" not in answer:
            raise NotebookUsageError(str(answer.get("message", "the grader gave no report")))
        report = decode_report(answer["report"])
        self.last_reports[report.exercise] = report
        return report

    def grade_file(self, request: GradeRequest, *, path: str | Path | None, user_ns: Mapping[str, Any],
                   env: Mapping[str, str], cwd: Path) -> GradeReport:
        """Grade a file (default: this notebook's saved file), saying whether it holds what the kernel ran."""
        if path is None:
            found = find_notebook(user_ns, env, cwd=cwd)
            if found is None:
                raise NotebookUsageError(
                    "cannot tell which notebook file this kernel belongs to: pass --path NOTEBOOK.ipynb "
                    "(or put %%grade at the top of the cell that holds your code)")
            target = found[0]
        else:
            target = Path(path).expanduser()
            target = target if target.is_absolute() else cwd / target
            if not target.is_file():
                raise NotebookUsageError(f"no such file: {target}")
        report = self._grade(target, request)
        notes = freshness_notes(target, self.ran)
        return dataclasses.replace(report, notes=notes + report.notes) if notes else report

    def grade_cell(self, request: GradeRequest, *, cell: str, count: int, history: Sequence[tuple[int, str]],
                   alone: bool = False) -> GradeReport:
        """Grade one cell's code, with the earlier cells it depends on (see :mod:`.cells`)."""
        try:
            selection = select_cells(cell, count=count, history=history, alone=alone)
        except SyntaxError as exc:
            raise NotebookUsageError(f"this cell is not valid Python (line {exc.lineno}: {exc.msg}), "
                                     "so it cannot be graded") from None
        with tempfile.TemporaryDirectory(prefix="rnn-grader-cell-") as tmp:
            module = Path(tmp) / f"cell_{count}.py"
            module.write_text(selection.module_source(), encoding="utf-8")
            report = self._grade(module, request)
        report = dataclasses.replace(report, submission=_cell_label(selection),
                                     notes=(selection.sentence(),) + report.notes)
        self.last_reports[report.exercise] = report
        return report

    def next_hint_level(self, exercise: str, check: str, *, level: int | None, available: int) -> int:
        """``level`` when given, else one more than last time for this check (at most ``available``)."""
        key = (exercise, check)
        chosen = level if level is not None else self.hint_levels.get(key, 0) + 1
        chosen = max(1, min(chosen, available))
        self.hint_levels[key] = max(chosen, self.hint_levels.get(key, 0)) if level is None else chosen
        return chosen

    def close(self) -> None:
        self.service.retire()


def _cell_label(selection: Selection) -> str:
    label = f"the %%grade cell In [{selection.count}]"
    if selection.depends_on:
        label += " with " + ", ".join(f"In [{n}]" for n, _, _ in selection.depends_on)
    return label
