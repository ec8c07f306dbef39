"""The ``grade`` command: a thin caller of :func:`grader.core.grade`.

Exit codes (EXERCISES.md): 0 full marks, 1 not full marks, 2 usage error.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Sequence

from grader.core import Options, grade
from grader.errors import SubmissionError, UsageError
from grader.i18n import Translator, translator
from grader.parsing import Parser, add_lang, lang_option
from grader.report.render import render_html, render_json, render_terminal
from grader.spec import ChildLimits
from grader.keys.load import UnknownExercise, exercise_ids, get_exercise

USAGE = """grade exercise-NN [--path FILE] [--json OUT] [--html OUT] [--markdown OUT] [--keras {stored,live,off}] [--lang {en,zh}]
                   [--sandbox {auto,required,off}]
       grade list
       grade key build [--check] [EXERCISE ...]
       grade release OUT_DIR [--force]
       grade selfcheck [--keras {stored,live}] [--reports DIR]
       grade batch exercise-NN SUBMISSIONS_DIR --out DIR [--jobs N] [--hidden-seed N] [--sandbox {required,auto,off}]
                   [--lang {en,zh}]
       grade nbgrader init COURSE_DIR [--course-id ID] [--exercise ID ...] [--force] [--lang {en,zh}]
       grade nbgrader verify COURSE_DIR ASSIGNMENT [--student ID ...]
       grade gradescope exercise-NN --out autograder.zip [--hidden-seed N] [--memory MB] [--sandbox MODE] [--lang {en,zh}]
       grade classroom exercise-NN --out DIR [--force]"""


def usage(tr: Translator) -> str:
    """The command's usage lines, under a translated heading."""
    return tr._("usage: ") + USAGE


def _exercise_parser(tr: Translator) -> Parser:
    p = Parser(tr=tr, prog="grade", usage=USAGE, description=tr._("Grade one exercise of the RNN chapter."))
    p.add_argument("exercise")
    p.add_argument("--path", type=Path, help=tr._("the .py file or .ipynb notebook to grade (default: "
                                                 "exercises/exercise_NN_*.py under the current directory)"))
    p.add_argument("--json", type=Path, metavar="OUT", help=tr._("write the Gradescope-layout results.json here"))
    p.add_argument("--html", type=Path, metavar="OUT", help=tr._("write an HTML report here"))
    p.add_argument("--markdown", type=Path, metavar="OUT", help=tr._("write a Markdown report here"))
    p.add_argument("--keras", choices=("stored", "live", "off"), default="stored",
                   help=tr._("independent Keras/TensorFlow values: stored with the project (fast), recomputed "
                             "live, or off"))
    p.add_argument("--timeout", type=float, help=tr._("seconds allowed per check (default: the exercise's)"))
    p.add_argument("--memory", type=int, metavar="MB", help=tr._("memory limit of the student process in MiB"))
    p.add_argument("--sandbox", choices=("auto", "required", "off"), default="auto",
                   help=tr._("run the code in the bubblewrap sandbox: where available (auto, the default), always "
                             "(required: exit 2 without it) or never (off: process isolation only)"))
    p.add_argument("--no-color", action="store_true", help=tr._("no colours in the terminal report"))
    add_lang(p, tr)
    return p


def default_path(exercise_id: str, cwd: Path, *, tr: Translator | None = None) -> Path:
    pattern = get_exercise(exercise_id).module_glob
    found = sorted((cwd / "exercises").glob(pattern))
    if not found:
        raise UsageError((tr or translator())._("no file matches exercises/%(pattern)s under %(folder)s; pass "
                                                "--path FILE", pattern=pattern, folder=cwd))
    return found[0]


def unknown_exercise(exercise_id: str, tr: Translator) -> UsageError:
    return UsageError(tr._("unknown exercise %(exercise)s; `grade list` shows the exercises",
                           exercise=repr(exercise_id)))


def run_exercise(argv: Sequence[str], *, tr: Translator | None = None) -> int:
    tr = tr or translator()
    args = _exercise_parser(tr).parse_args(argv)
    try:
        exercise = get_exercise(args.exercise)
    except UnknownExercise:
        raise unknown_exercise(args.exercise, tr) from None
    path = args.path or default_path(args.exercise, Path.cwd(), tr=tr)
    if not path.is_file():
        raise UsageError(tr._("no such file: %(path)s", path=path))
    options = Options(keras=args.keras, timeout_s=args.timeout, memory_mb=args.memory, lang=tr.lang,
                      sandbox=args.sandbox)
    try:
        report = grade(path, exercise, options)
    except SubmissionError as exc:
        raise UsageError(str(exc)) from None
    for target, text in ((args.json, render_json), (args.html, render_html)):
        if target is not None:
            target.write_text(text(report, tr=tr), encoding="utf-8")
    if args.markdown is not None:
        from grader.report.render import render_markdown

        args.markdown.write_text(render_markdown(report, tr=tr), encoding="utf-8")
    color = sys.stdout.isatty() and not args.no_color
    sys.stdout.write(render_terminal(report, color=color, tr=tr))
    return 0 if report.full_marks else 1


def run_list(*, tr: Translator | None = None) -> int:
    tr = tr or translator()
    for exercise_id in exercise_ids():
        exercise = get_exercise(exercise_id)
        total = sum(c.points for c in exercise.checks)
        print(tr._("%(exercise)s  %(title)s  (%(checks)s checks, %(points)s points; limits: %(limits)s)",
                   exercise=exercise.id, title=tr.text(exercise.title), checks=len(exercise.checks),
                   points=format(total, "g"), limits=_limits_text(exercise.limits, tr)))
    return 0


def _limits_text(limits: ChildLimits, tr: Translator) -> str:
    """An exercise's limits in words (``ChildLimits.describe`` in ``tr``'s language)."""
    if limits.tensorflow:
        return tr._("%(timeout)s s per check, %(memory)s MiB, %(total)s s in all, with TensorFlow",
                    timeout=format(limits.timeout_s, "g"), memory=limits.memory_mb, total=format(limits.total_s, "g"))
    return tr._("%(timeout)s s per check, %(memory)s MiB, %(total)s s in all", timeout=format(limits.timeout_s, "g"),
                memory=limits.memory_mb, total=format(limits.total_s, "g"))


def _run_batch(argv: Sequence[str], tr: Translator) -> int:
    from grader.integrations.batch import run_batch

    def lookup(exercise_id: str):  # noqa: ANN202 - returns an Exercise
        try:
            return get_exercise(exercise_id)
        except UnknownExercise:
            raise unknown_exercise(exercise_id, tr) from None

    try:
        return run_batch(argv, lookup, tr=tr)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise UsageError(str(exc)) from None


def _run_platform(argv: Sequence[str], tr: Translator) -> int:
    """``grade gradescope ...`` and ``grade classroom ...`` (grader/integrations/)."""
    if argv[0] == "gradescope":
        from grader.integrations.gradescope.bundle import run_gradescope as run
    else:
        from grader.integrations.classroom.workflow import run_classroom as run

    def lookup(exercise_id: str):  # noqa: ANN202 - returns an Exercise
        try:
            return get_exercise(exercise_id)
        except UnknownExercise:
            raise unknown_exercise(exercise_id, tr) from None

    try:
        return run(argv[1:], lookup)
    except OSError as exc:  # an unwritable --out, a full disk: one line, nothing half-written
        raise UsageError(f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    tr = translator()
    try:
        tr = translator(lang_option(argv, os.environ))
        if not argv or argv[0] in ("-h", "--help"):
            print(usage(tr))
            return 0 if argv else 2
        if argv[0] == "list":
            return run_list(tr=tr)
        if argv[0] == "selfcheck":
            from grader.selfcheck import run_selfcheck

            return run_selfcheck(argv[1:])
        if argv[0] == "key":
            from grader.keys.commands import run_key

            return run_key(argv[1:])
        if argv[0] == "release":
            from grader.release import run_release

            return run_release(argv[1:])
        if argv[0] == "batch":
            return _run_batch(argv[1:], tr)
        if argv[0] in ("gradescope", "classroom"):
            return _run_platform(argv, tr)
        if argv[0] == "nbgrader":
            from grader.integrations.nbgrader.commands import run_nbgrader

            return run_nbgrader(argv[1:], tr=tr)
        return run_exercise(argv, tr=tr)
    except UsageError as exc:
        print(tr._("grade: error: %(message)s", message=exc), file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:  # a student package leaves out the instructor's commands
        if not (exc.name or "").startswith("grader."):
            raise
        message = f"`grade {argv[0]}` is an instructor command; this student package does not have it"
        print(tr._("grade: error: %(message)s", message=message), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(tr._("grade: interrupted"), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
