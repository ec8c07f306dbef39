"""Diagnoses that name the root cause: a post-pass over one submission's check results.

:func:`refine` runs after every check has been evaluated (``grader/evaluate.py``) and before the report is
built. It only rewrites student-facing sentences; points and statuses never change here.

* :mod:`grader.diagnose.exceptions` turns common NumPy exceptions into the mistake behind them, using the
  failing line of the student's file and the shapes of the arrays that line could see;
* :mod:`grader.diagnose.clues` reports the warnings (NumPy's RuntimeWarnings) the student's code raised during a
  failed check, with their line, as a clue next to that check;
* :mod:`grader.diagnose.upstream` says "fix X first" when a check that another one builds on fails
  (``Check.depends``, data in the spec), once and before anything else.
"""
from __future__ import annotations

from grader.diagnose.refine import refine

__all__ = ["refine"]
