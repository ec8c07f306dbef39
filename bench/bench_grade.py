"""Speed and memory of the everyday path: `grade exercise-NN --path <reference> --json /tmp/r.json`.

Prints the median wall time over 5 runs of the real console script, the grader process's own peak
RSS, and the student child's peak RSS (reported by the child itself).
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
PEAK = ("import resource, sys; from grader.cli import main; rc = main(sys.argv[1:]); "
        "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)")


def bench(exercise: str, reference: Path) -> None:
    grade = Path(sys.executable).with_name("grade")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        cmd = [str(grade), exercise, "--path", str(reference), "--json", str(out)]
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        child_kib = json.loads(out.read_text())["extra_data"]["peak_child_rss_kib"]
        proc = subprocess.run([sys.executable, "-c", PEAK, *cmd[1:]], cwd=ROOT, capture_output=True, text=True)
        grader_kib = int(proc.stderr.split("PEAK")[-1].split()[0])
    print(f"{exercise}: median {statistics.median(times):.3f} s over {RUNS} runs "
          f"(min {min(times):.3f}, max {max(times):.3f}); grader peak RSS {grader_kib / 1024:.0f} MiB; "
          f"student child peak RSS {child_kib / 1024:.0f} MiB")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from grader.specs import all_exercises

    for exercise in all_exercises():
        bench(exercise.id, exercise.reference)


if __name__ == "__main__":
    main()
