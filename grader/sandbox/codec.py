"""Turns the child's result frames into :class:`~grader.model.Value` objects, strictly and boundedly.

Nothing the child sends is trusted. A result payload (``child.result_payload``) is checked in this
order, and anything unexpected raises :class:`Unreadable`, which costs only that check:

1. its size was capped by the frame reader before it was read (``wire.py``);
2. the JSON head has a capped length and nesting depth, and a capped number of values;
3. every array's dtype is one of the plain numeric dtypes, and its shape times its item size is
   exactly the byte count it declares, inside the payload: checked *before* any allocation;
4. arrays are converted to float64 only up to a cap on elements (``max_elements``), so a huge
   ``bool`` field is refused as "too large" instead of being expanded eightfold.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.sandbox import child as harness
from grader.i18n import N_, translator
from grader.model import ProbeOutcome, StudentError, StudentWarning, Value

DTYPES = frozenset(np.dtype(t).str for t in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
                                             np.uint32, np.uint64, np.float16, np.float32, np.float64))
KINDS = frozenset({"none", "bool", "str", "scalar", "array", "sequence", "mapping", "forbidden"})


class Unreadable(ValueError):
    """A result the grader refuses to read; the check says so and gets no points."""


@dataclass
class Budget:
    """What one result may still contain."""

    values: int = 100_000
    elements: int = 4_000_000
    depth: int = 8

    def take(self, *, values: int = 0, elements: int = 0) -> None:
        self.values -= values
        self.elements -= elements
        if self.values < 0:
            raise Unreadable("it contains too many values")


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


def decode_error(record: Any) -> StudentError:
    if not isinstance(record, dict):
        raise Unreadable("the error record is not an object")
    bases = record.get("bases", ())
    return StudentError(type_name=str(record.get("type", "Exception"))[:200],
                        message=str(record.get("message", ""))[:2000],
                        bases=tuple(str(b)[:200] for b in (bases if type(bases) is list else [])[:50]),
                        where=str(record.get("where", ""))[:200],
                        line=_int(record.get("line", 0)), shapes=_shapes(record.get("shapes")),
                        written=str(record.get("written", ""))[:200])


def decode_warnings(records: Any) -> tuple[StudentWarning, ...]:
    if type(records) is not list:
        return ()
    return tuple(StudentWarning(category=str(r.get("category", "Warning"))[:100], message=str(r.get("message", ""))[:300],
                                line=_int(r.get("line", 0))) for r in records[:5] if type(r) is dict)


def _array(raw: np.ndarray, type_name: str, kind: str, budget: Budget) -> Value:
    if raw.size > budget.elements:
        return Value("forbidden", type_name, text="it is too large to be graded", keys=(type_name,))
    budget.take(elements=raw.size)
    return Value(kind, type_name, dtype=str(raw.dtype), data=np.asarray(raw, dtype=np.float64))  # type: ignore[arg-type]


def decode_value(record: Any, arrays: dict[str, np.ndarray], budget: Budget | None = None, depth: int = 0) -> Value:
    budget = budget if budget is not None else Budget(values=10**9, elements=10**12)
    if not isinstance(record, dict) or record.get("kind") not in KINDS or depth > budget.depth:
        raise Unreadable("a value record is malformed or nested too deeply")
    budget.take(values=1)
    kind, type_name = record["kind"], str(record.get("type", ""))[:200]
    if kind == "none":
        return Value("none", "NoneType")
    if kind == "bool":
        return Value("bool", "bool", dtype="bool", data=np.asarray(float(record["value"] is True)))
    if kind == "str":
        return Value("str", "str", text=str(record.get("value", ""))[:10_000])
    if kind == "scalar":
        if "ref" in record:
            raw = arrays[str(record["ref"])]
            if raw.shape != ():
                raise Unreadable("a scalar is not a scalar")
        else:
            raw = np.asarray(_parse_number(type_name, str(record["repr"])[:400]))
        return Value("scalar", type_name, dtype=str(raw.dtype), data=np.asarray(raw, dtype=np.float64))
    if kind == "array":
        raw = arrays[str(record["ref"])]
        if type(raw) is not np.ndarray or raw.dtype.str not in DTYPES:
            raise Unreadable("unexpected array payload")
        return _array(raw, "numpy.ndarray", "array", budget)
    if kind in ("sequence", "mapping"):
        items, keys = record.get("items"), record.get("keys", [])
        if not isinstance(items, list) or not isinstance(keys, list):
            raise Unreadable("a sequence record is malformed")
        budget.take(values=len(items) + len(keys))
        decoded = tuple(decode_value(item, arrays, budget, depth + 1) for item in items)
        return Value(kind, type_name, items=decoded, keys=tuple(str(k)[:200] for k in keys))
    why = str(record.get("why", ""))[:400]
    bases = record.get("bases", [])
    return Value("forbidden", type_name, text=why, keys=tuple(str(b)[:200] for b in list(bases)[:50]))


def _parse_number(type_name: str, text: str) -> int | float:
    if type_name == "int":
        if len(text) > 300:
            raise Unreadable("an integer is too long")
        return int(text)
    return float(text)


def _arrays(described: Any, blob: memoryview, budget: Budget) -> dict[str, np.ndarray]:
    if not isinstance(described, list) or len(described) > 10_000:
        raise Unreadable("the array list is malformed")
    out: dict[str, np.ndarray] = {}
    offset = 0
    for item in described:
        if not isinstance(item, dict):
            raise Unreadable("an array description is malformed")
        dtype, shape, nbytes = item.get("dtype"), item.get("shape"), item.get("nbytes")
        if dtype not in DTYPES or not isinstance(shape, list) or len(shape) > 32 or type(nbytes) is not int:
            raise Unreadable("an array has an unexpected dtype or shape")
        if not all(type(n) is int and 0 <= n < 2**40 for n in shape):
            raise Unreadable("an array has an impossible shape")
        count = int(np.prod(shape, dtype=object)) if shape else 1
        if count * np.dtype(dtype).itemsize != nbytes or offset + nbytes > len(blob):
            raise Unreadable("an array's size does not match its data")
        out[str(item.get("key"))] = np.frombuffer(blob[offset:offset + nbytes], dtype=dtype).reshape(shape)
        offset += nbytes
    if offset != len(blob):
        raise Unreadable("there is data after the arrays")
    return out


def decode_result(check: str, payload: bytes, *, max_head: int = 4 * 2**20, budget: Budget | None = None) -> tuple[int, ProbeOutcome]:
    """``(k, outcome)`` from one ``R`` frame; raises :class:`Unreadable` for anything malformed."""
    budget = budget or Budget()
    if len(payload) < 8:
        raise Unreadable("the record is truncated")
    k, size = int.from_bytes(payload[:4], "big"), int.from_bytes(payload[4:8], "big")
    if size > max_head or 8 + size > len(payload):
        raise Unreadable("the record's head is too large")
    try:
        record = json.loads(bytes(payload[8:8 + size]).decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise Unreadable("the record is not valid JSON, or is nested too deeply") from exc
    if not isinstance(record, dict):
        raise Unreadable("the record is not an object")
    arrays = _arrays(record.get("arrays", []), memoryview(payload)[8 + size:], budget)
    status = record.get("status")
    seconds = record.get("seconds", 0.0)
    seconds = float(seconds) if type(seconds) in (int, float) else 0.0
    caught = decode_warnings(record.get("warnings"))
    if status == "ok":
        values = record.get("values")
        if not isinstance(values, dict) or len(values) > 1000:
            raise Unreadable("the record's values are malformed")
        try:
            decoded = {str(name)[:200]: decode_value(v, arrays, budget) for name, v in values.items()}
        except (KeyError, TypeError, OverflowError) as exc:
            raise Unreadable(f"a value is malformed ({type(exc).__name__})") from exc
        return k, ProbeOutcome(check, "ok", values=decoded, seconds=seconds, warnings=caught)
    if status not in ("raised", "memory"):
        raise Unreadable("the record has an unknown status")
    return k, ProbeOutcome(check, status, error=decode_error(record.get("error")), seconds=seconds, warnings=caught)


def grader_error(type_name: str, template: str, **params: object) -> StudentError:
    """A StudentError whose message the grader writes: ``template`` is a catalog msgid (marked ``N_``), shown
    in the report's language (``Translator.fill``); a value may itself be such a msgid (``exit`` below)."""
    values = {name: str(value) for name, value in params.items()}
    return StudentError(type_name, translator().fill(template, values), template=template, params=tuple(values.items()))


def unreadable(check: str, why: str) -> ProbeOutcome:
    error = grader_error("CorruptResult", N_("your code returned something that could not be read (%(why)s)"), why=why)
    return ProbeOutcome(check, "crashed", error=error)


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
