"""Speed of grading wrong code: every realistic mistake of every exercise (``tests/mutants/``), graded once.

Students mostly grade code that is not right yet, which takes the diagnosis path (hints, equivalents,
carried gradients). Prints, per exercise, the time to write all its mutants with ``materialise_all`` and
the median and slowest wall time of ``grade()`` over its mutants (in process, stored Keras values).
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench(exercise_id: str, folder: Path) -> None:
    from grader.core import Options, grade
    from grader.specs import get_exercise
    from mutation import materialise_all

    start = time.perf_counter()
    paths = materialise_all(exercise_id, folder)
    written = time.perf_counter() - start
    if not paths:
        print(f"{exercise_id}: no mutants")
        return
    exercise, times = get_exercise(exercise_id), {}
    for name, path in paths.items():
        start = time.perf_counter()
        report = grade(path, exercise, Options(keras="stored"))
        times[name] = time.perf_counter() - start
        assert report.score < report.max_score, f"{exercise_id}/{name} got full marks"
    slowest = max(times, key=times.__getitem__)
    print(f"{exercise_id}: {len(paths)} mutants written in {written * 1000:.0f} ms; grade() median "
          f"{statistics.median(times.values()):.3f} s, slowest {times[slowest]:.3f} s ({slowest})", flush=True)


def main() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from grader.specs import all_exercises

    with tempfile.TemporaryDirectory() as tmp:
        for exercise in all_exercises():
            bench(exercise.id, Path(tmp) / exercise.id)


if __name__ == "__main__":
    main()
