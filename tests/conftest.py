from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.core import Options, grade
from grader.model import GradeReport
from grader.sandbox.runner import SubprocessRunner
from grader.specs import get_exercise
from mutation import materialise_all
from replay import Recorder

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
# the child's outcomes of every graded() call, by job (test_release replays them to the release's grader)
RECORDED = Recorder(SubprocessRunner())


@functools.lru_cache(maxsize=None)
def graded(path: str, exercise_id: str, keras: str = "stored", timeout_s: float | None = None) -> GradeReport:
    """Grade a file once per test session (grading is deterministic)."""
    return grade(Path(path), get_exercise(exercise_id), Options(keras=keras, timeout_s=timeout_s,  # type: ignore[arg-type]
                                                                runner=RECORDED))


def check(report: GradeReport, name: str):
    found = [c for c in report.checks if c.name == name]
    assert found, f"no check {name!r} in {[c.name for c in report.checks]}"
    return found[0]


def full_text(result) -> str:
    parts = [result.message]
    for d in result.diagnoses:
        parts += [d.message, d.likely_cause or ""]
    return " ".join(parts)


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def mutants(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, str]]:
    """``mutants(exercise_id)``: every mutant of the exercise as ``{name: path}``, written once per session
    (so :func:`graded` grades each one once)."""
    written: dict[str, dict[str, str]] = {}

    def paths(exercise_id: str) -> dict[str, str]:
        if exercise_id not in written:
            folder = tmp_path_factory.mktemp(exercise_id.replace("-", "_"))
            written[exercise_id] = {name: str(path) for name, path in materialise_all(exercise_id, folder).items()}
        return written[exercise_id]

    return paths
