"""What the runner is asked to do: the job (submission, probe file, calls, limits, sandbox mode) and its words.

Plain data, shared by the runner (``runner.py``), the core and the integrations; importing it starts nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from grader.errors import UsageError
from grader.i18n import N_, Translator
from grader.model import RunResult

SandboxMode = Literal["auto", "required", "off"]
BUBBLEWRAP = N_("bubblewrap (no network, read-only system, private folders, separate user)")
PROCESS_ONLY = N_("process isolation only")  # shown as "process isolation only (REASON)" (sandbox_text)


def sandbox_text(sandbox: str, tr: Translator) -> str:
    """``GradeReport.sandbox`` (English, as the JSON keeps it) in ``tr``'s language."""
    prefix = f"{PROCESS_ONLY} ("
    if sandbox.startswith(prefix) and sandbox.endswith(")"):
        return tr._("process isolation only (%(reason)s)", reason=tr.text(sandbox[len(prefix):-1]))
    return tr.text(sandbox)


@dataclass(frozen=True, eq=False)
class ProbeCall:
    """One check to run in the child: which probe function, with which inputs.

    ``files`` are written to ``<child cwd>/<check>/``, one folder per check. With ``read_only`` the arrays reach
    the probe (and the student's code) as read-only memory mapped from the read-only job folder, so an in-place
    write raises in the student's code instead of being a claim the probe reports (``docs/sandbox.md``).
    """

    check: str
    probe: str
    params: dict[str, Any]
    arrays: dict[str, np.ndarray]
    files: dict[str, bytes] = field(default_factory=dict)
    read_only: bool = False


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 10.0  # per check, and for the import
    memory_mb: int = 2048
    max_restarts: int = 20
    after_timeout_s: float = 2.0  # per-check limit once one check has hung: the same loop usually hangs again
    total_s: float = 120.0  # hard wall-clock deadline for the whole submission, enforced by the parent
    nproc: int = 64  # processes of the sandbox's user (applied when the grader runs as root)
    nofile: int = 256
    result_mb: int = 64  # the largest result frame the parent reads
    work_mb: int = 256  # the private working folder (tmpfs); /tmp and /dev/shm get a quarter each


@dataclass(frozen=True, eq=False)
class Job:
    module_path: Path
    probe_path: Path
    calls: tuple[ProbeCall, ...]
    limits: Limits = Limits()
    sandbox: SandboxMode = "auto"


class Runner(Protocol):
    def run(self, job: Job) -> RunResult: ...


class SandboxUnavailable(UsageError):
    """``--sandbox required`` where bubblewrap cannot run."""
