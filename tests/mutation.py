"""Mutants as data: realistic mistakes written as edits of a reference solution.

Each exercise's mistakes are listed in ``tests/mutants/exercise_NN*.toml``. A ``[[mutant]]`` entry names
the mistake, the edits that turn the reference into it, a check that must fail and the words its
diagnosis must contain::

    # the output bias c is left out of o
    [[mutant]]
    name = "missing_c"
    check = "isolate_c"                # a check that must fail, with 0 points
    words = "the output bias c is not added"   # words its diagnosis must contain
    [[mutant.edit]]
    old = "o = self.V @ ht + self.c"
    new = "o = self.V @ ht"
    # count = 1        the number of times `old` occurs in the text (default 1)
    # occurrence = 1   which of them to replace (default 1)

Optional fields of a ``[[mutant]]``:

* ``fails = ["forward_tanh"]``: more checks that must fail;
* ``also = [{ check = "load_utf8", words = "..." }]``: more diagnoses that must be found (on failing checks);
* ``zero_ok = true``: the mistake may cost every point (normally a mutant keeps some, which shows that
  a mistake in one place does not take the marks of the others);
* ``changes = [...]`` and ``when = "..."``: which outputs differ from the reference, and when, in the
  exercise's own words (exercise-04 uses them; its TOML file explains the vocabulary);
* ``base = "NAME"``: apply the edits of ``[base.NAME]`` first, for mistakes made on a different but correct
  starting point (exercise-02's load mistakes are made on the per-line loader students write, not on the
  reference's block parser). A base is a list of ``[[base.NAME.edit]]`` of the reference.

An edit whose ``old`` text occurs a different number of times than ``count`` raises :class:`StaleEdit`, so
a refactor of the reference that makes an edit stale fails loudly. Edits apply in order, each to the text
the previous ones left.

Mistakes that are not a few edits (rewrites, attacks such as forged numbers) stay complete files in
``tests/mutants/exercise_NN/``; :func:`mutant_files` lists them. Their expectations are ``[[file]]``
entries of the same TOML (``name`` = the file's stem, then ``check``, ``words`` and the optional fields
above except ``base``/``changes``/``when``), so every mistake of an exercise is described in one place.
:func:`all_mutants` returns both kinds; :func:`materialise_all` writes every one of them to a folder.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI (pinned in pyproject.toml)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "tests" / "mutants"

_COMMON = {"name", "check", "words", "fails", "also", "zero_ok"}
_KEYS = {"mutant": _COMMON | {"changes", "when", "base", "edit"}, "file": _COMMON}
_EDIT_KEYS = {"old", "new", "count", "occurrence"}


class StaleEdit(AssertionError):
    """An edit's ``old`` text no longer occurs in the reference as often as the edit says."""


@dataclass(frozen=True)
class Edit:
    old: str
    new: str
    count: int = 1
    occurrence: int = 1

    def apply(self, text: str, *, label: str = "") -> str:
        """``text`` with occurrence ``occurrence`` of ``old`` replaced by ``new``; :class:`StaleEdit` if it misfits."""
        found = text.count(self.old)
        if not self.old or found != self.count or not 1 <= self.occurrence <= found:
            raise StaleEdit(f"{label}: {self.old!r} occurs {found} time(s), the edit expects {self.count} "
                            f"(replacing occurrence {self.occurrence})")
        start = -1
        for _ in range(self.occurrence):
            start = text.index(self.old, start + 1)
        return text[:start] + self.new + text[start + len(self.old):]


@dataclass(frozen=True)
class Mutant:
    exercise: str
    name: str
    check: str
    words: str
    edits: tuple[Edit, ...]
    fails: tuple[str, ...] = ()
    also: tuple[tuple[str, str], ...] = ()
    zero_ok: bool = False
    changes: tuple[str, ...] = ()
    when: str = ""
    base: str = ""
    base_edits: tuple[Edit, ...] = ()
    file: Path | None = None  # a whole-file mutant: its source is this file, not an edit

    @property
    def expectations(self) -> tuple[tuple[str, str], ...]:
        """Every (check, words) pair: the check must fail and its diagnosis contain the words."""
        return ((self.check, self.words), *self.also)

    def base_source(self, reference: str) -> str:
        """The reference with only the base's edits: the correct code the mistake is made on."""
        text = reference
        for edit in self.base_edits:
            text = edit.apply(text, label=f"{self.exercise}/{self.name} (base {self.base})")
        return text

    def source(self, reference: str) -> str:
        """The reference's text with the base's edits and then the mutant's applied, in order.

        A whole-file mutant's source is its file; ``reference`` is not used.
        """
        if self.file is not None:
            return self.file.read_text(encoding="utf-8")
        text = self.base_source(reference)
        for edit in self.edits:
            text = edit.apply(text, label=f"{self.exercise}/{self.name}")
        return text

    def write(self, reference: Path, folder: Path) -> Path:
        """Write the mutated reference into ``folder`` (named after the mutant) and return its path."""
        path = folder / f"{self.name}.py"
        path.write_text(self.source(reference.read_text(encoding="utf-8")), encoding="utf-8")
        return path


def _folder(exercise_id: str) -> str:
    return exercise_id.replace("-", "_")


def _toml_files(exercise_id: str, mutants_dir: Path) -> list[tuple[Path, dict[str, Any]]]:
    out = []
    for path in sorted(mutants_dir.glob(f"{_folder(exercise_id)}*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        unknown = set(data) - {"mutant", "file", "base"}
        if unknown:
            raise ValueError(f"{path.name}: unknown table(s) {sorted(unknown)}: "
                             "use [[mutant]], [[file]] or [base.NAME]")
        out.append((path, data))
    return out


def _edits(entries: Any, where: str) -> tuple[Edit, ...]:
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{where}: needs at least one [[...edit]] with old and new")
    edits = []
    for e in entries:
        if set(e) - _EDIT_KEYS or not {"old", "new"} <= set(e):
            raise ValueError(f"{where}: an edit has keys {sorted(e)}; it needs old and new, "
                             "and may have count, occurrence")
        edits.append(Edit(old=e["old"], new=e["new"], count=int(e.get("count", 1)),
                          occurrence=int(e.get("occurrence", 1))))
    return tuple(edits)


def _mutant(exercise_id: str, entry: dict[str, Any], *, kind: str, where: str, **extra: Any) -> Mutant:
    unknown = set(entry) - _KEYS[kind]
    missing = {"name", "check", "words"} - set(entry)
    label = f"{where}: [[{kind}]] {entry.get('name', '?')!r}"
    if unknown or missing:
        problem = f"unknown key(s) {sorted(unknown)}" if unknown else f"missing {sorted(missing)}"
        raise ValueError(f"{label}: {problem}")
    if any(not isinstance(a, dict) or set(a) != {"check", "words"} for a in entry.get("also", ())):
        raise ValueError(f"{label}: each `also` item is {{ check = \"...\", words = \"...\" }}")
    also = tuple((a["check"], a["words"]) for a in entry.get("also", ()))
    return Mutant(exercise=exercise_id, name=entry["name"], check=entry["check"], words=entry["words"],
                  fails=tuple(entry.get("fails", ())), also=also, zero_ok=bool(entry.get("zero_ok", False)),
                  **extra)


def _refuse_duplicates(exercise_id: str, names: list[str]) -> None:
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{exercise_id}: mutant names used twice: {duplicates}")


def load_mutants(exercise_id: str, *, mutants_dir: Path = MUTANTS) -> tuple[Mutant, ...]:
    """Every edit-mutant of one exercise, from ``tests/mutants/exercise_NN*.toml`` (file order, then entry order)."""
    out: list[Mutant] = []
    for path, data in _toml_files(exercise_id, mutants_dir):
        bases = {name: _edits(table.get("edit"), f"{path.name}: base {name!r}")
                 for name, table in data.get("base", {}).items()}
        for entry in data.get("mutant", []):
            where = f"{path.name}: mutant {entry.get('name', '?')!r}"
            base = entry.get("base", "")
            if base and base not in bases:
                raise ValueError(f"{where}: unknown base {base!r} (this file defines {sorted(bases)})")
            out.append(_mutant(exercise_id, entry, kind="mutant", where=path.name,
                               edits=_edits(entry.get("edit"), where), changes=tuple(entry.get("changes", ())),
                               when=entry.get("when", ""), base=base, base_edits=bases.get(base, ())))
    _refuse_duplicates(exercise_id, [m.name for m in out])
    return tuple(out)


def mutant_files(exercise_id: str, *, mutants_dir: Path = MUTANTS) -> tuple[Path, ...]:
    """The whole-file mutants of one exercise (mistakes that are not a few edits)."""
    return tuple(sorted((mutants_dir / _folder(exercise_id)).glob("*.py")))


def file_mutants(exercise_id: str, *, mutants_dir: Path = MUTANTS) -> tuple[Mutant, ...]:
    """The whole-file mutants that have a ``[[file]]`` entry, with its expectations.

    An entry without a file is an error; a file without an entry is left out here and reported by
    :func:`undescribed_files` (so that one missing entry fails one test, not the collection of all).
    """
    files = {p.stem: p for p in mutant_files(exercise_id, mutants_dir=mutants_dir)}
    out = []
    for path, data in _toml_files(exercise_id, mutants_dir):
        for entry in data.get("file", []):
            if entry.get("name") not in files:
                missing = mutants_dir / _folder(exercise_id) / f"{entry.get('name', '?')}.py"
                raise ValueError(f"{path.name}: [[file]] {entry.get('name', '?')!r} has no file {missing}")
            out.append(_mutant(exercise_id, entry, kind="file", where=path.name, edits=(), file=files[entry["name"]]))
    _refuse_duplicates(exercise_id, [m.name for m in out])
    return tuple(out)


def undescribed_files(exercise_id: str, *, mutants_dir: Path = MUTANTS) -> tuple[Path, ...]:
    """Whole-file mutants that no ``[[file]]`` entry describes (so no test grades them)."""
    described = {m.name for m in file_mutants(exercise_id, mutants_dir=mutants_dir)}
    return tuple(p for p in mutant_files(exercise_id, mutants_dir=mutants_dir) if p.stem not in described)


def all_mutants(exercise_id: str, *, mutants_dir: Path = MUTANTS) -> tuple[Mutant, ...]:
    """Every mutant of one exercise: the edit-mutants, then the whole files; names are unique across both."""
    out = (*load_mutants(exercise_id, mutants_dir=mutants_dir), *file_mutants(exercise_id, mutants_dir=mutants_dir))
    _refuse_duplicates(exercise_id, [m.name for m in out])
    return out


def get_mutant(exercise_id: str, name: str, *, mutants_dir: Path = MUTANTS) -> Mutant:
    """One mutant of an exercise by name (edit or whole file); ``KeyError`` names the ones there are."""
    found = {m.name: m for m in all_mutants(exercise_id, mutants_dir=mutants_dir)}
    if name not in found:
        raise KeyError(f"{exercise_id} has no mutant {name!r}; it has {sorted(found)}")
    return found[name]


def materialise_all(exercise_id: str, folder: Path, *, reference: Path | None = None,
                    mutants_dir: Path = MUTANTS) -> dict[str, Path]:
    """Write every mutant of one exercise (edits applied to ``reference``, whole files copied) into ``folder``.

    ``reference`` defaults to the exercise's reference solution. Returns ``{name: path}`` in
    :func:`all_mutants` order. Nothing here needs pytest or the CLI.
    """
    if reference is None:
        from grader.specs import get_exercise

        reference = get_exercise(exercise_id).reference
    folder.mkdir(parents=True, exist_ok=True)
    return {m.name: m.write(reference, folder) for m in all_mutants(exercise_id, mutants_dir=mutants_dir)}
