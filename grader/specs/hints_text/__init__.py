"""Graded hints, as data: for each check, a series that starts with a nudge and gets more specific,
never the solution. ``%grade EXERCISE --hint CHECK`` shows them one at a time, learntools-style.

``exercise_NN.py`` here holds ``HINTS = {check name: (hint, hint, ...)}`` for one exercise (kept out of
the spec files so that they can change independently); a check's own ``Check.hints_text`` wins.
"""
from __future__ import annotations

import importlib
from typing import Mapping

from grader.spec import Exercise


def hint_table(exercise: Exercise) -> Mapping[str, tuple[str, ...]]:
    """The hints of every check of one exercise that has any (the data module, then ``Check.hints_text``)."""
    name = f"grader.specs.hints_text.exercise_{exercise.number}"
    try:
        table: dict[str, tuple[str, ...]] = dict(importlib.import_module(name).HINTS)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        table = {}
    for check in exercise.checks:
        if check.hints_text:
            table[check.name] = tuple(check.hints_text)
    return table


def hints_for(exercise: Exercise, check: str) -> tuple[str, ...]:
    """The hints of one check (a hidden case shares its public check's hints); () when none are written."""
    return tuple(hint_table(exercise).get(check.removesuffix("-hidden"), ()))
