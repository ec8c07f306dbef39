"""Speed of exercises 06 and 07: `grade exercise-0N --path <reference> --json OUT`, the real console script.

Prints, for each exercise, the median and spread of the wall time over RUNS runs, the CPU time of the grading
process and its children (``resource``: steadier than wall time on a loaded machine), the student child's peak
RSS, and the probes' own time inside the child (from the JSON report), so that exercise-07's training checks can
be seen against the goal: a median of at most 1 s each. Usage: ``.venv/bin/python bench/bench_exercises_06_07.py
[RUNS]``.
"""
from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = {"exercise-06": "solutions/exercise_06_gradient_flow.py", "exercise-07": "solutions/exercise_07_training.py"}
GOAL_S = 1.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench(exercise: str, reference: str, runs: int) -> None:
    grade = Path(sys.executable).with_name("grade")
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        cmd = [str(grade), exercise, "--path", reference, "--json", str(out)]
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)  # warm the file cache once
        for _ in range(runs):
            cpu, start = _children_cpu(), time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
            cpus.append(_children_cpu() - cpu)
        report = json.loads(out.read_text())
    extra = report.get("extra_data", {})
    child = extra.get("peak_child_rss_kib")
    median = statistics.median(walls)
    print(f"{exercise}: median {median:.3f} s wall over {runs} runs (min {min(walls):.3f}, max {max(walls):.3f}); "
          f"CPU (grader + child) median {statistics.median(cpus):.3f} s; score {report['score']:g}/"
          f"{report['max_score']:g}; child peak RSS {child / 1024 if child else float('nan'):.0f} MiB; "
          f"goal <= {GOAL_S:g} s: {'met' if median <= GOAL_S else 'NOT met'}")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with open("/proc/loadavg", encoding="ascii") as f:
        print(f"load average: {f.read().split()[0]} (figures under load are pessimistic)")
    for exercise, reference in REFERENCES.items():
        bench(exercise, reference, runs)


if __name__ == "__main__":
    main()
