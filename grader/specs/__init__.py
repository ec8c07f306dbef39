"""The exercises, looked up by id. Each spec module defines ``EXERCISE``."""
from __future__ import annotations

import importlib

from grader.spec import Exercise

EXERCISE_IDS = ("exercise-03",)


class UnknownExercise(KeyError):
    pass


def get_exercise(exercise_id: str) -> Exercise:
    if exercise_id not in EXERCISE_IDS:
        raise UnknownExercise(exercise_id)
    module = importlib.import_module(f"grader.specs.{exercise_id.replace('-', '_')}")
    return module.EXERCISE


def all_exercises() -> tuple[Exercise, ...]:
    return tuple(get_exercise(e) for e in EXERCISE_IDS)
