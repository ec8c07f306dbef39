"""Class analytics for ``grade batch``: the figures of a class (score distribution, each check's pass rate,
the likely causes that affected most students, a typical failure of an array-valued check) and the pages
that show them: ``summary.html`` (inline SVG from :mod:`grader.report.plots`), ``summary.md`` (the same
figures in words), ``grades.csv`` rows, and the per-student pages that link back to the summary.

Pure functions over a :class:`grader.integrations.batch.ClassSummary`; nothing here grades.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence
from urllib.parse import quote

from grader.i18n import LANGUAGES, Translator, translator
from grader.model import CheckResult, Diagnosis, GradeReport
from grader.report.render import render_html, template

if TYPE_CHECKING:
    from grader.integrations.batch import ClassSummary

TOP_CAUSES = 8
MAX_BINS = 20


@dataclass(frozen=True)
class CauseCount:
    cause: str
    checks: tuple[str, ...]  # the checks whose diagnosis named it, most students first
    students: int  # how many students it affected (once per student, however many checks)


@dataclass(frozen=True)
class TypicalFailure:
    """One student's excerpt that stands for the most common value failure of an array-valued check."""

    check: str
    title: str
    field: str
    cause: str
    students: int  # students whose value of this field was wrong
    student: str  # whose excerpt is shown: the median by largest error
    median_abs_err: float
    labels: tuple[str, ...]
    expected: tuple[float, ...]
    got: tuple[float, ...]
    worst: int  # position of the worst element in the excerpt


@dataclass(frozen=True)
class ClassFigures:
    students: int
    graded: int
    histogram: tuple[tuple[str, int], ...]  # (score bin, students), low to high
    pass_rates: tuple[tuple[str, int, int], ...]  # (check title, passed, graded), in the exercise's order
    causes: tuple[CauseCount, ...]  # most students first
    typical: tuple[TypicalFailure, ...]


def number(value: float) -> str:
    """Every number of ``grades.csv`` and the summaries is written the same way: two decimals."""
    return f"{value:.2f}"


def _histogram(scores: Sequence[float], max_score: float) -> tuple[tuple[str, int], ...]:
    if not scores:
        return ()
    whole = all(float(s).is_integer() for s in scores) and float(max_score).is_integer()
    if whole and max_score + 1 <= MAX_BINS + 1:
        counts = Counter(int(s) for s in scores)
        return tuple((f"{v}", counts.get(v, 0)) for v in range(int(max_score) + 1))
    width = max_score / MAX_BINS if max_score > 0 else 1.0
    counts = Counter(min(int(s / width), MAX_BINS - 1) for s in scores)
    return tuple((f"{i * width:g}–{(i + 1) * width:g}", counts.get(i, 0)) for i in range(MAX_BINS))


def _cause_of(result: CheckResult) -> str:
    for diagnosis in result.diagnoses:
        if not diagnosis.ok and diagnosis.likely_cause:
            return diagnosis.likely_cause.rstrip(".")
    for lang in LANGUAGES:  # an explainer's "Likely cause: ..." sentence, in the report's language
        before, _, after = translator(lang)._("Likely cause: %(cause)s.", cause="\0").partition("\0")
        if before in result.message:
            end = ". " if after == "." else after  # "np.clip" has a period too
            return result.message.split(before, 1)[1].split(end)[0].rstrip(".")
    return ""


def _causes(reports: Sequence[GradeReport]) -> tuple[CauseCount, ...]:
    students: Counter[str] = Counter()
    checks: dict[str, Counter[str]] = defaultdict(Counter)
    for report in reports:
        seen: set[str] = set()
        for check in report.checks:
            if not check.passed and (cause := _cause_of(check)):
                seen.add(cause)
                checks[cause][check.name] += 1
        students.update(seen)
    ranked = sorted(students.items(), key=lambda item: (-item[1], item[0]))
    return tuple(CauseCount(cause, tuple(name for name, _ in checks[cause].most_common()), n)
                 for cause, n in ranked[:TOP_CAUSES])


def _value_failure(result: CheckResult) -> Diagnosis | None:
    for diagnosis in result.diagnoses:
        if not diagnosis.ok and diagnosis.kind == "value" and diagnosis.excerpt is not None \
                and len(diagnosis.excerpt.expected) > 1:
            return diagnosis
    return None


def _typical(results: Sequence[tuple[str, GradeReport]]) -> tuple[TypicalFailure, ...]:
    groups: dict[tuple[str, str], list[tuple[str, CheckResult, Diagnosis]]] = defaultdict(list)
    for student, report in results:
        for check in report.checks:
            if not check.passed and (diagnosis := _value_failure(check)) is not None:
                groups[(check.name, diagnosis.field)].append((student, check, diagnosis))
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))[:2]
    out = []
    for (name, field), failures in ranked:
        failures.sort(key=lambda f: (f[2].max_abs_err or 0.0, f[0]))
        student, check, diagnosis = failures[len(failures) // 2]
        excerpt = diagnosis.excerpt
        assert excerpt is not None
        labels = tuple(str(tuple(i)) if len(i) > 1 else str(i[0]) for i in excerpt.indices)
        worst = next((k for k, i in enumerate(excerpt.indices) if tuple(i) == diagnosis.worst_index), -1)
        causes = Counter(d.likely_cause for _, _, d in failures if d.likely_cause)
        out.append(TypicalFailure(check=name, title=check.title, field=field,
                                  cause=causes.most_common(1)[0][0].rstrip(".") if causes else "",
                                  students=len(failures), student=student,
                                  median_abs_err=statistics.median(f[2].max_abs_err or 0.0 for f in failures),
                                  labels=labels, expected=tuple(excerpt.expected), got=tuple(excerpt.got),
                                  worst=worst))
    return tuple(out)


def class_figures(summary: ClassSummary) -> ClassFigures:
    graded = [(r.student, r.report) for r in summary.results if r.report is not None]
    reports = [report for _, report in graded]
    return ClassFigures(students=len(summary.results), graded=len(graded),
                        histogram=_histogram([r.score for r in reports], summary.max_score),
                        pass_rates=tuple((c.title, c.passed, c.graded) for c in summary.checks),
                        causes=_causes(reports), typical=_typical(graded))


def plots_svg(figures: ClassFigures, *, max_score: float, tr: Translator | None = None) -> dict[str, str]:
    """The inline SVG of each figure (matplotlib is imported here, lazily)."""
    from grader.report import plots

    svg = {}
    if figures.histogram:
        svg["histogram"] = plots.score_histogram(figures.histogram, max_score=max_score, tr=tr)
    if figures.pass_rates:
        svg["pass_rates"] = plots.pass_rates(figures.pass_rates, tr=tr)
    if figures.causes:
        svg["causes"] = plots.common_causes([(c.cause, _checks_text(c.checks), c.students) for c in figures.causes],
                                            students=figures.graded, tr=tr)
    for k, t in enumerate(figures.typical):
        svg[f"typical{k}"] = plots.typical_failure(t.expected, t.got, t.labels, field=t.field, worst=t.worst,
                                                   salt=f"typical{k}", tr=tr)
    return svg


def _checks_text(names: Sequence[str]) -> str:
    return ", ".join(names[:2]) + (f" +{len(names) - 2}" if len(names) > 2 else "")


def student_href(student: str) -> str:
    return quote(f"{student}.html")


def render_summary_html(summary: ClassSummary, *, figures: ClassFigures | None = None,
                        tr: Translator | None = None) -> str:
    figures = figures or class_figures(summary)
    return template("class_summary.html.j2", html=True, tr=tr).render(
        s=summary, f=figures, svg=plots_svg(figures, max_score=summary.max_score, tr=tr), href=student_href, num=number,
        checks_text=_checks_text)


def render_summary_md(summary: ClassSummary, *, figures: ClassFigures | None = None,
                      tr: Translator | None = None) -> str:
    return template("class_summary.md.j2", tr=tr).render(s=summary, f=figures or class_figures(summary), num=number,
                                                 checks_text=_checks_text)


def render_student_page(report: GradeReport) -> str:
    """A student's HTML report with a link back to the class summary (the summary links to it)."""
    back = '<nav class="rg-back"><a href="summary.html">&larr; Class summary</a></nav>'
    return render_html(report).replace("<body>", f"<body>\n{back}", 1)


def grades_header(summary: ClassSummary) -> list[str]:
    return ["student", "score", "max_score", *[c.name for c in summary.checks], "error"]


def grades_rows(summary: ClassSummary) -> list[list[str]]:
    """``grades.csv`` rows: every number with :func:`number`; a student who was not graded scores 0.00."""
    rows = []
    for r in summary.results:
        points = {c.name: c.points for c in r.report.checks} if r.report else {}
        rows.append([r.student, number(r.report.score if r.report else 0.0), number(summary.max_score),
                     *[number(points.get(c.name, 0.0)) for c in summary.checks], r.error])
    return rows
