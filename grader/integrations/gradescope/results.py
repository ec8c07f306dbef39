"""Gradescope's ``results.json``, in its full schema, from a :class:`GradeReport` (a pure function).

Top level: ``score``, ``execution_time``, ``output`` + ``output_format``, ``test_output_format``,
``test_name_format``, ``visibility``, ``stdout_visibility`` (``hidden``: the grader's log is for the
instructor), ``extra_data`` and ``tests``. Each test: ``name``, ``name_format``, ``number``, ``score``,
``max_score``, ``status``, ``output``, ``output_format``, ``tags`` and ``visibility``. A hidden case is a
test of its own with ``visibility: after_published`` and no points of its own: the points of a check need
its public and its hidden case (as in ``grade batch --hidden-seed``), and the public test carries them.
"""
from __future__ import annotations

import html
from typing import Any, Sequence

from grader.core import merge_hidden
from grader.i18n import Translator, translator
from grader.model import CheckResult, GradeReport
from grader.report.render import points_text

FORMAT = "html"
AFTER_PUBLISHED = "after_published"


def _p(text: str) -> str:
    return "".join(f"<p>{html.escape(part)}</p>" for part in text.split("\n") if part.strip())


def _entry(number: str, check: CheckResult, *, score: float, max_score: float, output: str, hidden: bool) -> dict[str, Any]:
    passed = check.passed and score >= max_score
    return {"name": check.title, "name_format": "text", "number": number, "score": score, "max_score": max_score,
            "status": "passed" if passed else "failed", "output": output, "output_format": FORMAT,
            "tags": [check.name.removesuffix("-hidden"), *(["hidden"] if hidden else [])],
            "visibility": AFTER_PUBLISHED if hidden else "visible"}


def result_tests(report: GradeReport) -> list[dict[str, Any]]:
    """One test per public check (its points need the hidden twin too), then one per hidden case."""
    tr = translator(report.lang)
    merged = {c.name: c for c in merge_hidden(report.checks, tr=tr)}
    public = [c for c in report.checks if not c.hidden]
    hidden = {c.name.removesuffix("-hidden"): c for c in report.checks if c.hidden}
    out = []
    for k, check in enumerate(public, start=1):
        points = merged[check.name].points
        if check.passed and points < check.max_points:
            text = _p(tr._("Passed on the public case. The points of this check also need its hidden case (other "
                           "inputs), whose result is shown when grades are published."))
        else:
            text = _p(tr._("Passed.") if check.passed else check.message)
        out.append(_entry(str(k), check, score=points, max_score=check.max_points, output=text, hidden=False))
    for k, check in enumerate(public, start=1):
        twin = hidden.get(check.name)
        if twin is not None:
            out.append(_entry(f"{k}.h", twin, score=0.0, max_score=0.0, hidden=True,
                              output=_p(tr._("Passed.") if twin.passed else twin.message)))
    return out


def results_document(report: GradeReport, *, seconds: float, sandbox: str, notes: Sequence[str] = ()) -> dict[str, Any]:
    tests = result_tests(report)
    score = round(sum(t["score"] for t in tests), 6)
    total = round(sum(t["max_score"] for t in tests), 6)
    tr = translator(report.lang)
    heading = tr._("%(title)s. Score: %(score)s/%(max)s.", title=report.title, score=points_text(score),
                   max=points_text(total))
    lines = [f"<p><strong>{html.escape(report.exercise)}</strong>: {html.escape(heading)}</p>"]
    lines += [_p(note) for note in (*report.notes, *notes)]
    return {"score": score, "execution_time": round(seconds, 3), "output": "".join(lines), "output_format": FORMAT,
            "test_output_format": FORMAT, "test_name_format": "text", "visibility": "visible",
            "stdout_visibility": "hidden",
            "extra_data": {"exercise": report.exercise, "max_score": total, "sandbox": sandbox,
                           "peak_child_rss_kib": report.peak_child_rss_kib,
                           "equivalent": report.equivalent.source},
            "tests": tests}


def not_graded_document(*, exercise: str, checks: Sequence[tuple[str, str, float]], reason: str,
                        seconds: float) -> dict[str, Any]:
    """The document when nothing could be graded (no file, a wrong file, a crash of the grader itself):
    every public check is listed with 0 points and the reason, so the student sees what was expected."""
    message = _p(reason)
    tests = [{"name": title, "name_format": "text", "number": str(k), "score": 0.0, "max_score": points,
              "status": "failed", "output": message, "output_format": FORMAT, "tags": [name], "visibility": "visible"}
             for k, (name, title, points) in enumerate(checks, start=1)]
    return {"score": 0.0, "execution_time": round(seconds, 3), "output": message, "output_format": FORMAT,
            "test_output_format": FORMAT, "test_name_format": "text", "visibility": "visible",
            "stdout_visibility": "hidden", "extra_data": {"exercise": exercise, "graded": False},
            "tests": tests}
