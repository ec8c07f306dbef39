"""Class analytics of `grade batch`: figures, inline SVG plots, summary.md in words, grades.csv, links
between the summary and the students' pages, and the progress display."""
from __future__ import annotations

import csv
import io
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from grader.core import Options
from grader.integrations.batch import StudentResult, find_submissions, grade_class, slim, summarise, write_outputs
from grader.integrations.progress import BatchProgress
from grader.model import CheckResult, Diagnosis, EquivalentInfo, Excerpt, GradeReport
from grader.report.analytics import class_figures, grades_rows, number, render_summary_html, render_summary_md
from grader.specs import get_exercise
from synthetic_class import make_class

EXERCISE = get_exercise("exercise-03")


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], list[StudentResult]]:
    """12 students (references, a stub, mistakes that repeat), graded once for the module, and their outputs."""
    folder = tmp_path_factory.mktemp("class")
    kinds = make_class(folder, 12, mutants_dir=tmp_path_factory.mktemp("mutants"),
                       mistakes=("missing_c", "W_transposed", "softmax_wrong_axis", "loss_summed"))
    results = grade_class(find_submissions(folder, EXERCISE), EXERCISE, Options(), jobs=2)
    out = tmp_path_factory.mktemp("out")
    write_outputs(summarise(EXERCISE, results), out)
    return out, kinds, results


def test_summary_html_has_the_four_inline_plots_and_nothing_from_the_network(klass):
    out, _, _ = klass
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert page.count("<svg ") >= 4
    for label in ("score distribution", "pass rate of each check", "most common likely causes", "typical failure of"):
        assert f'aria-label="{label}' in page, label
    assert "<script" not in page and "<?xml" not in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no CDN, no remote image or font
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "two inline SVGs share an id"


def test_summary_and_student_pages_link_both_ways(klass):
    out, kinds, _ = klass
    page = (out / "summary.html").read_text(encoding="utf-8")
    for student in kinds:
        assert f'<a href="{student}.html">{student}</a>' in page
        assert '<a href="summary.html">' in (out / f"{student}.html").read_text(encoding="utf-8")


def test_grades_csv_writes_every_number_the_same_way(klass):
    out, kinds, results = klass
    rows = list(csv.reader((out / "grades.csv").open(encoding="utf-8")))
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == sorted(kinds)
    for row in body:
        for cell in row[1:-1]:
            assert re.fullmatch(r"\d+\.\d\d", cell), (row[0], cell)
    by_student = {r.student: r.report for r in results}
    for row in body:
        assert float(row[1]) == pytest.approx(by_student[row[0]].score)
        assert float(row[1]) == pytest.approx(sum(float(x) for x in row[3:-1]))
    assert number(2) == "2.00" and header[-1] == "error"


def test_summary_md_carries_the_same_figures_in_words(klass):
    out, _, results = klass
    md = (out / "summary.md").read_text(encoding="utf-8")
    figures = class_figures(summarise(EXERCISE, results))
    for label, n in figures.histogram:
        if n:
            assert f"- {label} points: {n} students" in md
    for cause in figures.causes:
        assert f"{cause.cause}: {cause.students} student" in md
    assert figures.typical and f"`{figures.typical[0].field}`: {figures.typical[0].students} student" in md
    assert f"Full marks: {sum(r.report.full_marks for r in results)}" in md


def _report(student: str, checks: list[CheckResult]) -> StudentResult:
    report = GradeReport(exercise="exercise-03", title="t", submission=f"{student}.py", checks=tuple(checks),
                         equivalent=EquivalentInfo(source="none"))
    return StudentResult(student, Path(f"{student}.py"), report)


def _failed(name: str, cause: str, err: float = 1.0) -> CheckResult:
    excerpt = Excerpt(indices=((0, 0), (0, 1), (1, 0)), expected=(0.1, 0.2, 0.3), got=(0.1, 0.2 + err, 0.3))
    diagnosis = Diagnosis(field="ht", ok=False, kind="value", message="wrong", likely_cause=cause,
                          max_abs_err=err, worst_index=(0, 1), excerpt=excerpt)
    return CheckResult(name=name, title=name, points=0.0, max_points=1.0, status="failed", message="wrong",
                       diagnoses=(diagnosis,))


def _passed(name: str) -> CheckResult:
    return CheckResult(name=name, title=name, points=1.0, max_points=1.0, status="passed", message="ok")


def test_the_slim_rows_grade_batch_keeps_make_the_same_class_files(klass):
    """What grade batch keeps of each report once its files are written gives the very same figures, grades.csv
    rows and summaries as the whole reports, in a fraction of the memory."""
    _, _, results = klass
    rows = [slim(r) for r in results]
    full, kept = summarise(EXERCISE, results), summarise(EXERCISE, rows)
    assert class_figures(kept) == class_figures(full) and class_figures(full).causes and class_figures(full).typical
    assert grades_rows(kept) == grades_rows(full)
    assert render_summary_md(kept) == render_summary_md(full) and render_summary_html(kept) == render_summary_html(full)
    assert 2 * sum(len(pickle.dumps(r)) for r in rows) < sum(len(pickle.dumps(r)) for r in results)


def test_a_cause_counts_each_student_once_and_the_typical_failure_is_the_median():
    """One student with the same mistake in two checks is one student, not two; the excerpt shown is the
    student with the median largest error (a realistic wrong count would say 3 and 2)."""
    results = [_report("ann", [_failed("forward_tanh", "W is transposed", 0.5), _failed("call_builds", "W is transposed", 0.5)]),
               _report("ben", [_failed("forward_tanh", "W is transposed", 2.0), _passed("call_builds")]),
               _report("cat", [_failed("forward_tanh", "the bias b is not added", 9.0), _passed("call_builds")]),
               _report("dan", [_passed("forward_tanh"), _passed("call_builds")])]
    figures = class_figures(summarise(EXERCISE, results))
    causes = {c.cause: c for c in figures.causes}
    assert causes["W is transposed"].students == 2 and causes["the bias b is not added"].students == 1
    assert causes["W is transposed"].checks == ("forward_tanh", "call_builds")
    typical = figures.typical[0]
    assert (typical.check, typical.field, typical.students) == ("forward_tanh", "ht", 3)
    assert typical.student == "ben" and typical.median_abs_err == 2.0 and typical.worst == 1
    assert typical.cause == "W is transposed"
    assert dict(figures.histogram)["0"] == 1 and len(figures.histogram) == int(figures.histogram[-1][0]) + 1


def test_a_student_who_was_not_graded_is_a_row_of_zeros_with_the_reason():
    summary = summarise(EXERCISE, [StudentResult("zoe", Path("zoe.ipynb"), None, error="cannot read notebook")])
    (row,) = grades_rows(summary)
    assert row[0] == "zoe" and row[1] == "0.00" and row[-1] == "cannot read notebook"
    assert class_figures(summary).graded == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_with_rate_and_eta_on_a_terminal_and_plain_lines_elsewhere():
    terminal, log = _Terminal(), io.StringIO()
    with BatchProgress(3, stream=terminal) as bar:
        for k in range(3):
            bar.step(f"s{k}", "18/18", notable=k == 1)
    text = terminal.getvalue()
    assert "3/3" in text and "submissions/s" in text and "<" in text and "\r" in text  # tqdm: rate and ETA
    assert "s1: 18/18\n" in text and "s0: 18/18" not in text  # only notable outcomes print a line
    with BatchProgress(2, stream=log) as plain:
        plain.step("ann", "18/18")
        plain.step("ben", "not graded: cannot read notebook", notable=True)
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and len(lines) == 2
    assert lines[0].startswith("[1/2] ann: 18/18  (") and "submissions/s, ETA " in lines[0]
    assert lines[1].startswith("[2/2] ben: not graded") and lines[1].endswith("ETA 00:00)")


def test_batch_imports_neither_matplotlib_nor_tqdm_until_it_needs_them():
    code = ("import sys, grader.cli, grader.integrations.batch, grader.report.analytics; "
            "print(sorted(m for m in ('matplotlib', 'tqdm') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr
