"""``grade batch``: grade a whole class directly (without nbgrader) and summarise it.

A thin caller of :func:`grader.core.grade`. Submissions are either files named after the student
(``alice.py``, ``bob.ipynb``) or one folder per student holding the exercise's file.
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from grader.core import Options, grade
from grader.errors import SubmissionError
from grader.model import GradeReport
from grader.report.render import points_text, render_html, render_json, template
from grader.spec import Exercise

SUFFIXES = (".py", ".ipynb")


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
    """``[(student, file)]``: files named after students, or one folder per student."""
    found = []
    for entry in sorted(directory.iterdir()):
        if entry.is_file() and entry.suffix in SUFFIXES:
            found.append((entry.stem, entry))
        elif entry.is_dir() and not entry.name.startswith("."):
            files = sorted(entry.glob(exercise.module_glob)) or sorted(
                p for p in entry.iterdir() if p.suffix in SUFFIXES and p.is_file())
            if files:
                found.append((entry.name, files[0]))
    return found


def _cause(message: str) -> str:
    return message.split("Likely cause: ", 1)[1].split(". ")[0].rstrip(".") if "Likely cause: " in message else ""


def summarise(exercise: Exercise, results: Sequence[StudentResult]) -> ClassSummary:
    """Class statistics: score distribution, per-check pass rate and the most common causes."""
    reports = [r.report for r in results if r.report is not None]
    scores = [r.score for r in reports] or [0.0]
    checks = []
    for check in exercise.checks:
        outcomes = [c for rep in reports for c in rep.checks if c.name == check.name]
        causes = Counter(filter(None, (_cause(c.message) for c in outcomes if not c.passed)))
        checks.append(CheckStats(check.name, check.title, check.points, sum(c.passed for c in outcomes),
                                 len(outcomes), tuple(causes.most_common(3))))
    return ClassSummary(exercise=exercise.id, title=exercise.title, max_score=sum(c.points for c in exercise.checks),
                        results=tuple(results), checks=tuple(checks), mean=statistics.fmean(scores),
                        median=statistics.median(scores), minimum=min(scores), maximum=max(scores),
                        full_marks=sum(r.full_marks for r in reports),
                        not_importable=tuple(r.student for r in results if r.report is not None and r.report.checks
                                             and r.report.checks[0].message.startswith("Your module could not be imported")))


def grade_class(submissions: Sequence[tuple[str, Path]], exercise: Exercise, options: Options, *,
                jobs: int = 1, progress: Callable[[StudentResult, int, int], None] | None = None) -> list[StudentResult]:
    def one(item: tuple[str, Path]) -> StudentResult:
        student, path = item
        try:
            return StudentResult(student, path, grade(path, exercise, options))
        except SubmissionError as exc:
            return StudentResult(student, path, None, error=str(exc))

    results: list[StudentResult] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for result in pool.map(one, submissions):
            results.append(result)
            if progress is not None:
                progress(result, len(results), len(submissions))
    return results


def write_outputs(summary: ClassSummary, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for result in summary.results:
        if result.report is not None:
            (out / f"{result.student}.html").write_text(render_html(result.report), encoding="utf-8")
            (out / f"{result.student}.json").write_text(render_json(result.report), encoding="utf-8")
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "score", "max_score", *[c.name for c in summary.checks], "error"])
        for r in summary.results:
            points = {c.name: c.points for c in r.report.checks} if r.report else {}
            writer.writerow([r.student, r.report.score if r.report else 0, summary.max_score,
                             *[points.get(c.name, 0) for c in summary.checks], r.error])
    (out / "summary.md").write_text(template("class_summary.md.j2").render(s=summary), encoding="utf-8")
    (out / "summary.html").write_text(template("class_summary.html.j2", html=True).render(s=summary), encoding="utf-8")


def _print_progress(result: StudentResult, done: int, total: int) -> None:
    score = (f"{points_text(result.report.score)}/{points_text(result.report.max_score)}" if result.report
             else f"not graded: {result.error}")
    print(f"[{done}/{total}] {result.student}: {score}", file=sys.stderr, flush=True)


def run_batch(argv: Sequence[str], exercise_lookup: Callable[[str], Exercise]) -> int:
    parser = argparse.ArgumentParser(prog="grade batch", description=__doc__)
    parser.add_argument("exercise")
    parser.add_argument("submissions", type=Path, help="a folder of <student>.py/.ipynb files or <student>/ folders")
    parser.add_argument("--out", type=Path, required=True, help="where to write per-student reports and the summary")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at once (default 1)")
    parser.add_argument("--keras", choices=("stored", "off"), default="stored")
    parser.add_argument("--hidden-seed", type=int, help="also grade hidden cases derived from this secret")
    args = parser.parse_args(argv)
    exercise = exercise_lookup(args.exercise)
    if not args.submissions.is_dir():
        raise NotADirectoryError(f"no such folder: {args.submissions}")
    submissions = find_submissions(args.submissions, exercise)
    if not submissions:
        raise FileNotFoundError(f"no .py or .ipynb submissions in {args.submissions}")
    options = Options(keras=args.keras, hidden_secret=args.hidden_seed)
    results = grade_class(submissions, exercise, options, jobs=args.jobs, progress=_print_progress)
    summary = summarise(exercise, results)
    write_outputs(summary, args.out)
    print(template("class_summary.txt.j2").render(s=summary), end="")
    print(f"Reports: {args.out}/<student>.html, grades.csv, summary.md, summary.html")
    return 0
