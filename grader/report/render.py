"""Free functions that render a GradeReport: terminal text, HTML (a page or a notebook fragment) and
Markdown (Jinja2), and JSON.

The JSON document follows the Gradescope ``results.json`` layout required by EXERCISES.md.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
import textwrap
import unicodedata
from typing import Any, Callable

import jinja2

from grader.i18n import Translator, translator
from grader.model import CheckResult, EquivalentInfo, GradeReport
from grader.sandbox.job import sandbox_text
from grader.spec import ROOT

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def width(text: str) -> int:
    """Terminal columns of ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int = 90) -> list[str]:
    """Lines of at most ``columns`` terminal columns. English wraps at spaces (textwrap); a text with Chinese
    (which has no spaces to break at) breaks between any two Chinese characters, but never inside a number,
    a name or a piece of code: those are kept whole, so that a value is never split across two lines."""
    if width(text) == len(text):
        return textwrap.wrap(text, columns) or [""]
    lines: list[str] = []
    line, used, space = "", 0, False
    for token in _TOKEN.findall(" ".join(text.split())):
        if token == " ":
            space = True
            continue
        gap = 1 if space and line else 0
        space = False
        if line and used + gap + width(token) > columns:
            lines.append(line)
            line, used, gap = "", 0, 0
        while width(token) > columns:  # a token wider than a line (a long path): cut it
            cut = _fit(token, columns - used - gap)
            lines.append(line + " " * gap + token[:cut])
            line, used, gap, token = "", 0, 0, token[cut:]
        line += " " * gap + token
        used += gap + width(token)
    return [*lines, line] if line or not lines else lines


_TOKEN = re.compile(r" |[^\x00-\x7f]|[\x21-\x7e]+")  # a space, one non-ASCII character, or a run of ASCII


def _fit(token: str, columns: int) -> int:
    """How many of ``token``'s first characters fit in ``columns`` terminal columns (at least one)."""
    cut, used = 0, 0
    while cut < len(token) and used + width(token[cut]) <= columns:
        used += width(token[cut])
        cut += 1
    return max(cut, 1)


def jinja_env(*, autoescape: bool, tr: Translator, loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """The templates' environment: Jinja2's ``i18n`` extension with ``tr``'s catalog (``_()`` in templates)."""
    env = jinja2.Environment(loader=loader or jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=autoescape,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(tr.translations, newstyle=True)  # type: ignore[attr-defined]
    env.policies["ext.i18n.trimmed"] = True
    env.globals.update(pts=points_text, wrap=wrap, width=width, lang=tr.lang,
                       independent=lambda info: independent_text(info, tr), sandbox=lambda s: sandbox_text(s, tr))
    return env


def independent_text(info: EquivalentInfo, tr: Translator) -> str:
    """The sentence that says where the independent (Keras/TensorFlow/scikit-learn) values came from."""
    if info.source == "live":
        return tr._("Independent check: %(library)s (live values, computed on %(device)s).",
                    library=info.library, device=info.device)
    return tr._("Independent check: %(library)s (stored values, computed on %(device)s).",
                library=info.library, device=info.device)


@functools.lru_cache(maxsize=None)  # compiled once per process and language: `grade batch` renders thousands of pages
def _env(*, autoescape: bool, tr: Translator | None = None) -> jinja2.Environment:
    return jinja_env(autoescape=autoescape, tr=tr or translator())


def template(name: str, *, html: bool = False, tr: Translator | None = None) -> jinja2.Template:
    """A template from ``templates/`` with the report helpers (``pts``, ``wrap``) and ``tr``'s ``_()``."""
    return _env(autoescape=html, tr=tr).get_template(name)


def _tr(report: GradeReport, tr: Translator | None) -> Translator:
    return tr or translator(report.lang)


def points_text(value: float) -> str:
    return f"{value:g}"


def mark_text(status: str, tr: Translator) -> str:
    """The short mark of a check's status: PASS, TODO or FAIL (通过, 待完成, 未通过)."""
    if status == "passed":
        return tr._("PASS")
    return tr._("TODO") if status == "not_implemented" else tr._("FAIL")


def _mark(check: CheckResult, color: bool, tr: Translator) -> str:
    code = {"passed": "32", "not_implemented": "33"}.get(check.status, "31")
    text = mark_text(check.status, tr)
    text += " " * (max(width(mark_text(s, tr)) for s in ("passed", "failed", "not_implemented")) - width(text))
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render_terminal(report: GradeReport, *, color: bool = False, tr: Translator | None = None) -> str:
    pad = max([width(c.title) for c in report.checks] + [10])
    tr = _tr(report, tr)
    template = _env(autoescape=False, tr=tr).get_template("terminal.txt.j2")
    return template.render(r=report, pad=pad, mark=lambda c: _mark(c, color, tr))


def _no_tip(check: CheckResult) -> str:
    return ""


def render_html(report: GradeReport, *, tr: Translator | None = None) -> str:
    """A whole HTML page (``grade --html``); its body is ``report_body.html.j2``, shared with the fragment."""
    tr = _tr(report, tr)
    return _env(autoescape=True, tr=tr).get_template("report.html.j2").render(r=report, hint_tip=_no_tip,
                                                                           mark=lambda s: mark_text(s, tr))


def render_html_fragment(report: GradeReport, *, hint_tip: Callable[[CheckResult], str] | None = None,
                         tr: Translator | None = None) -> str:
    """The same report sized for a notebook output: no ``<html>`` chrome, CSS scoped under ``.rg-report``.

    ``hint_tip(check)`` is the command that shows hints for a failed check (``""`` for none); by
    default the notebook magic's ``%grade EXERCISE --hint CHECK``.
    """
    def magic_tip(check: CheckResult) -> str:
        return f"%grade {report.exercise} --hint {check.name.removesuffix('-hidden')}"

    tr = _tr(report, tr)
    return _env(autoescape=True, tr=tr).get_template("report_fragment.html.j2").render(
        r=report, hint_tip=hint_tip or magic_tip, mark=lambda s: mark_text(s, tr))


def render_hints_html(view: Any, *, tr: Translator | None = None) -> str:
    """Hints for one check in a notebook; ``view`` has ``exercise``, ``check``, ``title``, ``hints``, ``level``, ``status``."""
    return _env(autoescape=True, tr=tr).get_template("report_hints.html.j2").render(h=view)


def render_markdown(report: GradeReport, *, tr: Translator | None = None) -> str:
    return _env(autoescape=False, tr=_tr(report, tr)).get_template("report.md.j2").render(r=report)


def _test_entry(check: CheckResult, tr: Translator) -> dict[str, Any]:
    return {"name": check.title, "check": check.name, "score": check.points, "max_score": check.max_points,
            "status": "passed" if check.passed else "failed",
            "output": tr._("Passed.") if check.passed else check.message, "visibility": "visible"}


def report_json(report: GradeReport, *, tr: Translator | None = None) -> dict[str, Any]:
    """The Gradescope-layout document: ``score``, ``max_score`` and ``tests`` are always present."""
    tr = _tr(report, tr)
    return {
        "score": report.score,
        "max_score": report.max_score,
        "output": f"{report.exercise}: {points_text(report.score)}/{points_text(report.max_score)}",
        "execution_time": round(report.seconds, 3),
        "tests": [_test_entry(c, tr) for c in report.checks],
        "extra_data": {"exercise": report.exercise, "submission": report.submission,
                       "equivalent": {"source": report.equivalent.source, "library": report.equivalent.library,
                                      "device": report.equivalent.device},
                       "notes": list(report.notes), "peak_child_rss_kib": report.peak_child_rss_kib,
                       "lang": report.lang, "sandbox": report.sandbox},
    }


def render_json(report: GradeReport, *, tr: Translator | None = None) -> str:
    return json.dumps(report_json(report, tr=tr), indent=2, ensure_ascii=False) + "\n"
