"""What the Classroom workflow runs: grade the student's file and hand the points to GitHub Classroom's
autograding reporter (``classroom-resources/autograding-grading-reporter``).

``python -m grader.integrations.classroom.report exercise-NN --path FILE [--github-output PATH]`` prints
the student's report to the job log and writes ``result=<base64 JSON>`` to ``$GITHUB_OUTPUT``: the
reporter's format, ``{"version": 1, "status", "max_score", "tests": [{"name", "status", "score",
"message", ...}]}``, whose scores the reporter adds up. It exits 0 whatever the submission does (the
reporter marks the run failed when a test failed); only public cases are graded here.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from pathlib import Path
from typing import Any, Sequence

from grader.model import GradeReport


def reporter_result(report: GradeReport) -> dict[str, Any]:
    tests = [{"name": c.title, "status": "pass" if c.passed else "fail", "score": c.points,
              "message": "Passed." if c.passed else c.message, "test_code": c.name, "filename": "",
              "line_no": 0, "execution_time": 0} for c in report.checks]
    return {"version": 1, "status": "pass" if report.full_marks else "fail", "max_score": report.max_score,
            "tests": tests}


def not_graded_result(exercise: Any, reason: str) -> dict[str, Any]:
    tests = [{"name": c.title, "status": "error", "score": 0, "message": reason, "test_code": c.name,
              "filename": "", "line_no": 0, "execution_time": 0} for c in exercise.checks]
    return {"version": 1, "status": "error", "max_score": sum(c.points for c in exercise.checks), "tests": tests}


def encode(result: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(result).encode("utf-8")).decode("ascii")


def main(argv: Sequence[str] | None = None) -> int:
    from grader.core import Options, grade
    from grader.errors import SubmissionError, UsageError
    from grader.keys.load import get_exercise
    from grader.report.render import render_terminal

    parser = argparse.ArgumentParser(prog="rnn-grader classroom report")
    parser.add_argument("exercise")
    parser.add_argument("--path", type=Path, required=True)
    parser.add_argument("--github-output", type=Path, default=os.environ.get("GITHUB_OUTPUT") or None)
    args = parser.parse_args(argv)
    exercise = get_exercise(args.exercise)
    try:
        report = grade(args.path, exercise.id, Options())
    except (SubmissionError, UsageError) as exc:
        print(f"rnn-grader: {exc}")
        result = not_graded_result(exercise, f"Not graded: {exc}")
    else:
        sys.stdout.write(render_terminal(report))
        result = reporter_result(report)
    points = sum(t["score"] for t in result["tests"])
    print(f"rnn-grader: {points:g}/{result['max_score']:g} points for the autograding reporter")
    if args.github_output is not None:
        with open(args.github_output, "a", encoding="utf-8") as fh:
            fh.write(f"result={encode(result)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
