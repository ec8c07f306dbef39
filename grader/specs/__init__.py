"""The exercises, looked up by id. Each spec module ``grader/specs/exercise_NN.py`` defines ``EXERCISE``."""
from __future__ import annotations

import importlib
from pathlib import Path

from grader.spec import Exercise

EXERCISE_IDS = tuple(sorted(p.stem.replace("_", "-") for p in Path(__file__).parent.glob("exercise_[0-9][0-9].py")))


class UnknownExercise(KeyError):
    pass


def get_exercise(exercise_id: str) -> Exercise:
    if exercise_id not in EXERCISE_IDS:
        raise UnknownExercise(exercise_id)
    module = importlib.import_module(f"grader.specs.{exercise_id.replace('-', '_')}")
    return module.EXERCISE


def all_exercises() -> tuple[Exercise, ...]:
    return tuple(get_exercise(e) for e in EXERCISE_IDS)
