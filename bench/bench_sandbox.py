"""What the bubblewrap sandbox costs (issue 9): prints figures, asserts nothing.

1. `grade exercise-03 --path <reference> --json ...` (the real console script) with `--sandbox required` and
   `--sandbox off`: median wall time over RUNS runs each, interleaved so that a change in the machine's load
   hits both alike. The goal: <= 0.30 s median with the sandbox.
2. `grade batch exercise-03` on a class of CLASS copies of the reference, `--sandbox required` and `off`:
   wall seconds per submission (median over BATCH_RUNS batches).
3. One bwrap start: `bwrap ... /usr/bin/true` with the grader's profile, single-stage (unprivileged user
   namespace) and, when this process is root, two-stage (root bwrap, setpriv to 65534, bwrap): median over
   STARTS starts, and the same for a plain `/usr/bin/true` for comparison.

Timings are wall clock: the load average is printed with them (the machine is shared). CPU time of the
children is printed too (RUSAGE_CHILDREN); it may leave out processes inside the sandbox that the
namespace's init reaps rather than their own parent, so read it as a lower bound with the sandbox.

    .venv/bin/python bench/bench_sandbox.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
EX = "exercise-03"
REFERENCE = ROOT / "solutions" / "exercise_03_rnn_cell.py"
TRUE = "/usr/bin/true"


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs"


def _timed(cmd: Sequence[str], *, cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(list(cmd), cwd=cwd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _summary(label: str, samples: Sequence[tuple[float, float]], per: int = 1) -> str:
    walls = [w / per for w, _ in samples]
    cpus = [c / per for _, c in samples]
    return (f"{label:<34} median {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f}); "
            f"CPU {statistics.median(cpus):.3f} s")


def bench_grade(runs: int) -> None:
    grade = Path(sys.executable).with_name("grade")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        samples: dict[str, list[tuple[float, float]]] = {"required": [], "off": []}
        for _ in range(runs):
            for mode in samples:
                cmd = [str(grade), EX, "--path", str(REFERENCE), "--json", str(out), "--sandbox", mode]
                samples[mode].append(_timed(cmd, cwd=ROOT))
    print(f"grade {EX} ({runs} runs each, {_load()})")
    for mode, got in samples.items():
        print("  " + _summary(f"--sandbox {mode}", got))
    extra = statistics.median(w for w, _ in samples["required"]) - statistics.median(w for w, _ in samples["off"])
    print(f"  the sandbox adds {extra:+.3f} s to the median")


def bench_batch(students: int, runs: int) -> None:
    grade = Path(sys.executable).with_name("grade")
    with tempfile.TemporaryDirectory() as tmp:
        klass = Path(tmp) / "class"
        klass.mkdir()
        for k in range(students):
            shutil.copyfile(REFERENCE, klass / f"student{k:03d}.py")
        samples: dict[str, list[tuple[float, float]]] = {"required": [], "off": []}
        for _ in range(runs):
            for mode in samples:
                out = Path(tmp) / f"out-{mode}-{len(samples[mode])}"
                cmd = [str(grade), "batch", EX, str(klass), "--out", str(out), "--sandbox", mode]
                samples[mode].append(_timed(cmd, cwd=ROOT))
    print(f"grade batch {EX}: {students} submissions, --jobs 1 ({runs} batches each, {_load()}); per submission:")
    for mode, got in samples.items():
        print("  " + _summary(f"--sandbox {mode}", got, per=students))


def bench_start(starts: int) -> None:
    sys.path.insert(0, str(ROOT))
    from grader.sandbox import bwrap

    tool = bwrap.find_bwrap()
    if tool is None:
        print("bwrap start: bubblewrap is not available here")
        return
    binds = bwrap.python_binds()
    profile = bwrap.Profile(ro_binds=binds, hide=bwrap.grader_hidden_paths(binds), work_dir="/sandbox/work")
    stages = {"single-stage (user namespace)": bwrap.bwrap_argv([TRUE], profile=profile, bwrap=tool, as_root=False)}
    if os.geteuid() == 0:
        stages["two-stage (root, setpriv 65534)"] = bwrap.bwrap_argv([TRUE], profile=profile, bwrap=tool, as_root=True)
    print(f"bwrap start ({tool}; {starts} starts each, {_load()})")
    with tempfile.TemporaryDirectory() as tmp:
        print("  " + _summary("plain /usr/bin/true", [_timed([TRUE], cwd=Path(tmp)) for _ in range(starts)]))
        for label, argv in stages.items():
            samples = [_timed(argv, cwd=Path(tmp)) for _ in range(starts)]
            if subprocess.run(argv, cwd=tmp, capture_output=True).returncode != 0:
                print(f"  {label}: cannot start here")
                continue
            print("  " + _summary(label, samples))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of grade exercise-03 per mode (default 7)")
    parser.add_argument("--class-size", type=int, default=20, help="submissions per batch (default 20)")
    parser.add_argument("--batches", type=int, default=3, help="batches per mode (default 3)")
    parser.add_argument("--starts", type=int, default=20, help="bwrap starts per kind (default 20)")
    args = parser.parse_args(argv)
    bench_start(args.starts)
    bench_grade(args.runs)
    bench_batch(args.class_size, args.batches)


if __name__ == "__main__":
    main()
