"""``grade classroom exercise-NN --out DIR [--force]``: a GitHub Classroom assignment's template repository.

DIR gets the student's stub (``exercises/…``), a student README, ``.github/workflows/classroom.yml``
(every action pinned to a commit), and ``.github/rnn-grader/``: pinned requirements, the grading engine
with the exercise's **public** answer key only (as in the Gradescope bundle) and the instructor's README.
Hidden cases never go into the repository nor into GitHub's secrets: the instructor grades them with
``grade batch --hidden-seed`` on the students' repositories. Everything is written into a temporary folder beside DIR and renamed into place.
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence

from grader.errors import UsageError
from grader.integrations.gradescope.bundle import package_files, pins
from grader.report.render import template

# Pinned to the commit of a released version: a moved tag cannot change what runs in students' repositories.
ACTIONS = {
    "checkout": "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2",
    "setup_python": "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5.6.0",
    "reporter": "classroom-resources/autograding-grading-reporter@d13b5912daf5042ac1b71bc38bdb4a6bcd61d8ca  # v1",
}


def repository_files(exercise_id: str) -> list[tuple[str, bytes]]:
    from grader.keys.load import get_exercise, key_paths
    from grader.spec import ROOT

    exercise = get_exercise(exercise_id)
    stub = exercise.stub if exercise.stub.is_absolute() else ROOT / exercise.stub
    if not stub.is_file():
        raise UsageError(f"the stub {stub} is not here; `grade classroom` runs in the full project")
    path = f"exercises/{stub.name}"
    limits = exercise.limits
    view: dict[str, Any] = {"c": {"exercise": exercise.id, "title": exercise.title, "path": path,
                                  "max_score": sum(c.points for c in exercise.checks),
                                  "timeout_minutes": max(10, int(limits.total_s // 60) + 10)},
                            "actions": ACTIONS}
    files = [
        (".github/workflows/classroom.yml", template("classroom/classroom.yml.j2").render(**view).encode()),
        (".github/rnn-grader/requirements.txt", ("\n".join(pins(limits.tensorflow)) + "\n").encode()),
        (".github/rnn-grader/README.md", template("classroom/instructor.md.j2").render(**view).encode()),
        ("README.md", template("classroom/README.md.j2").render(**view).encode()),
        (path, stub.read_bytes()),
    ]
    files += [(f".github/rnn-grader/{name}", data) for name, data in package_files()]
    files += [(f".github/rnn-grader/lib/grader/data/keys/{p.name}", p.read_bytes()) for p in key_paths(exercise.id)]
    return files


def write_repository(files: Sequence[tuple[str, bytes]], out: Path, *, force: bool) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise UsageError(f"{out} exists and is not empty; pass --force to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, data in files:
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def run_classroom(argv: Sequence[str], exercise_lookup: Callable[[str], Any]) -> int:
    parser = argparse.ArgumentParser(prog="grade classroom",
                                     description="Write a GitHub Classroom assignment's template repository.")
    parser.add_argument("exercise")
    parser.add_argument("--out", type=Path, required=True, help="the folder to write (empty or new)")
    parser.add_argument("--force", action="store_true", help="replace a non-empty --out")
    args = parser.parse_args(argv)
    exercise = exercise_lookup(args.exercise)
    files = repository_files(exercise.id)
    write_repository(files, args.out, force=args.force)
    print(f"Wrote {args.out}: the template repository of {exercise.id} ({len(files)} files). "
          f"Read {args.out}/.github/rnn-grader/README.md before publishing it.")
    return 0
