"""Mutants as data: one-line edits of a reference solution, read from ``tests/mutants/exercise_NN*.toml``.

Each ``[[mutant]]`` entry names a realistic mistake, the edits that turn the reference into it, a check
that must fail, the words its diagnosis must contain, and optionally more checks that must fail::

    [[mutant]]
    name = "missing_c"
    check = "isolate_c"
    words = "the output bias c is not added"
    fails = ["forward_tanh"]          # optional
    [[mutant.edit]]
    old = "o = self.V @ ht + self.c"
    new = "o = self.V @ ht"
    # count = 1        the number of times `old` occurs in the reference (default 1)
    # occurrence = 1   which of them to replace (default 1)

An edit whose ``old`` text occurs a different number of times than ``count`` raises
:class:`StaleEdit`, so a refactor of the reference that makes an edit stale fails loudly. Mistakes that
cannot be written as a few edits (whole-function rewrites) stay complete files in
``tests/mutants/exercise_NN/``; :func:`mutant_files` lists them.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "tests" / "mutants"


class StaleEdit(AssertionError):
    """An edit's ``old`` text no longer occurs in the reference as often as the edit says."""


@dataclass(frozen=True)
class Edit:
    old: str
    new: str
    count: int = 1
    occurrence: int = 1


@dataclass(frozen=True)
class Mutant:
    exercise: str
    name: str
    check: str
    words: str
    edits: tuple[Edit, ...]
    fails: tuple[str, ...] = ()

    def source(self, reference: str) -> str:
        """The reference's text with every edit applied, in order."""
        text = reference
        for edit in self.edits:
            found = text.count(edit.old)
            if found != edit.count or not 1 <= edit.occurrence <= found:
                raise StaleEdit(f"{self.exercise}/{self.name}: {edit.old!r} occurs {found} time(s), "
                                f"the edit expects {edit.count} (replacing occurrence {edit.occurrence})")
            start = -1
            for _ in range(edit.occurrence):
                start = text.index(edit.old, start + 1)
            text = text[:start] + edit.new + text[start + len(edit.old):]
        return text

    def write(self, reference: Path, folder: Path) -> Path:
        """Write the mutated reference into ``folder`` (named after the mutant) and return its path."""
        path = folder / f"{self.name}.py"
        path.write_text(self.source(reference.read_text(encoding="utf-8")), encoding="utf-8")
        return path


def _folder(exercise_id: str) -> str:
    return exercise_id.replace("-", "_")


def load_mutants(exercise_id: str) -> tuple[Mutant, ...]:
    """Every edit-mutant of one exercise, from ``tests/mutants/exercise_NN*.toml`` (file order, then entry order)."""
    out: list[Mutant] = []
    for path in sorted(MUTANTS.glob(f"{_folder(exercise_id)}*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("mutant", []):
            edits = tuple(Edit(old=e["old"], new=e["new"], count=int(e.get("count", 1)),
                               occurrence=int(e.get("occurrence", 1))) for e in entry["edit"])
            out.append(Mutant(exercise=exercise_id, name=entry["name"], check=entry["check"], words=entry["words"],
                              edits=edits, fails=tuple(entry.get("fails", ()))))
    names = [m.name for m in out]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{exercise_id}: mutant names used twice: {duplicates}")
    return tuple(out)


def mutant_files(exercise_id: str) -> tuple[Path, ...]:
    """The whole-file mutants of one exercise (mistakes that are not a few edits)."""
    return tuple(sorted((MUTANTS / _folder(exercise_id)).glob("*.py")))
