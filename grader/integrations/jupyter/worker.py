"""The grading process the kernel talks to: ``python -I -m grader.integrations.jupyter.worker``.

It reads one JSON request per line on stdin (``{"exercise", "path", "keras", "timeout_s", "memory_mb"}``),
grades with :func:`grader.core.grade` (student code runs in the sandboxed child, as with the ``grade``
command) and answers one JSON line: ``{"report": ...}`` or ``{"error": "usage"|"internal", "message": ...}``.
Nothing the student's kernel has patched exists here. It ends when stdin closes (the kernel went away).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import IO, Any, Mapping


def handle(request: Mapping[str, Any]) -> dict[str, Any]:
    from grader.core import Options, grade
    from grader.errors import SubmissionError
    from grader.integrations.jupyter.transport import encode_report
    from grader.specs import EXERCISE_IDS, UnknownExercise, get_exercise

    try:
        exercise = get_exercise(str(request["exercise"]))
    except UnknownExercise:
        return {"error": "usage", "message": f"unknown exercise {request['exercise']!r}; the exercises are "
                                             f"{', '.join(EXERCISE_IDS)}"}
    options = Options(keras=request.get("keras", "stored"), timeout_s=request.get("timeout_s"),
                      memory_mb=request.get("memory_mb"))
    try:
        report = grade(Path(request["path"]), exercise, options)
    except SubmissionError as exc:
        return {"error": "usage", "message": str(exc)}
    return {"report": encode_report(report)}


def serve(requests: IO[str], answers: IO[str]) -> None:
    for line in requests:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as exc:  # noqa: BLE001 - the kernel gets a one-line reason, the worker keeps serving
            answer = {"error": "internal", "message": f"{type(exc).__name__}: {exc}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def main() -> int:
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything else printed here goes to stderr, never into the answers
    import grader.core  # noqa: F401 - warm up while the kernel goes on: the first %grade is then fast
    from grader.specs import all_exercises

    all_exercises()

    serve(sys.stdin, answers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
