"""Compiling answer keys from the specs and ``solutions/`` (instructor side; not in a student release).

For every check: its case (from the spec's seed), the reference outcome (the probe run on the reference,
in this process), the outputs of every hint (the spec's mistake formulas), the explain data, the stored
independent equivalents, and the check's field definitions, tolerances, points and messages.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from grader.equivalents.store import load_equivalents, sidecar
from grader.keys.model import FORMAT, VERSION, AnswerKey, answer_key, field_record, relative
from grader.keys.pack import Packer, pack_arrays
from grader.model import ProbeOutcome
from grader.sandbox.child import load_module
from grader.sandbox.codec import run_in_process
from grader.spec import ROOT, Case, Check, Exercise

HINT_ERRORS = (ArithmeticError, ValueError, KeyError, IndexError, TypeError)


def expected_outcomes(exercise: Exercise, checks: tuple[Check, ...], cases: list[Case]) -> dict[str, ProbeOutcome]:
    """Run every probe on the reference solution, in this process (trusted code only)."""
    probes = load_module(f"_probes_{exercise.number}", str(exercise.probes))
    reference = load_module(f"_reference_{exercise.number}", str(exercise.reference))
    out = {}
    with tempfile.TemporaryDirectory(prefix="rnn-grader-ref-") as tmp:
        for check, case in zip(checks, cases):
            folder = Path(tmp) / check.name
            folder.mkdir()
            for name, content in case.files.items():
                (folder / name).write_bytes(content)
            params = {**case.params, "_dir": str(folder)}
            out[check.name] = run_in_process(getattr(probes, check.probe), reference, check.name, dict(case.arrays), params)
    return out


def source_files(exercise: Exercise) -> tuple[Path, ...]:
    """The files a key is compiled from that change most often; a key records their hashes."""
    return (exercise.probes, exercise.reference, exercise.store, sidecar(exercise.store),
            ROOT / "grader" / "specs" / f"exercise_{exercise.number}.py")


def fingerprint(exercise: Exercise) -> dict[str, str]:
    """sha256 of each source file (absent ones are left out), by path relative to the project."""
    return {relative(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in source_files(exercise) if p.is_file()}


def _hint_outputs(check: Check, case: Case, packer: Packer, name: str) -> list[dict[str, Any]]:
    names = {f.name for f in check.fields}
    out = []
    for index, hint in enumerate(check.hints):
        stored: dict[str, Any] = {}
        try:
            with np.errstate(all="ignore"):
                values = hint.variant(case)
        except HINT_ERRORS:
            values = {}
        for field in hint.fields:
            if field not in names or field not in values:
                continue
            try:
                with np.errstate(all="ignore"):
                    array = np.asarray(values[field], dtype=np.float64)
            except (TypeError, ValueError):
                continue
            stored[field] = packer.array(f"{name}/hint{index}/{field}", array)
        out.append({"message": hint.message, "fields": list(hint.fields), "outputs": stored})
    return out


def _check_record(check: Check, case: Case, expected: ProbeOutcome, equivalent: Mapping[str, np.ndarray],
                  packer: Packer) -> dict[str, Any]:
    name = check.name
    explain = None
    if check.explain is not None:
        if not hasattr(check.explain, "name"):
            raise TypeError(f"{name}: Check.explain must be an Explain (see docs/answer-keys.md), not a function")
        data = check.explain.data(case) if check.explain.data is not None and not check.hidden else {}
        explain = {"name": check.explain.name, "args": packer.data(f"{name}/explain/args", check.explain.args),
                   "data": packer.data(f"{name}/explain/data", data)}
    return {
        "name": name, "title": check.title, "points": check.points, "probe": check.probe, "seed": check.seed,
        "hidden": check.hidden, "hideable": check.hideable, "expect_raises": check.expect_raises,
        "equivalent_fields": list(check.equivalent_fields), "hints_text": list(check.hints_text),
        "depends": [list(d) for d in check.depends],
        "fields": [field_record(f) for f in check.fields],
        "case": {"params": packer.data(f"{name}/params", dict(case.params)),
                 "arrays": {k: packer.array(f"{name}/arrays/{k}", v) for k, v in case.arrays.items()},
                 "files": {k: packer.data(f"{name}/files/{k}", v) for k, v in case.files.items()}},
        "expected": packer.outcome(f"{name}/expected", expected),
        "hints": _hint_outputs(check, case, packer, name),
        "explain": explain,
        "equivalent": {f: packer.array(f"{name}/equivalent/{f}", v) for f, v in equivalent.items()},
    }


def compile_key(exercise: Exercise, checks: tuple[Check, ...] | None = None, *,
                hidden: bool = False) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The JSON document and the flat arrays (its npz) of the key of ``checks`` (default: the exercise's public checks)."""
    checks = exercise.checks if checks is None else checks
    cases = [c.case() for c in checks]
    expected = expected_outcomes(exercise, checks, cases)
    stored, info = ({}, None) if hidden else load_equivalents(exercise, checks, cases, "stored")
    packer = Packer()
    records = [_check_record(c, case, expected[c.name], {} if hidden else stored.get(c.name, {}), packer)
               for c, case in zip(checks, cases)]
    eq = exercise.equivalent
    document = {
        "format": FORMAT, "version": VERSION, "hidden": hidden,
        "exercise": {"id": exercise.id, "title": exercise.title, "module_glob": exercise.module_glob,
                     "stub": relative(exercise.stub), "reference": relative(exercise.reference),
                     "probes": relative(exercise.probes), "limits": asdict(exercise.limits),
                     "equivalent": {"library": eq.library, "atol": eq.atol, "rtol": eq.rtol} if eq else None,
                     "error_hints": [{"message": h.message, "type_name": h.type_name, "contains": h.contains}
                                     for h in exercise.error_hints]},
        "equivalent_info": ({"source": "none", "library": "", "device": ""} if info is None else
                            {"source": info.source, "library": info.library, "device": info.device}),
        "sources": fingerprint(exercise),
        "checks": records,
    }
    document["arrays"], flat = pack_arrays(packer.arrays)
    return json.loads(json.dumps(document)), flat


def build_key(exercise: Exercise) -> AnswerKey:
    """The public key of ``exercise``, compiled now, in memory."""
    document, flat = compile_key(exercise)
    return answer_key(document, flat, where=f"the key of {exercise.id}")
