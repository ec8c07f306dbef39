"""Turns the child's JSON + ``.npz`` records into :class:`~grader.model.Value` objects.

Arrays are loaded with ``allow_pickle=False`` and converted with ``np.asarray(..., float64)``;
the exact original type and dtype are kept next to the data so that checks can insist on them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from grader.sandbox import child as harness
from grader.model import ProbeOutcome, StudentError, StudentWarning, Value


def _int(value: Any) -> int:
    return value if type(value) is int and 0 <= value < 10**9 else 0


def _shapes(record: Any) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The shapes clue of an error record, strictly: at most 100 names, each with at most 8 sizes."""
    if type(record) is not dict:
        return ()
    out = []
    for name, shape in list(record.items())[:100]:
        if type(name) is str and type(shape) is list and len(shape) <= 8 and all(type(n) is int for n in shape):
            out.append((name[:100], tuple(_int(n) for n in shape)))
    return tuple(out)


def decode_error(record: dict[str, Any]) -> StudentError:
    return StudentError(type_name=str(record.get("type", "Exception")), message=str(record.get("message", "")),
                        bases=tuple(str(b) for b in record.get("bases", ())), where=str(record.get("where", "")),
                        line=_int(record.get("line", 0)), shapes=_shapes(record.get("shapes")))


def decode_warnings(records: Any) -> tuple[StudentWarning, ...]:
    if type(records) is not list:
        return ()
    return tuple(StudentWarning(category=str(r.get("category", "Warning"))[:100], message=str(r.get("message", ""))[:300],
                                line=_int(r.get("line", 0))) for r in records[:5] if type(r) is dict)


def decode_value(record: dict[str, Any], arrays: dict[str, np.ndarray]) -> Value:
    kind, type_name = record["kind"], str(record["type"])
    if kind == "none":
        return Value("none", "NoneType")
    if kind == "bool":
        return Value("bool", "bool", dtype="bool", data=np.asarray(float(bool(record["value"]))))
    if kind == "str":
        return Value("str", "str", text=str(record["value"]))
    if kind == "scalar":
        raw = arrays[record["ref"]] if "ref" in record else np.asarray(_parse_number(type_name, record["repr"]))
        return Value("scalar", type_name, dtype=str(raw.dtype), data=np.asarray(raw, dtype=np.float64))
    if kind == "array":
        raw = arrays[record["ref"]]
        if not isinstance(raw, np.ndarray) or type(raw) is not np.ndarray or raw.dtype.kind not in "biuf":
            raise ValueError("unexpected array payload")
        return Value("array", "numpy.ndarray", dtype=str(raw.dtype), data=np.asarray(raw, dtype=np.float64))
    if kind in ("sequence", "mapping"):
        items = tuple(decode_value(item, arrays) for item in record["items"])
        return Value(kind, type_name, items=items, keys=tuple(str(k) for k in record.get("keys", ())))
    why = str(record.get("why", ""))
    return Value("forbidden", type_name, text=why, keys=tuple(str(b) for b in record.get("bases", ())))


def _parse_number(type_name: str, text: str) -> int | float:
    return int(text) if type_name == "int" else float(text)


def decode_outcome(check: str, record: dict[str, Any], npz: Path | None) -> ProbeOutcome:
    arrays: dict[str, np.ndarray] = {}
    if npz is not None:
        with np.load(npz, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    status = record["status"]
    seconds = float(record.get("seconds", 0.0))
    caught = decode_warnings(record.get("warnings"))
    if status == "ok":
        values = {str(name): decode_value(v, arrays) for name, v in record["values"].items()}
        return ProbeOutcome(check, "ok", values=values, seconds=seconds, warnings=caught)
    if status not in ("raised", "memory"):
        raise ValueError(f"unknown status {status!r}")
    return ProbeOutcome(check, status, error=decode_error(record["error"]), seconds=seconds, warnings=caught)


def run_in_process(probe: Any, module: Any, check: str, arrays: dict[str, np.ndarray],
                   params: dict[str, Any]) -> ProbeOutcome:
    """Run a probe on trusted (reference) code in this process, encoded exactly as the child does."""
    inputs = {k: np.array(v, copy=True) for k, v in arrays.items()}
    payload: dict[str, np.ndarray] = {}
    try:
        values = harness.run_probe(probe, module, inputs, params)
    except Exception as exc:  # noqa: BLE001 - the reference raising is an expected outcome
        record = harness.describe_error(exc, str(getattr(module, "__file__", "")))
        return ProbeOutcome(check, "raised", error=decode_error(record))
    encoded = {name: harness.encode(v, payload, [2**40]) for name, v in dict(values).items()}
    decoded = {name: decode_value(rec, payload) for name, rec in encoded.items()}
    return ProbeOutcome(check, "ok", values=decoded)
