"""``grader.check(exercise, path=None)``: grade in a separate process and return the ``GradeReport``.

Inside IPython it uses (and, the first time, creates) the kernel's session, so ``%grade`` works after
it too; elsewhere it starts a grading process for this one call.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from grader.integrations.jupyter.session import GradeRequest, NotebookSession, NotebookUsageError
from grader.model import GradeReport


def _shell() -> Any:
    try:
        from IPython import get_ipython  # only when IPython is already running
    except ImportError:
        return None
    return get_ipython()


def check(exercise: str, path: str | Path | None = None, *, keras: str = "stored", timeout_s: float | None = None,
          memory_mb: int | None = None) -> GradeReport:
    """Grade ``path`` (default: this notebook's saved file) the way ``grade EXERCISE --path FILE`` does."""
    from grader.keys.load import exercise_ids

    if exercise not in exercise_ids():
        raise NotebookUsageError(f"unknown exercise {exercise!r}; the exercises are {', '.join(exercise_ids())}")
    if keras not in ("stored", "live", "off"):
        raise NotebookUsageError(f"keras must be 'stored', 'live' or 'off', not {keras!r}")
    request = GradeRequest(exercise=exercise, keras=keras, timeout_s=timeout_s, memory_mb=memory_mb)
    shell = _shell() if "IPython" in sys.modules else None
    if shell is not None:
        from grader.integrations.jupyter.magics import register

        session = register(shell)
        return session.grade_file(request, path=path, user_ns=shell.user_ns, env=os.environ, cwd=Path.cwd())
    session = NotebookSession()
    try:
        return session.grade_file(request, path=path, user_ns={}, env=os.environ, cwd=Path.cwd())
    finally:
        session.close()
