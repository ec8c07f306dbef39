"""``grade selfcheck``: every reference must earn full marks (against live Keras) and every stub 0.

It also writes each reference's reports (JSON, HTML, Markdown) when ``--reports DIR`` is given:
this is the project's main job (``make demo``).
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from grader.core import Options, grade
from grader.model import GradeReport
from grader.report.render import points_text, render_html, render_json, render_markdown
from grader.specs import all_exercises
from grader.spec import Exercise


@dataclass(frozen=True)
class SelfcheckRow:
    exercise: str
    reference: GradeReport
    stub: GradeReport

    @property
    def ok(self) -> bool:
        return self.reference.full_marks and self.stub.score == 0


def check_exercise(exercise: Exercise, options: Options) -> SelfcheckRow:
    return SelfcheckRow(exercise.id, grade(exercise.reference, exercise, options),
                        grade(exercise.stub, exercise, Options(keras="off", sandbox=options.sandbox)))


def write_reports(report: GradeReport, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / report.exercise
    stem.with_suffix(".json").write_text(render_json(report), encoding="utf-8")
    stem.with_suffix(".html").write_text(render_html(report), encoding="utf-8")
    stem.with_suffix(".md").write_text(render_markdown(report), encoding="utf-8")


def table(rows: Sequence[SelfcheckRow]) -> str:
    lines = [f"{'exercise':<13} {'reference':>10} {'stub':>8} {'equivalent':<10}  result",
             f"{'-' * 13} {'-' * 10} {'-' * 8} {'-' * 10}  ------"]
    for row in rows:
        ref, stub = row.reference, row.stub
        lines.append(f"{row.exercise:<13} {points_text(ref.score) + '/' + points_text(ref.max_score):>10} "
                     f"{points_text(stub.score) + '/' + points_text(stub.max_score):>8} {ref.equivalent.source:<10}  "
                     f"{'ok' if row.ok else 'FAILED'}")
    return "\n".join(lines)


def _failures(row: SelfcheckRow) -> list[str]:
    out = [f"{row.exercise} reference: {c.name}: {c.message}" for c in row.reference.checks if not c.passed]
    out += [f"{row.exercise} stub: {c.name} earned {c.points:g} points" for c in row.stub.checks if c.points]
    return out


def run_selfcheck(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="grade selfcheck", description=__doc__)
    parser.add_argument("--keras", choices=("stored", "live"), default="live")
    parser.add_argument("--reports", type=Path, help="write each reference's JSON/HTML/Markdown report here")
    parser.add_argument("--sandbox", choices=("required", "auto", "off"),
                        default="required" if os.environ.get("CI") else "auto",
                        help="the bubblewrap sandbox for the references and stubs (default: required in CI, "
                             "where the CI variable is set, else auto)")
    args = parser.parse_args(argv)
    from grader.sandbox.preflight import require_sandbox

    require_sandbox(args.sandbox)  # in CI: exit 2 with one line rather than a selfcheck that ran unsandboxed
    rows = []
    for exercise in all_exercises():
        print(f"checking {exercise.id} ...", file=sys.stderr, flush=True)
        row = check_exercise(exercise, Options(keras=args.keras, sandbox=args.sandbox))
        rows.append(row)
        if args.reports:
            write_reports(row.reference, args.reports)
    print(table(rows))
    for row in rows:
        for line in _failures(row):
            print(line)
    if rows and rows[0].reference.equivalent.source != "none":
        info = rows[0].reference.equivalent
        print(f"Equivalents computed {info.source} on {info.device or 'CPU'}.")
    return 0 if all(r.ok for r in rows) else 1
