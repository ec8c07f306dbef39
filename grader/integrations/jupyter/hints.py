"""``%grade EXERCISE --hint CHECK [N]``: the graded hints of one check, shown up to hint N."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from grader.model import GradeReport
from grader.spec import Exercise


@dataclass(frozen=True)
class HintView:
    """The hints shown so far for one check; it displays itself (HTML in Jupyter, text in a console)."""

    exercise: str
    check: str
    title: str
    hints: tuple[str, ...]
    level: int
    status: str = ""

    def _repr_html_(self) -> str:
        from grader.report.render import render_hints_html

        return render_hints_html(self)

    def text(self) -> str:
        lines = [f"{self.exercise}, hint {self.level} of {len(self.hints)} for {self.title} ({self.check})"]
        lines += [self.status] if self.status else []
        for number, hint in enumerate(self.hints[:self.level], 1):
            lines += textwrap.wrap(hint, 90, initial_indent=f"  {number}. ", subsequent_indent="     ")
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.text())


def find_check(exercise: Exercise, name: str) -> Any:
    """The check called ``name`` (a hidden case's name is accepted too); a usage error names the checks."""
    from grader.integrations.jupyter.session import NotebookUsageError

    for check in exercise.checks:
        if check.name == name.removesuffix("-hidden"):
            return check
    names = ", ".join(c.name for c in exercise.checks)
    raise NotebookUsageError(f"{exercise.id} has no check {name!r}; its checks are: {names}")


def last_status(report: GradeReport | None, check: str) -> str:
    """A sentence on how this check did the last time this kernel graded the exercise."""
    result = next((c for c in report.checks if c.name == check), None) if report is not None else None
    if result is None:
        return ""
    if result.passed:
        return "This check passed the last time you graded: you may not need a hint."
    return f"Last time you graded, this check got {result.points:g}/{result.max_points:g}."


def hint_view(exercise: Exercise, check_name: str, *, level: int, report: GradeReport | None) -> HintView:
    from grader.specs.hints_text import hints_for

    check = find_check(exercise, check_name)
    return HintView(exercise=exercise.id, check=check.name, title=check.title, hints=hints_for(exercise, check.name),
                    level=level, status=last_status(report, check.name))
