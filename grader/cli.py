"""The ``grade`` command: a thin caller of :func:`grader.core.grade`.

Exit codes (EXERCISES.md): 0 full marks, 1 not full marks, 2 usage error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from grader.core import Options, grade
from grader.errors import SubmissionError, UsageError
from grader.report.render import render_html, render_json, render_terminal
from grader.specs import EXERCISE_IDS, UnknownExercise, get_exercise

USAGE = """grade exercise-NN [--path FILE] [--json OUT] [--html OUT] [--markdown OUT] [--keras {stored,live,off}]
       grade list
       grade selfcheck [--keras {stored,live}] [--reports DIR]
       grade batch exercise-NN SUBMISSIONS_DIR --out DIR [--jobs N] [--hidden-seed N]
       grade nbgrader init COURSE_DIR [--course-id ID] [--exercise ID ...] [--force]
       grade nbgrader verify COURSE_DIR ASSIGNMENT [--student ID ...]"""


def _exercise_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="grade", usage=USAGE, description="Grade one exercise of the RNN chapter.")
    p.add_argument("exercise")
    p.add_argument("--path", type=Path, help="the .py file or .ipynb notebook to grade "
                   "(default: exercises/exercise_NN_*.py under the current directory)")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the Gradescope-layout results.json here")
    p.add_argument("--html", type=Path, metavar="OUT", help="write an HTML report here")
    p.add_argument("--markdown", type=Path, metavar="OUT", help="write a Markdown report here")
    p.add_argument("--keras", choices=("stored", "live", "off"), default="stored",
                   help="independent Keras/TensorFlow values: stored with the project (fast), recomputed live, or off")
    p.add_argument("--timeout", type=float, help="seconds allowed per check (default: the exercise's)")
    p.add_argument("--memory", type=int, metavar="MB", help="memory limit of the student process in MiB")
    p.add_argument("--no-color", action="store_true")
    return p


def default_path(exercise_id: str, cwd: Path) -> Path:
    pattern = get_exercise(exercise_id).module_glob
    found = sorted((cwd / "exercises").glob(pattern))
    if not found:
        raise UsageError(f"no file matches exercises/{pattern} under {cwd}; pass --path FILE")
    return found[0]


def run_exercise(argv: Sequence[str]) -> int:
    args = _exercise_parser().parse_args(argv)
    try:
        exercise = get_exercise(args.exercise)
    except UnknownExercise:
        raise UsageError(f"unknown exercise {args.exercise!r}; `grade list` shows the exercises") from None
    path = args.path or default_path(args.exercise, Path.cwd())
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    options = Options(keras=args.keras, timeout_s=args.timeout, memory_mb=args.memory)
    try:
        report = grade(path, exercise, options)
    except SubmissionError as exc:
        raise UsageError(str(exc)) from None
    for target, text in ((args.json, render_json), (args.html, render_html)):
        if target is not None:
            target.write_text(text(report), encoding="utf-8")
    if args.markdown is not None:
        from grader.report.render import render_markdown

        args.markdown.write_text(render_markdown(report), encoding="utf-8")
    color = sys.stdout.isatty() and not args.no_color
    sys.stdout.write(render_terminal(report, color=color))
    return 0 if report.full_marks else 1


def run_list() -> int:
    for exercise_id in EXERCISE_IDS:
        exercise = get_exercise(exercise_id)
        total = sum(c.points for c in exercise.checks)
        print(f"{exercise.id}  {exercise.title}  ({len(exercise.checks)} checks, {total:g} points; "
              f"limits: {exercise.limits.describe()})")
    return 0


def _run_batch(argv: Sequence[str]) -> int:
    from grader.integrations.batch import run_batch

    def lookup(exercise_id: str):  # noqa: ANN202 - returns an Exercise
        try:
            return get_exercise(exercise_id)
        except UnknownExercise:
            raise UsageError(f"unknown exercise {exercise_id!r}; `grade list` shows the exercises") from None

    try:
        return run_batch(argv, lookup)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise UsageError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or argv[0] in ("-h", "--help"):
            print(USAGE)
            return 0 if argv else 2
        if argv[0] == "list":
            return run_list()
        if argv[0] == "selfcheck":
            from grader.selfcheck import run_selfcheck

            return run_selfcheck(argv[1:])
        if argv[0] == "batch":
            return _run_batch(argv[1:])
        if argv[0] == "nbgrader":
            from grader.integrations.nbgrader.commands import run_nbgrader

            return run_nbgrader(argv[1:])
        return run_exercise(argv)
    except UsageError as exc:
        print(f"grade: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("grade: interrupted", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
