"""Grading from answer keys: `grade exercise-03 --path solutions/exercise_03_rnn_cell.py --json OUT`.

Prints the median wall time (and the CPU time of the grader and its children, steadier on a loaded machine)
in the full project and in a student release installed into a fresh venv, next to the floor: two
interpreters that import NumPy one after the other (the grader and the sandboxed child). Then where the rest
goes, measured inside one process: importing the grader, loading the key, the child's run, comparing and
rendering. Goal: a median of at most 0.30 s.
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
REFERENCE = ROOT / "solutions" / "exercise_03_rnn_cell.py"
PHASES = r"""
import sys, time
t0 = time.perf_counter()
import grader.cli
from grader.core import Options, grade
from grader.keys.load import load_key
from grader.report.render import render_json
t1 = time.perf_counter()
key = load_key("exercise-03")
t2 = time.perf_counter()
report = grade(sys.argv[1], "exercise-03")
t3 = time.perf_counter()
render_json(report)
t4 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f} {t3 - t2:.4f} {t4 - t3:.4f}")
"""


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=False, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(cmd: list[str], cwd: Path) -> tuple[float, float]:
    _timed(cmd, cwd)  # warm the file cache
    runs = [_timed(cmd, cwd) for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def student_venv(base: Path) -> Path:
    """`grade release`, then `pip install` it into a fresh venv (NumPy and Jinja2 from this one, offline)."""
    from grader.release import release

    release(base / "student")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "host.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", str(base / "student")], check=True, cwd=base)
    return python


def main() -> None:
    print(f"{RUNS} runs each; wall medians on a shared, loaded machine; cpu = the command's user+sys time")
    floor = [sys.executable, "-c", f"import numpy, subprocess; subprocess.run([{sys.executable!r}, '-c', 'import numpy'])"]
    wall, cpu = measure(floor, ROOT)
    print(f"floor (two interpreters importing numpy): median {wall:.3f} s, cpu {cpu:.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        places = {"full project": (Path(sys.executable), ROOT), "student release": (student_venv(Path(tmp)), Path(tmp))}
        for name, (python, cwd) in places.items():
            grade = python.with_name("grade")
            wall_g, cpu_g = measure([str(grade), "exercise-03", "--path", str(REFERENCE), "--json", str(out)], cwd)
            print(f"{name}: grade exercise-03 --path {REFERENCE.name} --json: median {wall_g:.3f} s "
                  f"({wall_g / wall:.2f}x the floor), cpu {cpu_g:.3f} s")
            phases = [subprocess.run([str(python), "-c", PHASES, str(REFERENCE)], cwd=cwd, capture_output=True,
                                     text=True, check=True).stdout.split() for _ in range(5)]
            medians = [statistics.median(float(p[i]) for p in phases) for i in range(4)]
            print(f"  {name} phases (median of 5, in one process): import grader {medians[0]:.3f} s, "
                  f"load the key {medians[1]:.3f} s, grade() {medians[2]:.3f} s (the child: start, import numpy, "
                  f"run the probes), render JSON {medians[3]:.3f} s")


if __name__ == "__main__":
    main()
