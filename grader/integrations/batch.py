"""``grade batch``: grade a whole class directly (without nbgrader) and summarise it.

A thin caller of :func:`grader.core.grade`. Submissions are either files named after the student
(``alice.py``, ``bob.ipynb``) or one folder per student holding the exercise's file.

Students against students: each submission is read once (a regular file, no symbolic link, at most
``MAX_SUBMISSION_BYTES``), copied alone into a private temporary folder, and graded from there, so the
sandbox of one student is handed that student's file and never the class folder. A submission that
cannot be read or graded (a link, a malformed notebook, a crash of the grader on it) becomes that
student's "could not be graded" row, and the batch goes on. The grader writes every output itself,
through :class:`grader.report.files.SafeFolder`, into ``--out``, which must lie outside the class folder.
"""
from __future__ import annotations

import csv
import os
import io
import statistics
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from grader.core import Options, grade, options_translator
from grader.errors import SubmissionError, UsageError
from grader.report.files import SafeFolder, UnsafePath, read_regular_file
from grader.model import GradeReport
from grader.i18n import Translator, translator
from grader.model import CheckResult
from grader.sandbox.job import SandboxUnavailable
from grader.parsing import Parser, add_lang, lang_option
from grader.integrations.progress import BatchProgress
from grader.report.analytics import (class_figures, grades_header, grades_rows, render_student_page,
                                     render_summary_html, render_summary_md)
from grader.report.render import points_text, render_json, template
from grader.spec import Exercise

SUFFIXES = (".py", ".ipynb")
MAX_SUBMISSION_BYTES = 8 * 2**20
CLASS_FILES = ("grades.csv", "summary.md", "summary.html")


@dataclass(frozen=True)
class StudentResult:
    student: str
    path: Path
    report: GradeReport | None
    error: str = ""


@dataclass(frozen=True)
class CheckStats:
    name: str
    title: str
    max_points: float
    passed: int
    graded: int
    common_causes: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ClassSummary:
    exercise: str
    title: str
    max_score: float
    results: tuple[StudentResult, ...]
    checks: tuple[CheckStats, ...]
    mean: float
    median: float
    minimum: float
    maximum: float
    full_marks: int
    not_importable: tuple[str, ...]


def find_submissions(directory: Path, exercise: Exercise) -> list[tuple[str, Path]]:
    """``[(student, file)]``: files named after students, or one folder per student.

    A symbolic link is listed too (it becomes a "could not be graded" row), but never followed here.
    """
    found = []
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            if entry.suffix in SUFFIXES or not entry.suffix:
                found.append((entry.stem, entry))
        elif entry.is_file() and entry.suffix in SUFFIXES:
            found.append((entry.stem, entry))
        elif entry.is_dir():
            inner = entry / "exercises"  # a student's repository (GitHub Classroom); never through a link
            files = sorted(entry.glob(exercise.module_glob)) or (
                sorted(inner.glob(exercise.module_glob)) if inner.is_dir() and not inner.is_symlink() else []) or sorted(
                p for p in entry.iterdir() if p.suffix in SUFFIXES and p.is_file())
            if files:
                found.append((entry.name, files[0]))
    return found


def _cause(check: CheckResult) -> str:
    """The likely cause the check's sentence names (that of its first failed diagnosis), in any language."""
    return next((d.likely_cause.rstrip(".") for d in check.diagnoses if not d.ok and d.likely_cause), "")


def summarise(exercise: Exercise, results: Sequence[StudentResult], *, tr: Translator | None = None) -> ClassSummary:
    """Class statistics: score distribution, per-check pass rate and the most common causes."""
    tr = tr or translator()
    not_imported = tr._("Your module could not be imported. %(error)s", error="").strip()
    reports = [r.report for r in results if r.report is not None]
    scores = [r.score for r in reports] or [0.0]
    checks = []
    for check in exercise.checks:
        outcomes = [c for rep in reports for c in rep.checks if c.name == check.name]
        causes = Counter(filter(None, (_cause(c) for c in outcomes if not c.passed)))
        checks.append(CheckStats(check.name, tr.text(check.title), check.points, sum(c.passed for c in outcomes),
                                 len(outcomes), tuple(causes.most_common(3))))
    return ClassSummary(exercise=exercise.id, title=tr.text(exercise.title), max_score=sum(c.points for c in exercise.checks),
                        results=tuple(results), checks=tuple(checks), mean=statistics.fmean(scores),
                        median=statistics.median(scores), minimum=min(scores), maximum=max(scores),
                        full_marks=sum(r.full_marks for r in reports),
                        not_importable=tuple(r.student for r in results if r.report is not None and r.report.checks
                                             and r.report.checks[0].message.startswith(not_imported)))


def grade_one(student: str, path: Path, exercise: Exercise, options: Options) -> StudentResult:
    """Grade a private copy of one student's file; anything that goes wrong becomes that student's row."""
    with tempfile.TemporaryDirectory(prefix="rnn-grader-student-") as tmp:
        copy = Path(tmp) / path.name
        try:
            copy.write_bytes(read_regular_file(path, limit=MAX_SUBMISSION_BYTES))
            report = grade(copy, exercise, options)
        except SandboxUnavailable:  # --sandbox required and no sandbox: the whole batch stops (exit 2), no rows
            raise
        except (SubmissionError, UnsafePath) as exc:
            return StudentResult(student, path, None, error=str(exc).replace(str(copy), str(path)))
        except Exception as exc:  # noqa: BLE001 - one student's submission must never stop the class
            error = options_translator(options)._("the grader failed on this submission (%(type)s: %(error)s)",
                                                  type=type(exc).__name__,
                                                  error=str(exc).replace(str(copy), str(path)))
            return StudentResult(student, path, None, error=error)
    return StudentResult(student, path, replace(report, submission=str(path)))


def grade_class(submissions: Sequence[tuple[str, Path]], exercise: Exercise, options: Options, *,
                jobs: int = 1, progress: Callable[[StudentResult, int, int], StudentResult | None] | None = None
                ) -> list[StudentResult]:
    """Every student's result, in order; ``progress`` sees each as it ends and may return what to keep of it."""

    def one(item: tuple[str, Path]) -> StudentResult:
        return grade_one(item[0], item[1], exercise=exercise, options=options)

    results: list[StudentResult] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for result in pool.map(one, submissions):
            kept = progress(result, len(results) + 1, len(submissions)) if progress is not None else None
            results.append(kept if isinstance(kept, StudentResult) else result)
    return results


def _cell(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (student names come from file names)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def grades_csv(summary: ClassSummary) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(grades_header(summary))
    for student, *numbers, error in grades_rows(summary):
        writer.writerow([_cell(student), *numbers, _cell(error)])
    return buffer.getvalue()


def _report_names(student: str) -> list[str]:
    return [f"{student}.html", f"{student}.json"]


class ReportWriter:
    """Writes each student's report files as that student's grading ends, through one :class:`SafeFolder`.

    Every name that may be written (the class files, each student's two reports) is checked for planted
    links and special files before anything is written. A student whose report names clash with the class
    files or with an earlier student's (``summary.py``, or ``alice.py`` next to ``alice/``) keeps their row
    in ``grades.csv`` but gets no report files; :attr:`warnings` says so.
    """

    def __init__(self, folder: SafeFolder, students: Sequence[str]) -> None:
        self.folder, self.warnings = folder, []
        folder.preflight(list(CLASS_FILES))
        folder.refuse_special([name for student in students for name in _report_names(student)])

    def write(self, result: StudentResult) -> None:
        if result.report is None:
            return
        names = _report_names(result.student)
        taken = [name for name in names if self.folder.is_claimed(name)]
        if taken:
            self.warnings.append(f"{result.student}: no report files written ({', '.join(taken)} is taken by the "
                                 "class files or another submission of that name); the row in grades.csv stands")
            return
        self.folder.write_text(names[0], render_student_page(result.report))
        self.folder.write_text(names[1], render_json(result.report))

    def finish(self, summary: ClassSummary, *, tr: Translator | None = None) -> None:
        self.folder.write_text("grades.csv", grades_csv(summary), claimed=True)
        figures = class_figures(summary)
        self.folder.write_text("summary.md", render_summary_md(summary, figures=figures, tr=tr), claimed=True)
        self.folder.write_text("summary.html", render_summary_html(summary, figures=figures, tr=tr), claimed=True)


def write_outputs(summary: ClassSummary, out: Path, *, tr: Translator | None = None) -> list[str]:
    """Every output of a class graded already (``grade batch`` itself writes each report as it goes)."""
    with SafeFolder(out) as folder:
        writer = ReportWriter(folder, [r.student for r in summary.results])
        for result in summary.results:
            writer.write(result)
        writer.finish(summary, tr=tr)
    return writer.warnings


def slim(result: StudentResult) -> StudentResult:
    """What the class files need of a report once its own files are written: points, statuses, the likely
    cause and the value excerpt that the analytics count; messages only where they carry the cause."""
    report = result.report
    if report is None:
        return result

    def keep(check: CheckResult) -> CheckResult:
        cause = next((d for d in check.diagnoses if not d.ok and d.likely_cause), None)
        value = next((d for d in check.diagnoses if not d.ok and d.kind == "value" and d.excerpt is not None), None)
        diagnoses = tuple(replace(d, message="") for d in dict.fromkeys(d for d in (cause, value) if d is not None))
        return replace(check, diagnoses=diagnoses, message="" if cause else check.message)

    return replace(result, report=replace(report, checks=tuple(keep(c) for c in report.checks), notes=()))


def check_folders(submissions: Path, out: Path) -> None:
    """The output folder must not be reachable through the class folder, nor hold it."""
    sub, dest = submissions.resolve(), out.resolve()
    if dest == sub or sub in dest.parents:
        raise UsageError(f"the output folder {out} is inside the submissions folder {submissions}; "
                         "write the reports somewhere students' files are not")
    if dest in sub.parents:
        raise UsageError(f"the submissions folder {submissions} is inside the output folder {out}")


def _progress_step(progress: BatchProgress, tr: Translator) -> Callable[[StudentResult, int, int], None]:
    def step(result: StudentResult, done: int, total: int) -> None:
        report = result.report
        outcome = (f"{points_text(report.score)}/{points_text(report.max_score)}" if report
                   else tr._("not graded: %(error)s", error=result.error))
        progress.step(result.student, outcome, notable=report is None)
    return step


def run_batch(argv: Sequence[str], exercise_lookup: Callable[[str], Exercise], *, tr: Translator | None = None) -> int:
    tr = tr or translator(lang_option(argv, os.environ))
    parser = Parser(tr=tr, prog="grade batch",
                    description=tr._("Grade a whole class directly (without nbgrader) and summarise it."))
    parser.add_argument("exercise")
    parser.add_argument("submissions", type=Path,
                        help=tr._("a folder of <student>.py/.ipynb files or <student>/ folders"))
    parser.add_argument("--out", type=Path, required=True,
                        help=tr._("where to write per-student reports and the summary"))
    parser.add_argument("--jobs", type=int, default=1, help=tr._("submissions graded at once (default 1)"))
    parser.add_argument("--keras", choices=("stored", "off"), default="stored",
                        help=tr._("independent Keras/TensorFlow values: stored with the project, or off"))
    parser.add_argument("--hidden-seed", type=int, help=tr._("also grade hidden cases derived from this secret"))
    parser.add_argument("--sandbox", choices=("required", "auto", "off"), default="required",
                        help=tr._("the bubblewrap sandbox for every student: required (the default: exit 2 without "
                                  "it), auto (fall back to process isolation) or off"))
    add_lang(parser, tr)
    args = parser.parse_args(argv)
    exercise = exercise_lookup(args.exercise)
    if not args.submissions.is_dir():
        raise NotADirectoryError(tr._("no such folder: %(path)s", path=args.submissions))
    check_folders(args.submissions, args.out)
    submissions = find_submissions(args.submissions, exercise)
    if not submissions:
        raise FileNotFoundError(tr._("no .py or .ipynb submissions in %(path)s", path=args.submissions))
    options = Options(keras=args.keras, hidden_secret=args.hidden_seed, lang=tr.lang, sandbox=args.sandbox)
    from grader.sandbox.preflight import require_sandbox

    require_sandbox(args.sandbox, tr=tr)  # before any student is graded: exit 2 and one line, not a row each
    from grader.report.plots import prewarm

    prewarm()  # the summary's plots need matplotlib: import it while the children grade
    try:
        with SafeFolder(args.out) as folder:
            writer = ReportWriter(folder, [student for student, _ in submissions])
            with BatchProgress(len(submissions), stream=sys.stderr) as progress:
                shown = _progress_step(progress, tr)

                def done(result: StudentResult, count: int, total: int) -> StudentResult:
                    writer.write(result)  # this student's files now; only a slim row stays for the class files
                    shown(result, count, total)
                    return slim(result)

                results = grade_class(submissions, exercise, options, jobs=args.jobs, progress=done)
            summary = summarise(exercise, results, tr=tr)
            writer.finish(summary, tr=tr)
    except UnsafePath as exc:
        raise UsageError(str(exc)) from None
    for warning in writer.warnings:
        print(f"grade batch: {warning}", file=sys.stderr)
    print(template("class_summary.txt.j2", tr=tr).render(s=summary), end="")
    print(tr._("Reports: %(out)s/<student>.html, grades.csv, summary.md, summary.html", out=args.out))
    return 0
