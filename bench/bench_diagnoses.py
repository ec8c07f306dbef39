"""How many mutants get a diagnosis that names their cause (issue 11's figure).

For every mutant of exercises 01-05 (``tests/mutants/``; with ``--mine`` only the diagnoses engineer's
``exercise_0N_diagnoses.toml`` ones), grade it and count it as *named* when every expected check fails and its
report contains the mutant's words (the cause, in the student's terms). Prints the count per exercise and the
names that miss. To measure an older grader, run this file with ``PYTHONPATH`` pointing at that checkout: the
mutants (and their words) are always taken from this one.

    .venv/bin/python bench/bench_diagnoses.py [--mine] [--prefix rule_]

``--prefix P`` counts only the mutants whose name starts with ``P`` (``rule_``: the contract-coverage mutants of
tests/test_contract_coverage.py; ``--mine`` is ``--prefix diag_``).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ("exercise-01", "exercise-02", "exercise-03", "exercise-04", "exercise-05")


def _text(result) -> str:  # the same text tests/conftest.py's full_text searches
    return " ".join([result.message, *(f"{d.message} {d.likely_cause or ''}" for d in result.diagnoses)])


def count(exercise_id: str, folder: Path, *, prefix: str) -> tuple[int, int, list[str]]:
    from grader.core import Options, grade
    from grader.specs import get_exercise
    from mutation import all_mutants

    exercise = get_exercise(exercise_id)
    # this checkout's reference (the mutants' edits are made on it), also when PYTHONPATH points at an older grader
    reference = (ROOT / "solutions" / exercise.reference.name).read_text(encoding="utf-8")
    chosen = [m for m in all_mutants(exercise_id) if m.name.startswith(prefix)]
    named, missed = 0, []
    for mutant in chosen:
        path = folder / f"{exercise_id}_{mutant.name}.py".replace("-", "_")
        path.write_text(mutant.source(reference), encoding="utf-8")
        checks = {c.name: c for c in grade(path, exercise, Options(keras="stored")).checks}
        ok = all(name in checks and not checks[name].passed and words in _text(checks[name])
                 for name, words in mutant.expectations)
        named += ok
        if not ok:
            missed.append(mutant.name)
    return named, len(chosen), missed


def main() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    args = sys.argv[1:]
    prefix = "diag_" if "--mine" in args else args[args.index("--prefix") + 1] if "--prefix" in args else ""
    total = found = 0
    with tempfile.TemporaryDirectory() as tmp:
        for exercise_id in EXERCISES:
            named, n, missed = count(exercise_id, Path(tmp), prefix=prefix)
            total, found = total + n, found + named
            print(f"{exercise_id}: {named}/{n} mutants named their cause" + (f"; missed: {', '.join(missed)}"
                                                                          if missed else ""), flush=True)
    print(f"total: {found}/{total}")


if __name__ == "__main__":
    main()
