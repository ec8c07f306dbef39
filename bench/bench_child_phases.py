"""Where one sandboxed run of `grade exercise-03` spends its wall time, inside one grader process.

Phases, medians over BENCH_RUNS gradings of the reference (the grader's own imports are not counted):
before the spawn (key, job files), spawn -> hello (bwrap, the child's interpreter and NumPy), hello -> end
(the probes and the student's code), end -> reaped (stopping the sandbox once the harness has said E),
and after (comparing, the report). The end -> reaped phase had a median of 114 ms (load 3.9 on 2 cores)
while the parent gave a child that had said E a 1 s grace to exit (interpreter shutdown, bwrap's end, and
``Popen.wait(timeout=...)``, which polls with sleeps of up to 50 ms); it is 12-16 ms now (load 3.6-4.4).
Run: ``.venv/bin/python bench/bench_child_phases.py [--sandbox off]``. Wall times: note the machine's load.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
PHASES = ("before spawn", "spawn -> hello", "hello -> end", "end -> reaped", "after")


def _instrument(marks: dict[str, float]) -> None:
    """Wrap the runner's spawn, frame handling and kill so that each records when it happened."""
    import grader.sandbox.runner as runner
    import grader.sandbox.supervise as supervise

    frames, spawn, kill = supervise._frames, runner._Spawner.spawn, supervise.kill

    def timed_frames(state: Any, batch: list[tuple[str, bytes]], now: float, *args: Any, **kwargs: Any) -> Any:
        for kind, _ in batch:
            marks.setdefault(kind, now)
        return frames(state, batch, now, *args, **kwargs)

    def timed_spawn(self: Any, start: int) -> Any:
        marks.setdefault("spawn", time.monotonic())
        return spawn(self, start)

    def timed_kill(proc: Any, **kwargs: Any) -> None:
        kill(proc, **kwargs)
        marks["reaped"] = time.monotonic()

    supervise._frames, runner._Spawner.spawn, supervise.kill = timed_frames, timed_spawn, timed_kill


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    from grader.core import Options, grade

    options = Options(sandbox=argv[argv.index("--sandbox") + 1]) if "--sandbox" in argv else Options()
    marks: dict[str, float] = {}
    _instrument(marks)
    reference = ROOT / "solutions" / "exercise_03_rnn_cell.py"
    rows: list[tuple[float, ...]] = []
    sandbox = ""
    for run in range(RUNS + 1):
        marks.clear()
        start = time.monotonic()
        report = grade(str(reference), "exercise-03", options)
        end = time.monotonic()
        assert report.full_marks
        sandbox = report.sandbox
        if run:  # the first run warms the caches
            rows.append((marks["spawn"] - start, marks["H"] - marks["spawn"], marks["E"] - marks["H"],
                         marks["reaped"] - marks["E"], end - marks["reaped"], end - start))
    print(f"grade exercise-03 (reference), {RUNS} runs, sandbox: {sandbox}; load average {os.getloadavg()[0]:.2f}")
    for k, name in enumerate((*PHASES, "total")):
        values = [row[k] * 1000 for row in rows]
        print(f"  {name:<15} median {statistics.median(values):6.1f} ms   (min {min(values):6.1f}, "
              f"max {max(values):6.1f})")


if __name__ == "__main__":
    main(sys.argv)
