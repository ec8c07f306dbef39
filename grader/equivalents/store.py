"""Independent expected values (Keras/TensorFlow/scikit-learn): stored with the project or live.

The store is an ``.npz`` of arrays keyed ``"<check>/<field>"`` plus a JSON sidecar saying which
library and device computed them. ``tests/test_equivalents.py`` regenerates every store with the
live library and fails on any drift.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import numpy as np

from grader.model import EquivalentInfo
from grader.spec import Case, Check, Exercise

Stored = dict[str, dict[str, np.ndarray]]


def compute_live(exercise: Exercise, checks: tuple[Check, ...], cases: list[Case]) -> tuple[Stored, EquivalentInfo]:
    """Compute the equivalent values now (imports TensorFlow or scikit-learn)."""
    assert exercise.equivalent is not None
    from grader.equivalents import tf_env

    out: Stored = {}
    for check, case in zip(checks, cases):
        if check.equivalent_fields:
            values = exercise.equivalent.compute(check, case)
            out[check.name] = {f: np.asarray(values[f]) for f in check.equivalent_fields}
    device = tf_env.device_name() if exercise.equivalent.library.startswith(("keras", "tensorflow")) else "CPU"
    library = exercise.equivalent.library
    if "tensorflow" in library or "keras" in library:
        library = f"{library} ({tf_env.library_version()})"
    return out, EquivalentInfo("live", library=library, device=device)


def sidecar(store: Path) -> Path:
    return store.with_suffix(".json")


def read_store(exercise: Exercise) -> tuple[Stored, EquivalentInfo]:
    store = exercise.store
    meta = json.loads(sidecar(store).read_text(encoding="utf-8"))
    out: Stored = {}
    with np.load(store, allow_pickle=False) as data:
        for key in data.files:
            check, _, field = key.partition("/")
            out.setdefault(check, {})[field] = data[key]
    return out, EquivalentInfo("stored", library=meta["library"], device=meta["device"])


def write_store(exercise: Exercise) -> Path:
    """Recompute the public checks' equivalents live and store them (run by instructors/CI)."""
    checks = exercise.checks
    values, info = compute_live(exercise, checks, [c.case() for c in checks])
    flat = {f"{check}/{field}": arr for check, fields in values.items() for field, arr in fields.items()}
    exercise.store.parent.mkdir(parents=True, exist_ok=True)
    np.savez(exercise.store, allow_pickle=False, **flat)
    sidecar(exercise.store).write_text(json.dumps({"library": info.library, "device": info.device}, indent=1) + "\n",
                                       encoding="utf-8")
    return exercise.store


def load_equivalents(exercise: Exercise, checks: tuple[Check, ...], cases: list[Case],
                     mode: Literal["stored", "live", "off"]) -> tuple[Stored, EquivalentInfo]:
    if exercise.equivalent is None or mode == "off":
        return {}, EquivalentInfo("none")
    if mode == "live":
        return compute_live(exercise, checks, cases)
    if not exercise.store.exists():
        return {}, EquivalentInfo("none", library=f"{exercise.equivalent.library} (no stored values yet)")
    return read_store(exercise)
