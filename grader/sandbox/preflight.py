"""Refuse a whole run up front when ``--sandbox required`` cannot be met.

``grade batch``, selfcheck and the nbgrader cells grade many submissions; with ``--sandbox required``
they must not grade any of them (nor write one "could not be graded" row per student) when bubblewrap
is missing or cannot start on this machine. :func:`require_sandbox` starts one empty sandbox with the
same profile and two-stage drop as the runner and raises :class:`SandboxUnavailable` (a usage error:
exit 2, one line) when that fails.
"""
from __future__ import annotations

import os
import subprocess
import tempfile

from grader.i18n import Translator, translator
from grader.sandbox import bwrap
from grader.sandbox.job import SandboxMode, SandboxUnavailable

TRUE = next((p for p in ("/usr/bin/true", "/bin/true") if os.access(p, os.X_OK)), "/usr/bin/true")


def sandbox_problem(*, timeout_s: float = 20.0) -> str | None:
    """Why the bubblewrap sandbox cannot run here, or None when an empty sandbox starts and exits 0."""
    tool = bwrap.find_bwrap()
    if tool is None:
        return "bubblewrap (bwrap) is not available on this machine"
    binds = bwrap.python_binds()
    profile = bwrap.Profile(ro_binds=binds, hide=bwrap.grader_hidden_paths(binds), work_dir="/sandbox/work",
                            work_size_mb=1, tmp_size_mb=1)
    try:
        argv = bwrap.bwrap_argv([TRUE], profile=profile, bwrap=tool)
    except (FileNotFoundError, ValueError) as exc:
        return str(exc)
    with tempfile.TemporaryDirectory(prefix="rnn-grader-preflight-") as cwd:
        try:
            done = subprocess.run(argv, cwd=cwd, env={"PATH": "/usr/bin:/bin"}, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout_s)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{type(exc).__name__}: {exc}"
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return (lines[-1] if lines else f"bwrap exited with code {done.returncode}")[:300]
    return None


def require_sandbox(mode: SandboxMode, *, tr: Translator | None = None) -> None:
    """With ``mode == "required"``, raise :class:`SandboxUnavailable` unless the sandbox starts here."""
    if mode != "required":
        return
    problem = sandbox_problem()
    if problem is not None:
        tr = tr or translator()
        raise SandboxUnavailable(tr._("--sandbox required: the bubblewrap sandbox cannot start here (%(problem)s), "
                                      "so nothing was graded. Run where bubblewrap works, or pass --sandbox auto to "
                                      "grade with process isolation only.", problem=problem))
