"""``%grade`` and ``%%grade``: parse the line, ask the session, display the report (IPython imported here).

    %grade EXERCISE [--path FILE] [--keras stored|live|off] [--timeout S] [--memory MB]
    %grade EXERCISE --hint CHECK [N]
    %%grade EXERCISE [--alone] [...]        (the cell's code is graded, not run in the kernel)
"""
from __future__ import annotations

import argparse
import os
import shlex
import time
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError as IPythonUsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.display import display

from grader.integrations.jupyter.locate import RanCell
from grader.integrations.jupyter.session import GradeRequest, NotebookSession, NotebookUsageError

USAGE = ("%grade EXERCISE [--path FILE] [--keras stored|live|off] [--timeout S] [--memory MB] | "
         "%grade EXERCISE --hint CHECK [N] | %%grade EXERCISE [--alone] (first line of a cell)")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise NotebookUsageError(f"{message}; usage: {USAGE}")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        raise NotebookUsageError(f"usage: {USAGE}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="%grade", add_help=False)
    p.add_argument("exercise", nargs="?")
    p.add_argument("--path")
    p.add_argument("--hint", nargs="+", metavar=("CHECK", "N"))
    p.add_argument("--keras", choices=("stored", "live", "off"), default="stored")
    p.add_argument("--timeout", type=float)
    p.add_argument("--memory", type=int)
    p.add_argument("--alone", action="store_true")
    p.add_argument("-h", "--help", action="store_true")
    return p


def parse(line: str) -> argparse.Namespace:
    try:
        args = _parser().parse_args(shlex.split(line))
    except ValueError as exc:  # shlex: an unclosed quote
        raise NotebookUsageError(f"{exc}; usage: {USAGE}") from None
    if args.help or not args.exercise:
        from grader.keys.load import exercise_ids

        raise NotebookUsageError(f"usage: {USAGE}; the exercises are {', '.join(exercise_ids())}")
    if args.hint is not None and (len(args.hint) > 2 or (len(args.hint) == 2 and not args.hint[1].isdigit())):
        raise NotebookUsageError(f"--hint takes a check name and an optional hint number; usage: {USAGE}")
    return args


def _exercise(exercise_id: str) -> Any:
    from grader.keys.load import UnknownExercise, exercise_ids, get_exercise

    try:
        return get_exercise(exercise_id)
    except UnknownExercise:
        raise NotebookUsageError(f"unknown exercise {exercise_id!r}; the exercises are "
                                 f"{', '.join(exercise_ids())}") from None


@magics_class
class GradeMagics(Magics):
    def __init__(self, shell: Any, session: NotebookSession) -> None:
        super().__init__(shell)
        self.session = session

    @line_cell_magic
    def grade(self, line: str, cell: str | None = None) -> None:
        """Grade an exercise in a separate, sandboxed process and show the report (see the module doc)."""
        try:
            self._grade(line, cell)
        except NotebookUsageError as exc:
            raise IPythonUsageError(str(exc)) from None
        except KeyboardInterrupt:
            print("Grading interrupted; run %grade again when you are ready.")

    def _grade(self, line: str, cell: str | None) -> None:
        args = parse(line)
        exercise = _exercise(args.exercise)
        if args.hint is not None:
            self._hint(exercise, args.hint)
            return
        if cell is not None and args.path:
            raise NotebookUsageError("%%grade grades the code of its cell: use %grade EXERCISE --path FILE for a file")
        if cell is None and args.alone:
            raise NotebookUsageError("--alone is for %%grade, the first line of a cell that holds your code")
        request = GradeRequest(exercise=exercise.id, keras=args.keras, timeout_s=args.timeout, memory_mb=args.memory)
        progress = self._progress(exercise.id)
        try:
            if cell is not None:
                count, history = _this_cell(self.shell)
                report = self.session.grade_cell(request, cell=cell, count=count, history=history, alone=args.alone)
            else:
                report = self.session.grade_file(request, path=args.path, user_ns=self.shell.user_ns,
                                                 env=os.environ, cwd=Path.cwd())
        except BaseException:
            if progress is not None:  # no "Grading..." line left behind: the error says what happened
                progress.update({"text/plain": ""}, raw=True)
            raise
        if progress is not None:
            progress.update(report)
        else:
            display(report)

    def _progress(self, exercise_id: str) -> Any:
        """A line that the report replaces, in a notebook (consoles print the report only)."""
        if getattr(self.shell, "kernel", None) is None:
            return None
        from IPython.display import HTML

        return display(HTML(f"<p><em>Grading {exercise_id} in a separate, sandboxed process…</em></p>"),
                       display_id=True)

    def _hint(self, exercise: Any, hint: list[str]) -> None:
        from grader.integrations.jupyter.hints import find_check, hint_view
        from grader.specs.hints_text import hints_for

        check = find_check(exercise, hint[0])
        available = len(hints_for(exercise, check.name))
        if not available:
            print(f"No hints are written for {check.name} yet: the diagnosis in your report names the likely cause.")
            return
        level = self.session.next_hint_level(exercise.id, check.name, level=int(hint[1]) if len(hint) == 2 else None,
                                             available=available)
        display(hint_view(exercise, check.name, level=level, report=self.session.last_reports.get(exercise.id)))

    def record(self, result: Any) -> None:
        """IPython's ``post_run_cell`` event: remember what ran and when (for the freshness check)."""
        count = getattr(result, "execution_count", None)
        source = getattr(getattr(result, "info", None), "raw_cell", None)
        if isinstance(count, int) and isinstance(source, str):
            self.session.record(RanCell(count=count, source=source, finished=time.time()))


def _this_cell(shell: Any) -> tuple[int, list[tuple[int, str]]]:
    """This cell's execution count and the cells run before it (IPython has stored this one already)."""
    raw = list(shell.history_manager.input_hist_raw)
    if raw and raw[-1].lstrip().startswith("%%grade"):
        return len(raw) - 1, list(enumerate(raw[:-1]))
    return shell.execution_count, list(enumerate(raw))


def session_of(shell: Any) -> NotebookSession | None:
    magics = shell.magics_manager.registry.get(GradeMagics.__name__)
    return magics.session if isinstance(magics, GradeMagics) else None


def register(shell: Any) -> NotebookSession:
    """Register the magics on ``shell`` once; start the grading process in the background."""
    session = session_of(shell)
    if session is None:
        import atexit

        session = NotebookSession()
        magics = GradeMagics(shell, session)
        shell.register_magics(magics)
        shell.events.register("post_run_cell", magics.record)
        atexit.register(session.close)
    session.service.start()
    return session
