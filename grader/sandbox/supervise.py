"""Watching one child process: its result pipe, its stdout/stderr tails, its deadlines, its end.

The parent decides every deadline itself. A check's timer starts when the child says the check
starts (an ``S`` frame), but no frame moves the submission's hard deadline: at ``hard_deadline``
the whole sandbox is killed whatever the child says. Killing a sandbox kills the init of its pid
namespace, so every process of the submission ends with it (daemons and double forks included).
"""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import time
from dataclasses import dataclass, field

from grader.sandbox.wire import BadFrame, FrameReader, Tail

CHUNK = 1 << 20
STARTUP_S = 30.0  # before the harness says hello, no student code has run


@dataclass
class Watch:
    """What one child process did, as seen through its pipes."""

    expected: int  # the index of the next check the child may start
    started: bool = False  # the harness said hello
    current: int | None = None
    results: dict[int, bytes] = field(default_factory=dict)
    import_error: bytes | None = None
    summary: bytes | None = None
    timed_out: bool = False
    out_of_time: bool = False  # the hard deadline of the whole submission
    corrupt: str | None = None  # the pipe carried something that is not a frame, or a frame over the cap


@dataclass
class Streams:
    result: int
    stdout: int
    stderr: int
    info: int | None = None  # bwrap's --info-fd: the host pid of the sandbox's init


def _frames(watch: Watch, frames: list[tuple[str, bytes]], now: float, timeout_s: float,
            import_s: float | None = None) -> float | None:
    """Apply frames; returns a new check deadline when a check started (or the import, given ``import_s``)."""
    deadline = None
    for kind, payload in frames:
        if kind == "H" and not watch.started:
            watch.started = True
            # the import counts as one check, with the full limit even after a hang (a restarted child imports
            # the module again: TensorFlow's import takes seconds, not the after-hang limit)
            deadline = now + (timeout_s if import_s is None else import_s)
        elif kind == "S" and len(payload) == 4 and int.from_bytes(payload, "big") == watch.expected:
            watch.current = watch.expected
            deadline = now + timeout_s
        elif kind == "R" and watch.current is not None and payload[:4] == watch.current.to_bytes(4, "big"):
            watch.results[watch.current] = payload
            watch.expected, watch.current = watch.current + 1, None
        elif kind == "I" and watch.current is None and not watch.results:
            watch.import_error = payload[:65536]
        elif kind == "E":
            watch.summary = payload[:4096]
    return deadline


def watch(proc: subprocess.Popen[bytes], streams: Streams, *, start: int, timeout_s: float, hard_deadline: float,
          import_s: float | None = None,
          max_frame: int, stdout: Tail, stderr: Tail) -> tuple[Watch, int | None]:
    """Read everything until the child closes its result pipe or a deadline passes; then kill it."""
    state = Watch(expected=start)
    reader = FrameReader(max_frame)
    info = bytearray()
    open_fds = {streams.result, streams.stdout, streams.stderr} | ({streams.info} if streams.info is not None else set())
    check_deadline = time.monotonic() + max(timeout_s, STARTUP_S)  # interpreter, NumPy and sandbox start
    while streams.result in open_fds:
        now = time.monotonic()
        limit = min(check_deadline, hard_deadline)
        if now >= limit:
            state.timed_out, state.out_of_time = True, now >= hard_deadline
            break
        ready, _, _ = select.select(list(open_fds), [], [], limit - now)
        for fd in ready:
            chunk = os.read(fd, CHUNK)
            if not chunk:
                open_fds.discard(fd)
            elif fd == streams.result:
                try:
                    new = _frames(state, reader.feed(chunk), time.monotonic(), timeout_s, import_s)
                except BadFrame as exc:
                    # the frames before the bad one in the same chunk (a check's start) still count
                    _frames(state, exc.frames, time.monotonic(), timeout_s, import_s)
                    state.corrupt = str(exc)
                    open_fds.discard(fd)
                    break
                if new is not None:
                    check_deadline = new
                if state.summary is not None:  # the harness is done; whatever else runs is killed
                    open_fds.discard(fd)
                    break
            elif fd == streams.stdout:
                stdout.add(chunk)
            elif fd == streams.stderr:
                stderr.add(chunk)
            elif len(info) < 4096:
                info += chunk
    ns_pid = _ns_pid(bytes(info))
    # After ``E`` the harness has said everything (it flushes stdout and stderr first): nothing to wait for.
    # A child that ended otherwise (a crash, an import error) gets a moment to exit, for its exit status.
    finished = state.summary is not None or state.timed_out or state.corrupt
    kill(proc, ns_pid=ns_pid, grace_s=0.0 if finished else 1.0)
    _drain(open_fds - {streams.result}, streams, stdout, stderr)
    for fd in (streams.result, streams.stdout, streams.stderr, streams.info):
        if fd is not None:
            os.close(fd)
    return state, ns_pid


def _drain(fds: set[int], streams: Streams, stdout: Tail, stderr: Tail) -> None:
    """What is still in the output pipes once the sandbox is dead (never blocks: the writers are gone)."""
    for fd, tail in ((streams.stdout, stdout), (streams.stderr, stderr)):
        while fd in fds and select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, CHUNK)
            if not chunk:
                break
            tail.add(chunk)


def _ns_pid(info: bytes) -> int | None:
    try:
        pid = json.loads(info.decode("utf-8")).get("child-pid")
    except (ValueError, AttributeError):
        return None
    return pid if type(pid) is int and pid > 1 else None


def kill(proc: subprocess.Popen[bytes], *, ns_pid: int | None, grace_s: float = 0.0) -> None:
    """Let the child finish for ``grace_s``, then kill the sandbox's pid namespace and the process group.

    Killing the namespace's init makes the kernel kill every process in it; bwrap then exits, so
    once ``proc.wait()`` returns nothing of the submission is left.
    """
    if grace_s:
        _wait_exit(proc, grace_s)
    if ns_pid is not None and proc.poll() is None:
        try:
            os.kill(ns_pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        else:
            _wait_exit(proc, 5.0)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _wait_exit(proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Wait up to ``timeout_s`` for the child to exit, returning as soon as it does.

    ``Popen.wait(timeout=...)`` polls with sleeps of up to 50 ms; a pidfd wakes up the moment the
    process ends (Linux 5.3 and later; elsewhere the polling wait).
    """
    try:
        pidfd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            pass
        return
    try:
        if select.select([pidfd], [], [], timeout_s)[0]:
            proc.wait()  # it has exited: this only reaps it
    finally:
        os.close(pidfd)
