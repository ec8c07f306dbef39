"""Class-summary plots as inline SVG, drawn with matplotlib's Agg/SVG canvas (no pyplot, no global state).

matplotlib is imported lazily, inside each function: only ``grade batch`` pays for it. Text stays text
(``svg.fonttype = none``) so the page is small, searchable and scales; ids are salted per plot so that
several SVGs inline in one page never share an id (each plot's ids carry its own prefix).
"""
from __future__ import annotations

import io
import re
import textwrap
import threading
import warnings
from typing import Any, Sequence

from grader.i18n import Translator, translator

GREEN, RED, GREY, BLUE = "#3a8f5c", "#c0504d", "#9aa4ad", "#3b6ea8"


def prewarm() -> threading.Thread:
    """Import matplotlib in a background thread while a batch grades (its import takes about a second;
    the grading process mostly waits for its children meanwhile). Joining it is optional."""
    def load() -> None:
        import matplotlib.figure  # noqa: F401
        from matplotlib.backends import backend_svg  # noqa: F401

    thread = threading.Thread(target=load, name="matplotlib-prewarm", daemon=True)
    thread.start()
    return thread


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=96, layout="constrained")


def _integer_ticks(axis: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _svg(fig: Any, *, salt: str, label: str) -> str:
    import matplotlib

    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt, "font.size": 9}), \
            warnings.catch_warnings():
        # the SVG keeps its text as text (the browser picks a font with the Chinese glyphs); matplotlib's own
        # font, which it only measures the text with here, has none, and would say so for every glyph
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        from matplotlib.backends.backend_svg import FigureCanvasSVG

        FigureCanvasSVG(fig).print_svg(out, metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    text = text[text.index("<svg"):]  # drop the XML declaration and DOCTYPE: it is inlined in HTML
    # matplotlib numbers its ids per figure (figure_1, axes_1, ...): prefix them so that inline plots never clash
    text = re.sub(r'\bid="([^"]+)"', rf'id="{salt}-\1"', text)
    text = re.sub(r'(href="#|url\(#)([^")]+)', rf'\1{salt}-\2', text)
    text = re.sub(r'<svg ', f'<svg role="img" aria-label="{_attr(label)}" ', text, count=1)
    return re.sub(r'(width|height)="[\d.]+pt"', "", text, count=2).replace("<svg ", '<svg style="max-width:100%;height:auto" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _wrap(text: str, width: int = 48, lines: int = 2) -> str:
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def score_histogram(counts: Sequence[tuple[str, int]], *, max_score: float, tr: Translator | None = None) -> str:
    """Bars of how many students got each score (``counts`` = ``[(bin label, students)]``, low to high)."""
    fig = _figure(7.0, 2.6)
    ax = fig.add_subplot()
    labels = [label for label, _ in counts]
    values = [n for _, n in counts]
    colors = [GREEN if i == len(counts) - 1 else BLUE for i in range(len(counts))]
    bars = ax.bar(range(len(counts)), values, color=colors, width=0.8)
    ax.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontsize=8)
    step = max(1, len(labels) // 12)
    ax.set_xticks(range(0, len(labels), step), labels[::step])
    tr = tr or translator()
    ax.set_xlabel(tr._("score (out of %(max)s)", max=f"{max_score:g}"))
    ax.set_ylabel(tr._("students"))
    ax.set_ylim(0, max(values + [1]) * 1.18)
    _integer_ticks(ax.yaxis)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, salt="hist", label=tr._("score distribution"))


def pass_rates(rows: Sequence[tuple[str, int, int]], *, tr: Translator | None = None) -> str:
    """Horizontal bars: the share of students who passed each check (``rows`` = ``[(title, passed, graded)]``)."""
    height = 0.9 + 0.32 * len(rows)
    fig = _figure(7.0, height)
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    rates = [100.0 * p / g if g else 0.0 for _, p, g in rows]
    ax.barh(ys, [100] * len(rows), color="#eef0f2", height=0.7)
    bars = ax.barh(ys, rates, color=[GREEN if r >= 80 else (RED if r < 50 else "#d9a441") for r in rates], height=0.7)
    ax.bar_label(bars, labels=[f"{p}/{g}" for _, p, g in rows], padding=3, fontsize=8)
    ax.set_yticks(ys, [_wrap(t, 40, 1) for t, _, _ in rows])
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    tr = tr or translator()
    ax.set_xlabel(tr._("students who passed"))
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, salt="rates", label=tr._("pass rate of each check"))


def common_causes(rows: Sequence[tuple[str, str, int]], *, students: int, tr: Translator | None = None) -> str:
    """Horizontal bars: the likely causes that affected most students (``rows`` = ``[(cause, check, n)]``)."""
    height = 0.9 + 0.5 * len(rows)
    fig = _figure(7.0, height)
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    bars = ax.barh(ys, [n for _, _, n in rows], color=RED, height=0.65)
    ax.bar_label(bars, labels=[f"{n} ({100 * n / max(students, 1):.0f}%)" for _, _, n in rows], padding=3, fontsize=8)
    ax.set_yticks(ys, [_wrap(f"{cause} [{check}]", 46, 2) for cause, check, _ in rows], fontsize=8)
    ax.set_xlim(0, max([n for _, _, n in rows] + [1]) * 1.25)
    tr = tr or translator()
    ax.set_xlabel(tr._("students affected"))
    _integer_ticks(ax.xaxis)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, salt="causes", label=tr._("most common likely causes"))


def typical_failure(expected: Sequence[float], got: Sequence[float], labels: Sequence[str], *, field: str,
                    worst: int, salt: str = "typical", tr: Translator | None = None) -> str:
    """Expected against submitted values around the worst element of one student's array (the typical one)."""
    fig = _figure(7.0, 2.6)
    ax = fig.add_subplot()
    xs = list(range(len(expected)))
    tr = tr or translator()
    ax.plot(xs, expected, "o-", color=GREEN, label=tr._("expected"), markersize=5)
    ax.plot(xs, got, "s--", color=RED, label=tr._("submitted"), markersize=5)
    if 0 <= worst < len(xs):
        ax.axvline(worst, color=GREY, linewidth=0.8, linestyle=":")
    step = max(1, len(labels) // 10)
    ax.set_xticks(xs[::step], [labels[i] for i in xs[::step]], fontsize=7)
    ax.set_xlabel(tr._("index of %(field)s (row-major, around the largest error)", field=field))
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, salt=salt, label=tr._("typical failure of %(field)s", field=field))
