"""exercise-08 (the chapter's Keras models) end to end, and the per-exercise child limits it needs.

Every mutant's own check and words are in ``tests/mutants/exercise_08.toml``; ``test_every_exercise.py``
grades them all.
"""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from grader.core import Options, _limits
from grader.spec import ChildLimits
from grader.specs import all_exercises, get_exercise


def test_the_child_gets_the_exercise_limits_unless_options_override_them():
    exercise = get_exercise("exercise-03")
    own = exercise.limits
    limits = _limits(exercise, Options())
    assert (limits.timeout_s, limits.memory_mb, limits.total_s) == (own.timeout_s, own.memory_mb, own.total_s)
    limits = _limits(exercise, Options(timeout_s=1.5, memory_mb=700))
    assert (limits.timeout_s, limits.memory_mb, limits.total_s) == (1.5, 700, own.total_s)
    assert (exercise.timeout_s, exercise.memory_mb) == (own.timeout_s, own.memory_mb)


def test_grade_list_shows_each_exercise_limits():
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "list"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    for exercise in all_exercises():
        line = next(line for line in lines if line.startswith(exercise.id))
        assert exercise.limits.describe() in line
    assert ChildLimits(timeout_s=60, memory_mb=8192, tensorflow=True).describe() == \
        "60 s per check, 8192 MiB, 120 s in all, with TensorFlow"
