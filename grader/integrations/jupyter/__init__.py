"""Grading inside Jupyter: ``%load_ext grader`` registers ``%grade`` / ``%%grade``, and ``check()`` returns
the ``GradeReport``. Both grade in a separate grading process (the same ``grade()`` and sandbox as the
``grade`` command), never in the student's kernel; the report renders inline through the shared templates.

Nothing here imports IPython until the extension is loaded; nothing here ever imports TensorFlow.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.model import GradeReport


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext grader``: register the magics on this shell (idempotent)."""
    from grader.integrations.jupyter.magics import register

    register(ipython)


def check(exercise: str, path: str | Path | None = None, **options: Any) -> GradeReport:
    """Grade ``path`` (default: this notebook's file) in a separate process and return the report."""
    from grader.integrations.jupyter.api import check as _check

    return _check(exercise, path, **options)
