"""The kernel's side of the grading process: start it, send a request, wait for the answer, restart it.

The worker is a separate ``python -I`` process started from this interpreter, in its own session (an
interrupt of the kernel does not reach it), with the kernel's ``PYTHON*`` and ``LD_*`` variables
removed. It is started once, answers many requests, and is restarted when it has died.

When the student interrupts a grade (or the kernel ends), the worker is *retired*, not killed: its
stdin is closed, so it finishes the grade it is on (its sandbox's own time limits bound that and kill
the student's process) and exits; the next request gets a fresh worker. Killing it mid-grade would
leave the sandboxed child (in a session of its own) running. Only a worker that stops answering
altogether is killed.
"""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

PACKAGE_PARENT = str(Path(__file__).resolve().parents[3])  # the folder that holds the `grader` package
BOOTSTRAP = ("import sys; sys.path.insert(0, sys.argv[1]); "
             "from grader.integrations.jupyter.worker import main; raise SystemExit(main())")


class WorkerError(RuntimeError):
    """The grading process died, timed out or answered nonsense."""


def worker_env(environ: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in environ.items() if not k.startswith(("PYTHON", "LD_"))}


@dataclass(eq=False)
class GradingService:
    """One long-lived grading process per kernel (``%grade`` answers in a fraction of a second)."""

    python: str = sys.executable
    deadline_s: float = 300.0  # the sandbox's own budget is 120 s per submission; live Keras adds its import
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _buffer: bytes = field(default=b"", init=False, repr=False)
    _retired: list[subprocess.Popen[bytes]] = field(default_factory=list, init=False, repr=False)

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        self._retired = [p for p in self._retired if p.poll() is None]  # reap those that have finished
        if self.alive:
            return
        self.stop()
        self._proc = subprocess.Popen(
            [self.python, "-I", "-c", BOOTSTRAP, PACKAGE_PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir(), env=worker_env(os.environ), start_new_session=True)
        self._buffer = b""

    def retire(self) -> None:
        """Let the worker finish its current grade and exit on its own (see the module doc)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        if proc.poll() is None:
            self._retired.append(proc)

    def stop(self) -> None:
        """Kill the worker now (it stopped answering, or it is idle)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()

    def request(self, message: Mapping[str, Any]) -> dict[str, Any]:
        """Send one request and return the answer; a worker that had died is restarted once."""
        for attempt in (1, 2):
            self.start()
            try:
                return self._exchange(message)
            except BrokenPipeError:
                self.stop()
                if attempt == 2:
                    raise WorkerError("the grading process could not be started") from None
            except WorkerError:  # it stopped answering or answered nonsense
                self.stop()
                raise
            except BaseException:  # an interrupt (KeyboardInterrupt): the answer will never be read
                self.retire()
                raise
        raise AssertionError("unreachable")

    def _exchange(self, message: Mapping[str, Any]) -> dict[str, Any]:
        assert self._proc is not None and self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(json.dumps(dict(message)).encode() + b"\n")
        self._proc.stdin.flush()
        fd, end = self._proc.stdout.fileno(), time.monotonic() + self.deadline_s
        while b"\n" not in self._buffer:
            left = end - time.monotonic()
            if left <= 0:
                raise WorkerError(f"the grading process did not answer within {self.deadline_s:g} s")
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    if self._buffer:
                        raise WorkerError("the grading process ended in the middle of its answer")
                    raise BrokenPipeError
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            answer = json.loads(line)
        except ValueError:
            raise WorkerError("the grading process answered something that is not JSON") from None
        if not isinstance(answer, dict):
            raise WorkerError("the grading process answered something that is not a JSON object")
        return answer
