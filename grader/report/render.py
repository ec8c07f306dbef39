"""Free functions that render a GradeReport: terminal text, HTML (a page or a notebook fragment) and
Markdown (Jinja2), and JSON.

The JSON document follows the Gradescope ``results.json`` layout required by EXERCISES.md.
"""
from __future__ import annotations

import json
from pathlib import Path
import textwrap
from typing import Any, Callable

import jinja2

from grader.model import CheckResult, GradeReport
from grader.spec import ROOT

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def _env(*, autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=autoescape,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(pts=points_text, wrap=lambda text: textwrap.wrap(text, 90) or [""])
    return env


def template(name: str, *, html: bool = False) -> jinja2.Template:
    """A template from ``templates/`` with the report helpers (``pts``, ``wrap``) available."""
    return _env(autoescape=html).get_template(name)


def points_text(value: float) -> str:
    return f"{value:g}"


def _mark(check: CheckResult, color: bool) -> str:
    labels = {"passed": ("PASS", "32"), "not_implemented": ("TODO", "33")}
    text, code = labels.get(check.status, ("FAIL", "31"))
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render_terminal(report: GradeReport, *, color: bool = False) -> str:
    pad = max([len(c.title) for c in report.checks] + [10])
    template = _env(autoescape=False).get_template("terminal.txt.j2")
    return template.render(r=report, pad=pad, mark=lambda c: _mark(c, color))


def _no_tip(check: CheckResult) -> str:
    return ""


def render_html(report: GradeReport) -> str:
    """A whole HTML page (``grade --html``); its body is ``report_body.html.j2``, shared with the fragment."""
    return _env(autoescape=True).get_template("report.html.j2").render(r=report, hint_tip=_no_tip)


def render_html_fragment(report: GradeReport, *, hint_tip: Callable[[CheckResult], str] | None = None) -> str:
    """The same report sized for a notebook output: no ``<html>`` chrome, CSS scoped under ``.rg-report``.

    ``hint_tip(check)`` is the command that shows hints for a failed check (``""`` for none); by
    default the notebook magic's ``%grade EXERCISE --hint CHECK``.
    """
    def magic_tip(check: CheckResult) -> str:
        return f"%grade {report.exercise} --hint {check.name.removesuffix('-hidden')}"

    return _env(autoescape=True).get_template("report_fragment.html.j2").render(r=report, hint_tip=hint_tip or magic_tip)


def render_hints_html(view: Any) -> str:
    """Hints for one check in a notebook; ``view`` has ``exercise``, ``check``, ``title``, ``hints``, ``level``, ``status``."""
    return _env(autoescape=True).get_template("report_hints.html.j2").render(h=view)


def render_markdown(report: GradeReport) -> str:
    return _env(autoescape=False).get_template("report.md.j2").render(r=report)


def _test_entry(check: CheckResult) -> dict[str, Any]:
    return {"name": check.title, "check": check.name, "score": check.points, "max_score": check.max_points,
            "status": "passed" if check.passed else "failed",
            "output": "Passed." if check.passed else check.message, "visibility": "visible"}


def report_json(report: GradeReport) -> dict[str, Any]:
    """The Gradescope-layout document: ``score``, ``max_score`` and ``tests`` are always present."""
    return {
        "score": report.score,
        "max_score": report.max_score,
        "output": f"{report.exercise}: {points_text(report.score)}/{points_text(report.max_score)}",
        "execution_time": round(report.seconds, 3),
        "tests": [_test_entry(c) for c in report.checks],
        "extra_data": {"exercise": report.exercise, "submission": report.submission,
                       "equivalent": {"source": report.equivalent.source, "library": report.equivalent.library,
                                      "device": report.equivalent.device},
                       "notes": list(report.notes), "peak_child_rss_kib": report.peak_child_rss_kib},
    }


def render_json(report: GradeReport) -> str:
    return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
