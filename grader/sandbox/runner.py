"""Runs student code in a sandboxed child process with timeouts, resource limits and a hard deadline.

Every caller of :func:`grader.core.grade` comes through :class:`SubprocessRunner`. With
``sandbox="auto"`` (``grade``'s default) the child runs inside bubblewrap (``bwrap.py``) where user
namespaces are available, and in a plain child process ("process isolation only") where they are
not; ``"required"`` refuses to grade without bubblewrap (:class:`SandboxUnavailable`, exit 2);
``"off"`` is the plain child process. The report says which ran.

What the child sees in the sandbox: the interpreter and the venv read-only (the installed ``grader``
package hidden), the harness and the exercise's probe file read-only, a read-only job folder with a
*copy* of the submission and the inputs, a private tmpfs working folder. Results come back only as
frames on a pipe (``wire.py``), decoded strictly (``codec.py``); stdout and stderr through pipes
of which only a tail is kept; the parent enforces every deadline (``supervise.py``).
"""
from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader.errors import SubmissionError, UsageError
from grader.i18n import N_
from grader.model import ProbeOutcome, RunResult, StudentError
from grader.sandbox import bwrap
from grader.sandbox.cgroups import Cgroup, submission_cgroup
from grader.sandbox.job import BUBBLEWRAP, PROCESS_ONLY, Job, Limits, SandboxUnavailable
from grader.sandbox.codec import Unreadable, decode_error, decode_result, grader_error, unreadable
from grader.sandbox.supervise import Streams, Watch, watch
from grader.sandbox.wire import Tail

CHILD = Path(__file__).with_name("child.py")
INSIDE = "/sandbox"


class _SandboxFailed(Exception):
    """bwrap itself could not set the sandbox up (no user namespaces, ...)."""


def _limit_resources(limits: Limits, *, nproc: bool) -> None:
    def cap(which: int, value: int) -> None:
        resource.setrlimit(which, (value, value))

    cap(resource.RLIMIT_AS, limits.memory_mb * 2**20)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_FSIZE, 512 * 2**20)
    cap(resource.RLIMIT_NOFILE, limits.nofile)
    cap(resource.RLIMIT_CPU, int(limits.total_s) + 5)
    if nproc:  # counted per real uid: only meaningful for the sandbox's own uid (65534)
        cap(resource.RLIMIT_NPROC, limits.nproc)


def _enter_limits(limits: Limits, *, nproc: bool, group: Cgroup | None) -> None:
    """In the child, before exec: the rlimits, then the submission's cgroup where there is one (cgroups.py)."""
    _limit_resources(limits, nproc=nproc)
    if group is not None:
        group.join()


def child_env(home: str) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "TF_CPP_MIN_LOG_LEVEL": "2"}
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name][:64]
    return env


def trusted_file(path: Path) -> Path:
    """A grader file the child will run (harness, probes): a regular file nobody else can write."""
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UsageError(f"refusing to use {path}: it is not a regular file that only its owner can write")
    return Path(path)


def _copy_submission(source: Path, target: Path) -> None:
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        raise SubmissionError(f"cannot read {source}: {exc.strerror} (a symbolic link is not accepted)") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise SubmissionError(f"{source} is not a regular file")
        target.write_bytes(fh.read(16 * 2**20))


@dataclass(frozen=True)
class SubprocessRunner:
    """Runs the child harness, sandboxed as ``job.sandbox`` says."""

    python: str = sys.executable

    def run(self, job: Job) -> RunResult:
        mode = job.sandbox
        tool = bwrap.find_bwrap() if mode != "off" else None
        if mode == "required" and tool is None:
            raise SandboxUnavailable("--sandbox required: bubblewrap (bwrap) is not available on this machine")
        limits = job.limits
        with tempfile.TemporaryDirectory(prefix="rnn-grader-") as tmp, \
                submission_cgroup(memory_mb=limits.memory_mb, pids=limits.nproc) as group:
            work = Path(tmp)
            _write_job(work, job)
            if tool is not None:
                try:
                    return _supervise(_Spawner(self.python, job, work, tool, group), job, work)
                except _SandboxFailed as exc:
                    if mode == "required":
                        raise SandboxUnavailable(f"--sandbox required: the bubblewrap sandbox cannot start here ({exc})") from None
                    reason = str(exc)
            else:
                reason = N_("bubblewrap is not available") if mode == "auto" else N_("--sandbox off")
            result = _supervise(_Spawner(self.python, job, work, None, group), job, work)
            return RunResult(**{**result.__dict__, "sandbox": f"{PROCESS_ONLY} ({reason})"})


def _write_job(work: Path, job: Job) -> None:
    folder = work / "job"
    (folder / "submission").mkdir(parents=True)
    (work / "cwd").mkdir()
    name = Path(job.module_path).name if Path(job.module_path).suffix == ".py" else "submission.py"
    _copy_submission(Path(job.module_path), folder / "submission" / name)
    for k, call in enumerate(job.calls):
        if call.read_only:  # one .npy per array, which the child maps read-only (child.py: _inputs)
            (folder / f"in_{k}").mkdir()
            for i, array in enumerate(call.arrays.values()):
                np.save(folder / f"in_{k}" / f"{i}.npy", np.asarray(array), allow_pickle=False)
        else:
            np.savez(folder / f"in_{k}.npz", allow_pickle=False, **call.arrays)
        for file_name, content in call.files.items():
            target = folder / "files" / call.check / Path(file_name).name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


@dataclass
class _Spawner:
    """Starts one child: inside bubblewrap when ``tool`` is set, else as a plain process."""

    python: str
    job: Job
    work: Path
    tool: str | None
    cgroup: Cgroup | None = None

    def paths(self) -> tuple[str, str, str, str]:
        """(job folder, submission, probe file, harness) as the child sees them."""
        job_dir = self.work / "job"
        name = next((job_dir / "submission").iterdir()).name
        probe, child = trusted_file(Path(self.job.probe_path).resolve()), trusted_file(CHILD)
        if self.tool is None:
            return str(job_dir), str(job_dir / "submission" / name), str(probe), str(child)
        return f"{INSIDE}/job", f"{INSIDE}/job/submission/{name}", f"{INSIDE}/lib/probe.py", f"{INSIDE}/lib/child.py"

    def job_file(self) -> None:
        job_dir, module, probe, _ = self.paths()
        data = {"module_path": module, "module_name": "student_submission", "probe_path": probe,
                "checks": [{"name": c.check, "probe": c.probe, "params": c.params,
                            "read_only": list(c.arrays) if c.read_only else None} for c in self.job.calls]}
        path = self.work / "job" / "job.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        path.chmod(0o644)

    def argv(self, start: int, result_fd: int, info_fd: int | None) -> list[str]:
        job_dir, _, probe, child = self.paths()
        command = [self.python, "-I", child, job_dir, str(result_fd), str(start)]
        if self.tool is None:
            return command
        binds = bwrap.python_binds()
        extra = ((str(self.work / "job"), f"{INSIDE}/job"), (str(Path(self.job.probe_path).resolve()), probe),
                 (str(CHILD), child))
        limits = self.job.limits
        profile = bwrap.Profile(ro_binds=(*binds, *extra), hide=bwrap.grader_hidden_paths(binds),
                                work_dir=f"{INSIDE}/work", work_size_mb=limits.work_mb,
                                tmp_size_mb=max(16, limits.work_mb // 4))
        argv = bwrap.bwrap_argv(command, profile=profile, bwrap=self.tool)
        return [argv[0], "--info-fd", str(info_fd), *argv[1:]] if info_fd is not None else argv

    def spawn(self, start: int) -> tuple[subprocess.Popen[bytes], Streams]:
        result_r, result_w = os.pipe()
        info_r, info_w = os.pipe() if self.tool else (None, None)
        as_root = self.tool is not None and os.geteuid() == 0
        try:
            proc = subprocess.Popen(
                self.argv(start, result_w, info_w), cwd=self.work / "cwd", env=child_env(f"{INSIDE}/work"
                if self.tool else str(self.work / "cwd")), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, pass_fds=tuple(fd for fd in (result_w, info_w) if fd is not None),
                start_new_session=True, preexec_fn=lambda: _enter_limits(self.job.limits, nproc=as_root, group=self.cgroup))
        finally:
            for fd in (result_w, info_w):
                if fd is not None:
                    os.close(fd)
        assert proc.stdout is not None and proc.stderr is not None
        return proc, Streams(result=result_r, stdout=os.dup(proc.stdout.fileno()), stderr=os.dup(proc.stderr.fileno()),
                             info=info_r)


def _supervise(spawner: _Spawner, job: Job, work: Path) -> RunResult:
    outcomes: dict[str, ProbeOutcome] = {}
    start, processes, import_error = 0, 0, None
    limits = job.limits
    timeout, hard_deadline = limits.timeout_s, time.monotonic() + limits.total_s
    stdout, stderr, peaks = Tail(), Tail(), [0]
    spawner.job_file()
    out_of_time = False
    while start < len(job.calls) and processes <= limits.max_restarts and not out_of_time:
        proc, streams = spawner.spawn(start)
        processes += 1
        state, _ = watch(proc, streams, start=start, timeout_s=timeout, hard_deadline=hard_deadline,
                         import_s=limits.timeout_s, max_frame=limits.result_mb * 2**20, stdout=stdout, stderr=stderr)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
        out_of_time = state.out_of_time
        if processes == 1 and spawner.tool is not None and not state.started and _setup_failed(proc, stderr):
            raise _SandboxFailed(stderr.text().strip().splitlines()[-1][:300])
        peaks.append(_peak(state.summary))
        returncode = proc.returncode
        if spawner.tool is not None and returncode is not None and 128 < returncode < 160:
            returncode = 128 - returncode  # bwrap exits with 128 + N when its command was killed by signal N
        for k in range(start, state.expected):
            check = job.calls[k].check
            outcomes[check] = _decode(check, state.results[k])
        if state.current is None and state.expected == start and not state.results:
            if processes > 1:  # only a restart failed to import: the checks already graded keep their outcomes
                break
            if state.import_error is not None or state.corrupt is None:
                import_error = _import_failure(state, returncode, limits)
                break
        start = state.expected
        if start < len(job.calls) and (state.current == start or state.corrupt):
            outcomes[job.calls[start].check] = _died(job.calls[start].check, returncode, state, timeout, limits)
            start += 1
        elif start < len(job.calls) and state.summary is not None:
            break  # the harness ended normally without running every check: nothing more to try
        if state.timed_out:
            timeout = min(timeout, limits.after_timeout_s)
    for call in job.calls:
        outcomes.setdefault(call.check, ProbeOutcome(call.check, "not_run"))
    return RunResult(outcomes=outcomes, import_error=import_error, stdout_tail=stdout.text(), stderr_tail=stderr.text(),
                     peak_rss_kib=max(peaks), processes=processes, sandbox=BUBBLEWRAP if spawner.tool else PROCESS_ONLY)


def _setup_failed(proc: subprocess.Popen[bytes], stderr: Tail) -> bool:
    lines = stderr.text().strip().splitlines()
    return proc.returncode not in (0, None) and bool(lines) and lines[-1].startswith(("bwrap:", "setpriv:"))


def _decode(check: str, payload: bytes) -> ProbeOutcome:
    try:
        return decode_result(check, payload)[1]
    except (Unreadable, ValueError, KeyError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        return unreadable(check, str(exc) or type(exc).__name__)


def _peak(summary: bytes | None) -> int:
    try:
        peak = json.loads(summary.decode("utf-8")).get("peak_rss_kib", 0) if summary else 0
    except (ValueError, AttributeError, UnicodeDecodeError):
        return 0
    return peak if type(peak) is int and 0 <= peak < 2**40 else 0


def _exit_text(returncode: int | None) -> dict[str, object]:
    """How the process ended, as the values of a message: ``exit`` (a msgid) and its own values."""
    if returncode is not None and returncode < 0:
        try:
            return {"exit": N_("it was killed by signal %(signal)s"), "signal": signal.Signals(-returncode).name}
        except ValueError:
            return {"exit": N_("it was killed by signal %(signal)s"), "signal": -returncode}
    return {"exit": N_("it exited with code %(code)s (sys.exit or os._exit in your code?)"), "code": returncode}


def _died(check: str, returncode: int | None, state: Watch, timeout: float, limits: Limits) -> ProbeOutcome:
    if state.corrupt:
        return unreadable(check, state.corrupt)
    if state.out_of_time:
        error = grader_error("Timeout", N_("your submission used up its %(total)s s of total time and was stopped"),
                             total=f"{limits.total_s:g}")
        return ProbeOutcome(check, "timeout", error=error, seconds=timeout)
    if state.timed_out:
        error = grader_error("Timeout", N_("your code ran for more than %(limit)s s and was stopped (is there an "
                                           "infinite loop?)"), limit=f"{timeout:g}")
        return ProbeOutcome(check, "timeout", error=error, seconds=timeout)
    if returncode in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGXCPU):
        error = grader_error("MemoryLimit", N_("the process died (%(exit)s); it may have run out of the %(memory)s MiB "
                                               "memory limit"), memory=limits.memory_mb, **_exit_text(returncode))
        return ProbeOutcome(check, "memory", error=error)
    return ProbeOutcome(check, "crashed", error=grader_error("ProcessEnded", N_("the process ended: %(exit)s"),
                                                             **_exit_text(returncode)))


def _import_failure(state: Watch, returncode: int | None, limits: Limits) -> StudentError:
    if state.import_error is not None:
        try:
            return decode_error(json.loads(state.import_error.decode("utf-8")))
        except (ValueError, UnicodeDecodeError, RecursionError):
            return grader_error("CorruptResult", N_("your code returned something that could not be read"))
    if state.timed_out:
        return grader_error("Timeout", N_("importing your module took more than %(limit)s s (is there an infinite "
                                          "loop or long computation at the top level?)"), limit=f"{limits.timeout_s:g}")
    return grader_error("ProcessEnded", N_("the process ended while importing your module: %(exit)s"),
                        **_exit_text(returncode))
