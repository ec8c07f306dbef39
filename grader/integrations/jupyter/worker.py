"""The grading process the kernel talks to: ``python -I -m grader.integrations.jupyter.worker``.

It reads one JSON request per line on stdin (``{"exercise", "path", "keras", "timeout_s", "memory_mb"}``),
grades with :func:`grader.core.grade` (student code runs in the sandboxed child, as with the ``grade``
command) and answers one JSON line: ``{"report": ...}`` or ``{"error": "usage"|"internal", "message": ...}``.
Nothing the student's kernel has patched exists here. It ends when stdin closes (the kernel went away).

Grading is deterministic, so the last few reports are kept, keyed by the SHA-256 of the file's bytes and
the request: ``%grade`` of an unchanged file answers at once (the report says it is a repeat). Reports
with a timeout or an error are not kept: those may depend on the machine's load.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import IO, Any, Mapping


CACHED = 8
STABLE = ("passed", "failed", "not_implemented")  # a timeout or crash may depend on the machine's load: regrade
REPEAT = "The file has not changed since you last graded it: this is that report again."


def cache_key(request: Mapping[str, Any]) -> str | None:
    try:
        content = Path(request["path"]).read_bytes()
    except (OSError, KeyError, TypeError):
        return None
    options = [request.get(k) for k in ("path", "exercise", "keras", "timeout_s", "memory_mb")]
    return hashlib.sha256(content).hexdigest() + json.dumps(options)


def handle(request: Mapping[str, Any], cache: dict[str, Any] | None = None) -> dict[str, Any]:
    from grader.core import Options, grade
    from grader.errors import SubmissionError
    from grader.integrations.jupyter.transport import encode_report
    from grader.keys.load import UnknownExercise, exercise_ids, get_exercise

    try:
        exercise = get_exercise(str(request["exercise"]))
    except UnknownExercise:
        return {"error": "usage", "message": f"unknown exercise {request['exercise']!r}; the exercises are "
                                             f"{', '.join(exercise_ids())}"}
    options = Options(keras=request.get("keras", "stored"), timeout_s=request.get("timeout_s"),
                      memory_mb=request.get("memory_mb"))
    key = cache_key(request) if cache is not None else None
    if cache is not None and key in cache:
        report = cache[key]
        return {"report": encode_report(dataclasses.replace(report, notes=(REPEAT,) + report.notes))}
    try:
        report = grade(Path(request["path"]), exercise, options)
    except SubmissionError as exc:
        return {"error": "usage", "message": str(exc)}
    if cache is not None and key is not None and all(c.status in STABLE for c in report.checks):
        cache[key] = report
        for old in list(cache)[:-CACHED]:
            del cache[old]
    return {"report": encode_report(report)}


def serve(requests: IO[str], answers: IO[str]) -> None:
    cache: dict[str, Any] = {}
    for line in requests:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line), cache)
        except Exception as exc:  # noqa: BLE001 - the kernel gets a one-line reason, the worker keeps serving
            answer = {"error": "internal", "message": f"{type(exc).__name__}: {exc}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def main() -> int:
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything else printed here goes to stderr, never into the answers
    import grader.core  # noqa: F401 - warm up while the kernel goes on: the first %grade is then fast
    from grader.keys.load import exercise_ids, load_key

    for exercise_id in exercise_ids():
        load_key(exercise_id)

    serve(sys.stdin, answers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
