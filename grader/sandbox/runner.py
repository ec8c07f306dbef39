"""Runs student code in a child process with a timeout and resource limits.

The :class:`Runner` protocol is the one seam between the checks and process isolation: an
OS-level sandbox (bubblewrap, namespaces) can be slotted in by passing ``wrap=("bwrap", ...)`` to
:class:`SubprocessRunner`, or by writing another runner, without touching any check.
"""
from __future__ import annotations

import json
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from grader.sandbox.codec import decode_outcome, decode_error
from grader.model import ProbeOutcome, RunResult, StudentError

CHILD = Path(__file__).with_name("child.py")


@dataclass(frozen=True, eq=False)
class ProbeCall:
    """One check to run in the child: which probe function, with which inputs.

    ``files`` are written to ``<child cwd>/<check>/``, one folder per check.
    """

    check: str
    probe: str
    params: dict[str, Any]
    arrays: dict[str, np.ndarray]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 10.0  # per check, and for the import
    memory_mb: int = 2048
    max_restarts: int = 20
    after_timeout_s: float = 2.0  # per-check limit once one check has hung: the same loop usually hangs again
    total_s: float = 120.0  # wall-clock budget for the whole submission


@dataclass(frozen=True, eq=False)
class Job:
    module_path: Path
    probe_path: Path
    calls: tuple[ProbeCall, ...]
    limits: Limits = Limits()


class Runner(Protocol):
    def run(self, job: Job) -> RunResult: ...


def _limit_resources(memory_mb: int) -> None:
    limit = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 2**20, 512 * 2**20))


def child_env(home: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C.UTF-8",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONHASHSEED": "0"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


@dataclass(frozen=True)
class SubprocessRunner:
    """Runs the child harness as ``[*wrap, python, -I, child.py, job.json, fd]``."""

    python: str = sys.executable
    wrap: tuple[str, ...] = ()

    def run(self, job: Job) -> RunResult:
        with tempfile.TemporaryDirectory(prefix="rnn-grader-") as tmp:
            work = Path(tmp)
            _write_inputs(work, job)
            return _supervise(self, job, work)

    def spawn(self, job_file: Path, work: Path, memory_mb: int) -> tuple[subprocess.Popen[bytes], int]:
        read_fd, write_fd = os.pipe()
        out = open(work / "stdout.txt", "ab")
        err = open(work / "stderr.txt", "ab")
        try:
            proc = subprocess.Popen(
                [*self.wrap, self.python, "-I", str(CHILD), str(job_file), str(write_fd)],
                cwd=work / "cwd", env=child_env(str(work / "cwd")), stdin=subprocess.DEVNULL,
                stdout=out, stderr=err, pass_fds=(write_fd,), start_new_session=True,
                preexec_fn=lambda: _limit_resources(memory_mb),
            )
        finally:
            os.close(write_fd)
            out.close()
            err.close()
        return proc, read_fd


def _write_inputs(work: Path, job: Job) -> None:
    (work / "out").mkdir()
    (work / "cwd").mkdir()
    for k, call in enumerate(job.calls):
        np.savez(work / "out" / f"in_{k}.npz", allow_pickle=False, **call.arrays)
        if call.files:
            (work / "cwd" / call.check).mkdir()
        for name, content in call.files.items():
            (work / "cwd" / call.check / name).write_bytes(content)


def _job_file(work: Path, job: Job, start: int) -> Path:
    data = {
        "module_path": str(Path(job.module_path).resolve()), "module_name": "student_submission",
        "probe_path": str(Path(job.probe_path).resolve()), "out_dir": str(work / "out"), "start": start,
        "checks": [{"name": c.check, "probe": c.probe, "params": c.params} for c in job.calls],
    }
    path = work / f"job_{start}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _kill(proc: subprocess.Popen[bytes], *, grace_s: float = 0.0) -> None:
    """Let the child finish for ``grace_s``, then kill its whole process group (strays included)."""
    if grace_s:
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


@dataclass
class _Watch:
    """What one child process did, as seen through its progress pipe."""

    current: int | None = None
    done: set[int] = field(default_factory=set)
    timed_out: bool = False


def _watch(proc: subprocess.Popen[bytes], fd: int, timeout_s: float) -> _Watch:
    watch = _Watch()
    deadline = time.monotonic() + timeout_s
    buffer = b""
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            watch.timed_out = True
            break
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            kind, _, num = line.decode("ascii", "replace").partition(" ")
            if not num.strip().isdigit():
                continue
            if kind == "S":
                watch.current = int(num)
                deadline = time.monotonic() + timeout_s
            elif kind == "D":
                watch.done.add(int(num))
    os.close(fd)
    _kill(proc, grace_s=0.0 if watch.timed_out else 2.0)
    return watch


def _supervise(runner: SubprocessRunner, job: Job, work: Path) -> RunResult:
    outcomes: dict[str, ProbeOutcome] = {}
    start, processes, import_error = 0, 0, None
    timeout, budget_end = job.limits.timeout_s, time.monotonic() + job.limits.total_s
    while start < len(job.calls) and processes <= job.limits.max_restarts and time.monotonic() < budget_end:
        proc, fd = runner.spawn(_job_file(work, job, start), work, job.limits.memory_mb)
        processes += 1
        watch = _watch(proc, fd, timeout)
        if watch.current is None and not watch.done:
            import_error = _import_failure(work, proc.returncode, watch.timed_out, job.limits)
            break
        for k in range(start, len(job.calls)):
            outcome = _read_outcome(work, k, job.calls[k].check)
            if outcome is None:
                break
            outcomes[job.calls[k].check] = outcome
            start = k + 1
        else:
            break
        if start < len(job.calls) and watch.current == start:
            outcomes[job.calls[start].check] = _died(job.calls[start].check, proc.returncode, watch, timeout, job.limits)
            start += 1
        if watch.timed_out:
            timeout = min(timeout, job.limits.after_timeout_s)
    for call in job.calls:
        outcomes.setdefault(call.check, ProbeOutcome(call.check, "not_run"))
    return RunResult(outcomes=outcomes, import_error=import_error, stdout_tail=_tail(work / "stdout.txt"),
                     stderr_tail=_tail(work / "stderr.txt"), peak_rss_kib=_peak(work), processes=processes)


def _read_outcome(work: Path, k: int, check: str) -> ProbeOutcome | None:
    path = work / "out" / f"res_{k}.json"
    if not path.exists():
        return None
    npz = work / "out" / f"res_{k}.npz"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        return decode_outcome(check, record, npz if npz.exists() else None)
    except (ValueError, KeyError, TypeError, OSError) as exc:
        error = StudentError("CorruptResult", f"the result file could not be read ({exc})")
        return ProbeOutcome(check, "crashed", error=error)


def _exit_text(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        try:
            return f"it was killed by signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"it was killed by signal {-returncode}"
    return f"it exited with code {returncode} (sys.exit or os._exit in your code?)"


def _died(check: str, returncode: int | None, watch: _Watch, timeout: float, limits: Limits) -> ProbeOutcome:
    if watch.timed_out:
        error = StudentError("Timeout", f"your code ran for more than {timeout:g} s and was stopped "
                             "(is there an infinite loop?)")
        return ProbeOutcome(check, "timeout", error=error, seconds=timeout)
    if returncode == -signal.SIGKILL or returncode == -signal.SIGSEGV:
        error = StudentError("MemoryLimit", f"the process died ({_exit_text(returncode)}); it may have run out of "
                             f"the {limits.memory_mb} MiB memory limit")
        return ProbeOutcome(check, "memory", error=error)
    return ProbeOutcome(check, "crashed", error=StudentError("ProcessEnded", f"the process ended: {_exit_text(returncode)}"))


def _import_failure(work: Path, returncode: int | None, timed_out: bool, limits: Limits) -> StudentError:
    path = work / "out" / "import.json"
    if path.exists():
        return decode_error(json.loads(path.read_text(encoding="utf-8")))
    if timed_out:
        return StudentError("Timeout", f"importing your module took more than {limits.timeout_s:g} s "
                            "(is there an infinite loop or long computation at the top level?)")
    return StudentError("ProcessEnded", f"the process ended while importing your module: {_exit_text(returncode)}")


def _tail(path: Path, limit: int = 4000) -> str:
    if not path.exists():
        return ""
    data = path.read_bytes()[-limit:]
    return data.decode("utf-8", "replace")


def _peak(work: Path) -> int:
    peaks = [json.loads(p.read_text()).get("peak_rss_kib", 0) for p in (work / "out").glob("summary_*.json")]
    return int(max([0, *[p for p in peaks if isinstance(p, int)]]))
