"""Throughput of grading a class: `nbgrader autograde` against `grade batch --jobs 2`, then 40 -> 1,000.

Part 1, side by side: the same N (default 40) exercise-03 notebooks (the generated assignment with its
solution, as a student hands it in) graded by the real `nbgrader autograde` of a course from
`grade nbgrader init`, and by `grade batch exercise-03 DIR --jobs 2`: seconds per submission and the
ratio (goal: batch at least 30x faster). `grade batch` runs with `--sandbox required` when it has that
option (the OS sandbox), and the figure says which isolation ran.

Part 2, scale: `grade batch --jobs 2` on 40 and on 1,000 submissions of a made-up class (references,
stubs, mistakes; tests/synthetic_class.py): seconds per submission, and the peak resident memory of the
batch process and of its largest child. Both should stay flat as the class grows.

Each run is a fresh process; CPU seconds come from resource.getrusage. Usage:
    .venv/bin/python bench/bench_throughput.py [--n 40] [--scale 40,1000] [--skip-nbgrader]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AID = "exercise-03"
sys.path.insert(0, str(ROOT / "tests"))

# Runs `grade ...` in this process and reports its own peak memory and its children's (a fresh process per run).
PROBE = """
import json, resource, sys, time
from grader.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
wall = time.perf_counter() - start
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "wall": wall, "self_rss_mib": me.ru_maxrss / 1024,
                  "child_rss_mib": kids.ru_maxrss / 1024, "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime}),
      file=sys.__stderr__)
"""


def env_for(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RNN_GRADER_HIDDEN_SEED", "NBGRADER_EXECUTION")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(tmp / name.lower())
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: list[str], *, cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and everything it waited for)."""
    start, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start, _children_cpu() - cpu


def grade_batch(args: list[str], *, env: dict[str, str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, "batch", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    figures = json.loads(proc.stderr.strip().splitlines()[-1])
    if figures["code"] != 0:
        raise SystemExit(f"grade batch failed:\n{proc.stderr[-3000:]}")
    return figures


def sandbox_args(env: dict[str, str]) -> tuple[list[str], str]:
    help_text = subprocess.run([sys.executable, "-m", "grader.cli", "batch", "--help"], cwd=ROOT, env=env,
                               capture_output=True, text=True).stdout
    if "--sandbox" in help_text:
        return ["--sandbox", "required"], "OS sandbox (--sandbox required)"
    return [], "process isolation only (this grade batch has no --sandbox yet)"


def side_by_side(tmp: Path, n: int, env: dict[str, str]) -> None:
    from grader.cli import main as grade_main

    course = tmp / "course"
    with open(os.devnull, "w") as quiet:
        sys.stdout, saved = quiet, sys.stdout
        try:
            grade_main(["nbgrader", "init", str(course), "--exercise", AID])
        finally:
            sys.stdout = saved
    nbgrader = [str(BIN / "nbgrader")]
    run([*nbgrader, "generate_assignment", AID, "--force", "--log-level=ERROR"], cwd=course, env=env)
    batch_dir = tmp / "batch-notebooks"
    batch_dir.mkdir()
    notebook = next((course / "source" / AID).glob("*.ipynb"))
    for k in range(n):
        target = course / "submitted" / f"s{k:03d}" / AID
        target.mkdir(parents=True)
        shutil.copy(notebook, target / notebook.name)
        shutil.copy(notebook, batch_dir / f"s{k:03d}.ipynb")
    t_nb, cpu_nb = run([*nbgrader, "autograde", AID, "--force", "--log-level=ERROR"], cwd=course, env=env)
    extra, isolation = sandbox_args(env)
    figures = grade_batch([AID, str(batch_dir), "--out", str(tmp / "batch-out"), "--jobs", "2", *extra], env=env)
    nb_per, gb_per = t_nb / n, figures["wall"] / n
    print(f"Part 1: the same {n} exercise-03 notebooks ({os.cpu_count()} CPUs; a shared machine: wall times under load,"
          " CPU times steadier)")
    print(f"  nbgrader autograde (sandboxed kernel)  {t_nb:7.1f} s   {nb_per:6.3f} s/submission   "
          f"CPU {cpu_nb / n:6.3f} s/submission")
    print(f"  grade batch --jobs 2                   {figures['wall']:7.1f} s   {gb_per:6.3f} s/submission   "
          f"CPU {figures['cpu'] / n:6.3f} s/submission   [{isolation}]")
    print(f"  ratio: grade batch is {nb_per / gb_per:5.1f}x faster per submission in wall time, "
          f"{cpu_nb / figures['cpu']:5.1f}x in CPU time (goal >= 30x)")
    print("  (CPU times leave out what ran inside a bubblewrap sandbox: its pid namespace is not reaped into this\n"
          "   process tree's rusage; with a sandbox on, compare the wall times)")


def scale(tmp: Path, sizes: list[int], env: dict[str, str]) -> None:
    from synthetic_class import make_class

    extra, isolation = sandbox_args(env)
    print(f"Part 2: grade batch --jobs 2 as the class grows [{isolation}]")
    mutants = tmp / "mutants"
    for n in sizes:
        folder = tmp / f"class-{n}"
        make_class(folder, n, mutants_dir=mutants)
        figures = grade_batch([AID, str(folder), "--out", str(tmp / f"out-{n}"), "--jobs", "2", *extra], env=env)
        print(f"  {n:5d} submissions  {figures['wall']:7.1f} s   {figures['wall'] / n:6.3f} s/submission   "
              f"CPU {figures['cpu'] / n:6.3f} s/submission   peak RSS: batch {figures['self_rss_mib']:6.1f} MiB, "
              f"largest child {figures['child_rss_mib']:6.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--scale", default="40,1000")
    parser.add_argument("--skip-nbgrader", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as name:
        tmp = Path(name)
        env = env_for(tmp)
        if not args.skip_nbgrader:
            side_by_side(tmp, args.n, env)
        scale(tmp, [int(s) for s in args.scale.split(",") if s], env)
    me = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"(all runs: {me.ru_utime + me.ru_stime:.0f} CPU seconds)")


if __name__ == "__main__":
    main()
