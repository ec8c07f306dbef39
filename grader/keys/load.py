"""Finding and reading the public answer keys (``grader/data/keys/exercise-NN.{json,npz}``).

This is how grading looks an exercise up, so that a student release, which has keys but no specs and no
``solutions/``, grades exactly like the full project. In the full project a key whose sources changed
(its spec, probes, reference or stored equivalents) is rebuilt in memory with a note on stderr, so that
grading is never wrong while someone works on a spec; ``grade key build`` stores it.
"""
from __future__ import annotations

import hashlib
import json
import sys
import zipfile
from pathlib import Path

from grader.keys.model import AnswerKey, KeyFileError, answer_key
from grader.keys.pack import read_npz
from grader.spec import ROOT, Exercise

KEYS_DIR = ROOT / "grader" / "data" / "keys"
SPECS_DIR = ROOT / "grader" / "specs"
_CACHE: dict[tuple[str, tuple[tuple[str, int], ...]], AnswerKey] = {}


class UnknownExercise(KeyError):
    pass


def key_paths(exercise_id: str, folder: Path | None = None) -> tuple[Path, Path]:
    folder = KEYS_DIR if folder is None else folder
    return folder / f"{exercise_id}.json", folder / f"{exercise_id}.npz"


def _spec_file(exercise_id: str) -> Path:
    return SPECS_DIR / f"{exercise_id.replace('-', '_')}.py"


def exercise_ids() -> tuple[str, ...]:
    """Every exercise that has a key or (in the full project) a spec."""
    keyed = {p.stem for p in KEYS_DIR.glob("exercise-[0-9][0-9].*") if p.suffix in (".json", ".npz")}
    specs = {p.stem.replace("_", "-") for p in SPECS_DIR.glob("exercise_[0-9][0-9].py")}
    return tuple(sorted(keyed | specs))


def read_key(exercise_id: str, folder: Path | None = None) -> AnswerKey:
    """The stored key; a missing, corrupt or other-version key is a one-line :class:`KeyFileError`."""
    folder = KEYS_DIR if folder is None else folder
    document_path, arrays_path = key_paths(exercise_id, folder)
    where = f"the answer key {document_path.name}"
    if not document_path.is_file() or not arrays_path.is_file():
        raise KeyFileError(f"{where} (or its .npz) is missing from {folder}; build it with `grade key build`")
    try:
        document = json.loads(document_path.read_text(encoding="utf-8"))
        arrays = read_npz(arrays_path)
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise KeyFileError(f"{where} cannot be read ({type(exc).__name__}); rebuild it with `grade key build`") from None
    if not isinstance(document, dict):
        raise KeyFileError(f"{where} is corrupt (not a JSON object); rebuild it with `grade key build`")
    return answer_key(document, arrays, where=where)


def stale_sources(key: AnswerKey) -> list[str]:
    """The source files (in the full project) that changed since the key was built."""
    changed = []
    for name, digest in key.sources.items():
        path = ROOT / name
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            changed.append(name)
    return changed


def _stamp(paths: tuple[Path, ...]) -> tuple[tuple[str, int], ...]:
    return tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in paths)


def _rebuilt(exercise_id: str, why: str) -> AnswerKey:
    from grader.keys.build import build_key
    from grader.specs import get_exercise as spec_of

    print(f"grade: note: the answer key of {exercise_id} {why}; grading with a key built now "
          "(`grade key build` stores it)", file=sys.stderr)
    return build_key(spec_of(exercise_id))


def load_key(exercise_id: str) -> AnswerKey:
    """The public key of one exercise (cached in this process while its files are unchanged)."""
    if exercise_id not in exercise_ids():
        raise UnknownExercise(exercise_id)
    spec = _spec_file(exercise_id)
    document_path, arrays_path = key_paths(exercise_id)
    stamp_key = (exercise_id, _stamp((document_path, arrays_path, spec)))
    if stamp_key in _CACHE:
        return _CACHE[stamp_key]
    if not spec.is_file():  # a student release: the key is all there is
        key = read_key(exercise_id)
    elif not document_path.is_file():
        key = _rebuilt(exercise_id, "has not been built yet")
    else:
        try:
            key = read_key(exercise_id)
        except KeyFileError as exc:
            key = _rebuilt(exercise_id, f"cannot be used ({exc})")
        else:
            changed = stale_sources(key)
            if changed:
                key = _rebuilt(exercise_id, f"is out of date ({', '.join(changed)} changed)")
    _CACHE.clear() if len(_CACHE) > 32 else None
    _CACHE[stamp_key] = key
    return key


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise as its key describes it (checks, points, titles, files): what grading and listing need."""
    return load_key(exercise_id).exercise
