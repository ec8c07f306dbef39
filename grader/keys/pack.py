"""Plain data <-> JSON + arrays, for answer keys (``docs/answer-keys.md``).

Everything a key holds is JSON except arrays, which go to the ``.npz`` beside it: in the JSON an array
is ``{"$array": "<name in the npz>"}`` and bytes (a file of a case) are ``{"$bytes": "<name>"}``.
The ``.npz`` is written deterministically (sorted members, fixed time stamps), so that rebuilding an
unchanged key gives the same bytes, and read with ``allow_pickle=False``.
"""
from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from grader.model import ProbeOutcome, StudentError, Value


class Packer:
    """Collects the arrays of one key while its JSON is being written."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def array(self, name: str, value: Any) -> dict[str, str]:
        if name in self.arrays:
            raise ValueError(f"two arrays of the key are both called {name!r}")
        self.arrays[name] = np.array(value, order="C", copy=True)
        if self.arrays[name].dtype.kind not in "biuf":
            raise TypeError(f"{name}: a key holds numeric arrays only, not {self.arrays[name].dtype}")
        return {"$array": name}

    def data(self, name: str, value: Any) -> Any:
        """Plain JSON data (tuples become lists); arrays and bytes anywhere inside go to the npz."""
        if isinstance(value, np.ndarray):
            return self.array(name, value)
        if isinstance(value, (bytes, bytearray)):
            self.array(name, np.frombuffer(bytes(value), dtype=np.uint8))
            return {"$bytes": name}
        if isinstance(value, np.generic):
            return value.item()
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, Mapping):
            if not all(isinstance(k, str) for k in value):
                raise TypeError(f"{name}: a key's mappings have string keys only")
            return {k: self.data(f"{name}/{k}", v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(f"{name}/{i}", v) for i, v in enumerate(value)]
        raise TypeError(f"{name}: cannot store a {type(value).__name__} in an answer key")

    def value(self, name: str, value: Value) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": value.kind, "type": value.type_name}
        if value.dtype is not None:
            out["dtype"] = value.dtype
        if value.data is not None:
            out["data"] = self.array(name, value.data)
        if value.text is not None:
            out["text"] = value.text
        if value.items:
            out["items"] = [self.value(f"{name}/{i}", item) for i, item in enumerate(value.items)]
        if value.keys:
            out["keys"] = list(value.keys)
        return out

    def outcome(self, name: str, outcome: ProbeOutcome) -> dict[str, Any]:
        out: dict[str, Any] = {"status": outcome.status}
        if outcome.values:
            out["values"] = {k: self.value(f"{name}/{k}", v) for k, v in outcome.values.items()}
        if outcome.error is not None:
            e = outcome.error
            out["error"] = {"type": e.type_name, "message": e.message, "bases": list(e.bases), "where": e.where}
        return out


class Unpacker:
    """Reads back what a :class:`Packer` wrote, given the key's arrays."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.arrays = arrays

    def array(self, ref: Mapping[str, str]) -> np.ndarray:
        return self.arrays[ref["$array"]]

    def data(self, value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"$array"}:
                return self.array(value)
            if set(value) == {"$bytes"}:
                return self.arrays[value["$bytes"]].tobytes()
            return {k: self.data(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v) for v in value]
        return value

    def value(self, record: Mapping[str, Any]) -> Value:
        data = self.array(record["data"]) if "data" in record else None
        return Value(record["kind"], record["type"], dtype=record.get("dtype"), data=data, text=record.get("text"),
                     items=tuple(self.value(i) for i in record.get("items", ())), keys=tuple(record.get("keys", ())))

    def outcome(self, check: str, record: Mapping[str, Any]) -> ProbeOutcome:
        error = None
        if "error" in record:
            e = record["error"]
            error = StudentError(e["type"], e["message"], bases=tuple(e["bases"]), where=e["where"])
        values = {k: self.value(v) for k, v in record.get("values", {}).items()}
        return ProbeOutcome(check, record["status"], values=values, error=error)


def pack_arrays(arrays: Mapping[str, np.ndarray]) -> tuple[dict[str, list[Any]], dict[str, np.ndarray]]:
    """Many small arrays as one flat array per dtype (an npz of hundreds of members is slow to open).

    Returns the index ``{name: [dtype, offset, shape]}`` (it goes in the key's JSON) and the flat arrays.
    """
    index: dict[str, list[Any]] = {}
    parts: dict[str, list[np.ndarray]] = {}
    sizes: dict[str, int] = {}
    for name in sorted(arrays):
        array = np.array(arrays[name], order="C", copy=True)
        array = array.astype(array.dtype.newbyteorder("="), copy=False)
        dtype = array.dtype.name
        index[name] = [dtype, sizes.get(dtype, 0), list(array.shape)]
        parts.setdefault(dtype, []).append(array.ravel())
        sizes[dtype] = sizes.get(dtype, 0) + array.size
    flat = {dtype: np.concatenate(chunks) if chunks else np.zeros(0, dtype) for dtype, chunks in parts.items()}
    return index, flat


def unpack_arrays(index: Mapping[str, Any], flat: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The arrays of :func:`pack_arrays`, as read-only views of the flat arrays."""
    sizes = {}
    for dtype, data in flat.items():
        if data.dtype.name != dtype or data.ndim != 1:
            raise ValueError(f"the flat array {dtype!r} is not a 1-D {dtype} array")
        data.setflags(write=False)
        sizes[dtype] = data.size
    out = {}
    for name, (dtype, offset, shape) in index.items():
        size = math.prod(shape)
        if offset < 0 or offset + size > sizes[dtype]:
            raise ValueError(f"array {name!r} does not fit its data")
        out[name] = flat[dtype][offset:offset + size].reshape(shape)
    return out


def write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """An ``.npz`` that ``np.load`` reads, with the same bytes for the same arrays."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def read_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}
