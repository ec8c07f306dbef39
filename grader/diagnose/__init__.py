"""Diagnoses that name the root cause: a post-pass over one submission's check results.

:func:`refine` runs after every check has been evaluated (``grader/evaluate.py``) and before the report is
built. It only rewrites student-facing sentences; points and statuses never change here.

* :mod:`grader.diagnose.exceptions` turns common NumPy exceptions into the mistake behind them, using the
  failing line of the student's file and the shapes of the arrays that line could see;
* :mod:`grader.diagnose.clues` reports the warnings (NumPy's RuntimeWarnings) the student's code raised during a
  failed check, with their line, as a clue next to that check;
* :mod:`grader.diagnose.upstream` says "fix X first" when a check that another one builds on fails
  (``Check.depends``, data in the spec), once and before anything else.
* :mod:`grader.diagnose.bptt` verifies exercise-04's "the error enters at step k" before it is said (h0 alone
  wrong, a backward loop that never runs for T = 1, gradients cut off at ±c).

* :mod:`grader.diagnose.crossed` (called by ``grader/evaluate.py`` for each failed field) names outputs that hold
  exactly what another output of the check should be: swapped return values, the wrong variable stored.

The entry point is :func:`grader.diagnose.refine.refine`; this package's ``__init__`` imports nothing, so that
``grader/explainers.py`` can use :mod:`grader.diagnose.bptt` without an import circle.
"""
from __future__ import annotations
