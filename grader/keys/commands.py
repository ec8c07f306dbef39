"""``grade key build [--check] [EXERCISE ...]``: compile the public answer keys into ``grader/data/keys/``.

``--check`` writes nothing: it compiles every key again and fails (exit 1) when a stored key differs from
what the current specs, probes, references and stored equivalents give (a test runs it).
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from grader.errors import UsageError
from grader.keys.load import KEYS_DIR, key_paths
from grader.keys.pack import read_npz, write_npz

USAGE = "grade key build [--check] [EXERCISE ...]"


def document_text(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def write_key(exercise_id: str, document: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
              folder: Path | None = None) -> tuple[Path, Path]:
    """Write both files through temporary files and renames, the npz first."""
    folder = KEYS_DIR if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    json_path, npz_path = key_paths(exercise_id, folder)
    for target, write in ((npz_path, lambda p: write_npz(p, arrays)),
                          (json_path, lambda p: p.write_text(document_text(document), encoding="utf-8"))):
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=folder)
        os.close(fd)
        try:
            write(Path(tmp))
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return json_path, npz_path


def differences(exercise_id: str, document: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                folder: Path | None = None) -> list[str]:
    """How the stored key differs from a freshly compiled one (empty: no drift)."""
    json_path, npz_path = key_paths(exercise_id, folder)
    if not json_path.is_file() or not npz_path.is_file():
        return [f"{json_path.name} or its .npz is missing"]
    out = []
    stored = json.loads(json_path.read_text(encoding="utf-8"))
    if stored != json.loads(document_text(document)):
        keys = [k for k in set(stored) | set(document) if stored.get(k) != document.get(k)]
        out.append(f"{json_path.name}: {', '.join(sorted(keys))} differ")
    old = read_npz(npz_path)
    for name in sorted(set(old) | set(arrays)):
        a, b = old.get(name), arrays.get(name)
        if a is None or b is None or a.shape != b.shape or a.dtype != b.dtype:
            out.append(f"{npz_path.name}: {name} is {'new' if a is None else 'gone' if b is None else 'reshaped'}")
        elif not (np.array_equal(a, b, equal_nan=a.dtype.kind == "f") if a.dtype.kind != "f" else
                  np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)):
            out.append(f"{npz_path.name}: {name} changed")
    return out


def run_key(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="grade key", usage=USAGE, description="Compile the public answer keys.")
    parser.add_argument("action", choices=("build",))
    parser.add_argument("--check", action="store_true", help="compare with the stored keys; write nothing")
    parser.add_argument("exercises", nargs="*", metavar="EXERCISE")
    args = parser.parse_args(argv)
    try:
        from grader.keys.build import compile_key
        from grader.specs import EXERCISE_IDS, get_exercise
    except ImportError:
        raise UsageError("keys are built in the full project (it has the specs and solutions/)") from None
    unknown = [e for e in args.exercises if e not in EXERCISE_IDS]
    if unknown:
        raise UsageError(f"unknown exercise {unknown[0]!r}; the exercises are {', '.join(EXERCISE_IDS)}")
    drift = 0
    for exercise_id in args.exercises or EXERCISE_IDS:
        document, arrays = compile_key(get_exercise(exercise_id))
        if args.check:
            found = differences(exercise_id, document, arrays)
            drift += bool(found)
            print(f"{exercise_id}: {'; '.join(found) if found else 'up to date'}")
        else:
            json_path, _ = write_key(exercise_id, document, arrays)
            print(f"{exercise_id}: wrote {json_path.name} and its .npz in grader/data/keys/ "
                  f"({len(document['checks'])} checks, {len(document['arrays'])} arrays)")
    if drift:
        print("grade key build --check: some keys are out of date; run `grade key build` and commit grader/data/keys/")
    return 1 if drift else 0
