"""Wall time of `nbgrader autograde` per submission: this course against nbgrader's own quickstart.

Three courses, each autograded with 1 and then with N submissions (the real `nbgrader` CLI, hermetic
Jupyter directories, on this machine):

* `quickstart`: `nbgrader quickstart`'s ps1 (two small notebooks), its source notebooks submitted;
* `control`: our exercise-03 notebook with every test cell replaced by `assert True` (same kernel and
  solution code, same number of cells): what nbgrader itself costs for this notebook;
* `ours`: the generated exercise-03 notebook, the reference submitted.

Per submission: the autograde wall time of one submission (startup included), and the marginal cost
of each further submission, (T_N - T_1) / (N - 1). The overhead of our test cells is ours - control.
Finally the two costs inside a test cell: the first (`--fresh`) grades everything, the others read
the cache.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
N = 4
AID = "exercise-03"


def env_for(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RNN_GRADER_HIDDEN_SEED", "NBGRADER_EXECUTION")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(tmp / name.lower())
    return env


def nbgrader(course: Path, env: dict[str, str], *args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run([str(BIN / "nbgrader"), *args, "--force", "--log-level=ERROR"], cwd=course, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start


def submit(course: Path, assignment: str, students: list[str]) -> None:
    for student in students:
        target = course / "submitted" / student / assignment
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(course / "source" / assignment, target)


def measure(course: Path, env: dict[str, str], assignment: str) -> tuple[float, float]:
    """(T_1, marginal seconds per further submission)."""
    nbgrader(course, env, "generate_assignment", assignment)
    students = [f"s{k}" for k in range(1, N + 1)]
    submit(course, assignment, students)
    one = nbgrader(course, env, "autograde", assignment, "--student=s1")
    many = nbgrader(course, env, "autograde", assignment)
    return one, (many - one) / (N - 1)


def quickstart(tmp: Path, env: dict[str, str]) -> Path:
    subprocess.run([str(BIN / "nbgrader"), "quickstart", "quick"], cwd=tmp, env=env, check=True,
                   capture_output=True, stdin=subprocess.DEVNULL)
    return tmp / "quick"


def ours(tmp: Path, name: str, control: bool) -> Path:
    from grader.cli import main

    course = tmp / name
    with open(os.devnull, "w") as quiet:
        sys.stdout, saved = quiet, sys.stdout
        try:
            main(["nbgrader", "init", str(course), "--exercise", AID])
        finally:
            sys.stdout = saved
    if control:
        path = course / "source" / AID / f"{AID}.ipynb"
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                cell.source = "assert True"
        nbformat.write(nb, path)
    return course


def cell_costs(course: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds of the first test cell's process (grades everything) and of a later one (reads the cache)."""
    folder = course / "autograded" / "s1" / AID
    cmd = [sys.executable, "-I", "-m", "grader.integrations.nbgrader.cell", AID]
    fresh, cached = [], []
    for _ in range(3):
        for args, out in ((["build", "1", "--fresh"], fresh), (["loss", "1"], cached)):
            start = time.perf_counter()
            subprocess.run([*cmd, *args], cwd=folder, env={**env, "NBGRADER_EXECUTION": "autograde"},
                           capture_output=True, check=True)
            out.append(time.perf_counter() - start)
    return statistics.median(fresh), statistics.median(cached)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="bench-nbgrader-") as name:
        tmp = Path(name)
        env = env_for(tmp)
        results = {
            "quickstart ps1": measure(quickstart(tmp, env), env, "ps1"),
            "control (exercise-03, trivial tests)": measure(ours(tmp, "control", True), env, AID),
            "ours (exercise-03)": measure(ours(tmp, "ours", False), env, AID),
        }
        fresh, cached = cell_costs(tmp / "ours", env)
    print(f"nbgrader autograde, {N} submissions per course ({os.cpu_count()} CPUs)")
    for label, (one, marginal) in results.items():
        print(f"  {label:38s} 1 submission {one:5.1f} s   each further submission {marginal:5.2f} s")
    base = results["control (exercise-03, trivial tests)"][1]
    extra = results["ours (exercise-03)"][1] - base
    print(f"  overhead of our test cells per submission: {extra:+.2f} s (budget 2 s); "
          f"vs quickstart: {results['ours (exercise-03)'][1] - results['quickstart ps1'][1]:+.2f} s")
    print(f"  inside the cells: first cell (grades all, hidden cases on) {fresh:.2f} s, each later cell {cached:.3f} s")


if __name__ == "__main__":
    main()
