"""Benchmark: ``grade exercise-08`` (the Keras models), whose child has to start TensorFlow.

Prints the median wall-clock and CPU time of the whole command (``grade exercise-08 --path <reference>
--json ...``, a fresh process each time, as a student runs it), the child's peak memory (its ``ru_maxrss``,
from the report), and where the time of one in-process ``grade()`` goes: loading the answer key, and the
sandboxed child (TensorFlow's import, then the checks); the grader itself never imports TensorFlow. CPU times are steadier than wall-clock times on a shared machine.

Goal (issue 12): a median of at most 8 s on this CPU.

Usage: ``python bench/bench_keras_models.py [--repeats 5] [--path FILE]``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader.core import Options, _student_run  # noqa: E402
from grader.keys.load import load_key  # noqa: E402
from grader.specs import get_exercise  # noqa: E402

EX = "exercise-08"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(path: Path, repeats: int) -> tuple[list[float], list[float], dict]:
    """Wall and CPU seconds (the grade process and its child) of ``repeats`` runs of the CLI."""
    walls, cpus, doc = [], [], {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        for _ in range(repeats):
            cpu, start = _children_cpu(), time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "grader.cli", EX, "--path", str(path), "--json", str(out)],
                                  cwd=ROOT, capture_output=True, text=True)
            walls.append(time.perf_counter() - start)
            cpus.append(_children_cpu() - cpu)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"grade failed ({proc.returncode}): {proc.stderr[-2000:]}")
            doc = json.loads(out.read_text())
    return walls, cpus, doc


def breakdown(path: Path) -> tuple[float, float, float, int]:
    """Seconds of loading the answer key, seconds and CPU seconds of the child run, child peak KiB."""
    start = time.perf_counter()
    key = load_key(EX)
    key_s = time.perf_counter() - start
    cpu, start = _children_cpu(), time.perf_counter()
    run = _student_run(path, key.exercise, key.checks, Options())
    return key_s, time.perf_counter() - start, _children_cpu() - cpu, run.peak_rss_kib


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--path", type=Path, default=ROOT / "solutions" / "exercise_08_keras_models.py")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    walls, cpus, doc = time_command(args.path, args.repeats)
    print(f"grade {EX} --path {args.path.name} --json  ({args.repeats} runs, {os.cpu_count()} CPUs, "
          f"load average {load:.1f} at the start)")
    print(f"  wall: median {statistics.median(walls):.2f} s  (min {min(walls):.2f}, max {max(walls):.2f})")
    print(f"  CPU (grade + child): median {statistics.median(cpus):.2f} s  (min {min(cpus):.2f}, max {max(cpus):.2f})")
    print(f"  score {doc.get('score')}/{doc.get('max_score')}")
    key_s, child_s, child_cpu, peak = breakdown(args.path)
    print("one in-process grade():")
    print(f"  loading the answer key (no reference run, no TensorFlow in the grader): {key_s:.2f} s")
    print(f"  sandboxed child (TensorFlow import + {len(get_exercise(EX).checks)} checks): {child_s:.2f} s wall, "
          f"{child_cpu:.2f} s CPU, peak memory {peak / 1024:.0f} MiB (limit {get_exercise(EX).limits.memory_mb} MiB)")
    print(f"  goal: median <= 8 s; {'met' if statistics.median(walls) <= 8 else 'not met'} at this load")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
