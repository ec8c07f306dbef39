"""The child-side harness. It runs student code, in a separate ``python -I`` process.

This file is executed by path and imports nothing from ``grader``: only the standard library and
NumPy. The parent also imports it as :mod:`grader.sandbox.child` to encode the reference's outputs in
exactly the same way.

Command line: ``child.py JOB_DIR RESULT_FD START``. ``JOB_DIR`` is read-only for the child: ``job.json``
(the module to import, the probe file, the checks: name, probe function, params), the inputs
``in_<k>.npz`` (loaded with ``allow_pickle=False``) and the checks' files under ``files/``.

Everything goes back as frames on the pipe ``RESULT_FD`` (see :func:`_send`): ``H`` (started),
``S`` (check k starts: the parent times it), ``R`` (check k's result: a JSON record plus raw array
bytes, see :func:`result_payload`), ``I`` (the import failed) and ``E`` (the end). Values are
encoded by exact type, never pickled. The parent trusts none of it: it caps and strictly decodes
every frame (``grader/sandbox/wire.py``, ``codec.py``).
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import json
import os
import sys
import time
import traceback
import warnings
from typing import Any

import numpy as np

_ndarray = np.ndarray
_type = type
_SCALAR_TYPES = {
    np.float16: "numpy.float16", np.float32: "numpy.float32", np.float64: "numpy.float64",
    np.int8: "numpy.int8", np.int16: "numpy.int16", np.int32: "numpy.int32", np.int64: "numpy.int64",
    np.uint8: "numpy.uint8", np.uint16: "numpy.uint16", np.uint32: "numpy.uint32",
    np.uint64: "numpy.uint64", np.bool_: "numpy.bool",
}
_MAX_ITEMS = 100_000
_MAX_BYTES = 256 * 2**20
_BLOCKED = ("solutions", "grader")
_MISSING = object()


class _Blocker(importlib.abc.MetaPathFinder):
    """Refuses to import the reference solutions (or the grader) by name."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.split(".")[0] in _BLOCKED:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def type_name(value: object) -> str:
    t = _type(value)
    module = getattr(t, "__module__", "") or ""
    name = getattr(t, "__qualname__", getattr(t, "__name__", "?"))
    return name if module == "builtins" else f"{module}.{name}"


def _mro_names(value: object) -> list[str]:
    return [getattr(c, "__name__", "?") for c in _type(value).__mro__]


def encode(value: object, arrays: dict[str, np.ndarray], budget: list[int], depth: int = 0) -> dict[str, Any]:
    """Encode ``value`` as JSON-able data; arrays go into ``arrays``. Exact types only."""
    t = _type(value)
    if value is None:
        return {"kind": "none", "type": "NoneType"}
    if t is bool:
        return {"kind": "bool", "type": "bool", "value": bool.__bool__(value)}
    if t is int or t is float:
        return {"kind": "scalar", "type": t.__name__, "repr": t.__repr__(value)}
    if t in _SCALAR_TYPES:
        key = f"a{len(arrays)}"
        arrays[key] = np.asarray(value)
        return {"kind": "scalar", "type": _SCALAR_TYPES[t], "ref": key}
    if t is str:
        return {"kind": "str", "type": "str", "value": str.__str__(value)[:10_000]}
    if t is _ndarray:
        return _encode_array(value, arrays, budget)
    if depth < 4 and t in (list, tuple):
        if len(value) > _MAX_ITEMS:
            return _forbidden(value, "it has too many items")
        items = [encode(v, arrays, budget, depth + 1) for v in value]
        return {"kind": "sequence", "type": t.__name__, "items": items}
    if depth < 4 and t is dict and all(_type(k) is str for k in value):
        items = [encode(v, arrays, budget, depth + 1) for v in value.values()]
        return {"kind": "mapping", "type": "dict", "keys": list(value), "items": items}
    return _forbidden(value, "")


def _encode_array(value: np.ndarray, arrays: dict[str, np.ndarray], budget: list[int]) -> dict[str, Any]:
    kind = value.dtype.kind
    if kind not in "biuf":
        return _forbidden(value, f"its dtype is {value.dtype}")
    budget[0] -= value.nbytes
    if budget[0] < 0:
        return _forbidden(value, "it is too large")
    key = f"a{len(arrays)}"
    arrays[key] = np.array(value, copy=True, subok=False)
    return {"kind": "array", "type": "numpy.ndarray", "ref": key}


def _forbidden(value: object, why: str) -> dict[str, Any]:
    return {"kind": "forbidden", "type": type_name(value), "bases": _mro_names(value), "why": why}


def _frame_shapes(frame: Any) -> dict[str, list[int]]:
    """Clue for the diagnoses (grader/diagnose/): the shapes of the arrays a student frame could see."""
    shapes: dict[str, list[int]] = {}
    for name, value in list(frame.f_locals.items())[:40]:
        if _type(value) is _ndarray:
            shapes[name] = list(value.shape)
        elif name == "self" or _type(value) is dict:
            items = vars(value).items() if name == "self" and hasattr(value, "__dict__") else (
                value.items() if _type(value) is dict else ())
            for key, item in list(items)[:20]:
                if _type(item) is _ndarray and _type(key) is str:
                    shapes[f"{name}.{key}" if name == "self" else f"{name}[{key!r}]"] = list(item.shape)
    return shapes


def _read_only(value: Any) -> bool:
    return _type(value) is _ndarray and not value.flags.writeable


def _entry(target: Any, local: dict[str, Any]) -> str:
    """``params['U']`` when ``target`` is ``params[k]`` (k a constant or a local) and that entry is read-only."""
    import ast

    while isinstance(target, (ast.Subscript, ast.Attribute)) and not (
            isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
        target = target.value  # params[k][...] = ...: the entry params[k]
    if not isinstance(target, ast.Subscript):
        return ""
    index, container = target.slice, local.get(target.value.id)
    key = index.value if isinstance(index, ast.Constant) else (
        local.get(index.id, _MISSING) if isinstance(index, ast.Name) else _MISSING)
    if key is _MISSING or _type(container) not in (dict, list, tuple):
        return ""
    try:
        return f"{target.value.id}[{key!r}]" if _read_only(container[key]) else ""
    except (KeyError, IndexError, TypeError):
        return ""


def _written(frame: Any, line: int, text: str) -> str:
    """Clue for grader/diagnose/: which argument of the failing student function an in-place write hit.

    The inputs of a check that the contract says must stay unchanged are read-only memory (:func:`_inputs`), so
    a write into one raises ``ValueError: ... read-only`` on the student's line. Named: the argument (or its
    entry, ``params['U']``) that shares memory with the array the line writes, else the only read-only array
    the line names; "" when the line does not show it.
    """
    import ast

    code = frame.f_code
    local = dict(list(frame.f_locals.items())[:60])
    arguments = list(code.co_varnames[:code.co_argcount + code.co_kwonlyargcount])
    inputs: list[tuple[str, Any]] = []
    for name in arguments:
        value = local.get(name)
        if _read_only(value):
            inputs.append((name, value))
        elif _type(value) in (dict, list, tuple):
            entries = value.items() if _type(value) is dict else enumerate(value)
            inputs += [(f"{name}[{key!r}]", item) for key, item in list(entries)[:40] if _read_only(item)]
    try:
        tree = ast.parse(text.strip())
    except SyntaxError:
        tree = None
    targets: list[str] = []
    for node in ast.walk(tree) if tree is not None else ():
        for target in (node.targets if isinstance(node, ast.Assign) else
                       [node.target] if isinstance(node, ast.AugAssign) else []):
            entry = _entry(target, local)  # params[k] -= ...: the entry of a dict or list argument
            if entry:
                return entry
            while isinstance(target, (ast.Subscript, ast.Attribute)) and not (
                    isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                    and target.value.id == "self"):
                target = target.value
            if isinstance(target, ast.Name):
                targets.append(target.id)
    named = targets or [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)] if tree is not None else []
    written = [local[n] for n in dict.fromkeys(named) if _read_only(local.get(n))]
    for value in written:
        for name, array in inputs:
            if np.may_share_memory(value, array):
                return name
    names = [n for n in dict.fromkeys(named) if _read_only(local.get(n))]
    if len(names) == 1:
        return names[0]
    return inputs[0][0] if len(inputs) == 1 else ""


def describe_error(exc: BaseException, student_file: str) -> dict[str, Any]:
    where, shapes, line, written = "", {}, 0, ""
    tb = exc.__traceback__
    read_only = _type(exc) is ValueError and "read-only" in str(exc)
    while tb is not None:
        if os.path.abspath(tb.tb_frame.f_code.co_filename) == student_file:
            line = tb.tb_lineno
            where = f"line {line}, in {tb.tb_frame.f_code.co_name}"
            try:
                shapes = _frame_shapes(tb.tb_frame)
                if read_only:
                    import linecache

                    written = _written(tb.tb_frame, line, linecache.getline(student_file, line))
            except Exception:  # noqa: BLE001 - a clue only; student objects may misbehave
                shapes = shapes if type(shapes) is dict else {}
        tb = tb.tb_next
    message = str(exc) if not isinstance(exc, SystemExit) else f"exit code {exc.code!r}"
    record = {"type": _type(exc).__name__, "message": message[:2000], "bases": _mro_names(exc), "where": where,
              "line": line, "shapes": shapes}
    if read_only:
        record["written"] = written[:200]
    return record


def _student_warnings(caught: list[Any], student_file: str) -> list[dict[str, Any]]:
    """Warnings (NumPy's RuntimeWarnings above all) raised on a line of the student's file, first 5 distinct."""
    out: list[dict[str, Any]] = []
    for w in caught:
        if os.path.abspath(str(w.filename)) != student_file:
            continue
        item = {"category": getattr(w.category, "__name__", "Warning"), "message": str(w.message)[:300],
                "line": int(w.lineno or 0)}
        if item not in out:
            out.append(item)
        if len(out) >= 5:
            break
    return out


def _send(fd: int, kind: bytes, payload: bytes) -> None:
    """One frame on the result pipe: ``RG``, a kind byte, a 4-byte big-endian length, the payload."""
    view = memoryview(b"RG" + kind + len(payload).to_bytes(4, "big") + payload)
    while view:
        view = view[os.write(fd, view):]


def _send_json(fd: int, kind: bytes, data: dict[str, Any]) -> None:
    _send(fd, kind, json.dumps(data).encode("utf-8"))


def result_payload(k: int, record: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """``k`` (4 bytes), the JSON length (4 bytes), the JSON record, then every array's raw bytes.

    Each array is described in ``record["arrays"]`` by key, dtype, shape and byte count; the parent
    checks all of that against the bytes before it allocates anything.
    """
    blobs, described = [], []
    for key, arr in arrays.items():
        arr = arr if arr.flags.c_contiguous else arr.copy(order="C")  # (ascontiguousarray makes 0-d arrays 1-d)
        if arr.dtype.byteorder == ">":
            arr = arr.astype(arr.dtype.newbyteorder("<"))
        blobs.append(arr.tobytes())
        described.append({"key": key, "dtype": arr.dtype.str, "shape": list(arr.shape), "nbytes": arr.nbytes})
    head = json.dumps({**record, "arrays": described}).encode("utf-8")
    return k.to_bytes(4, "big") + len(head).to_bytes(4, "big") + head + b"".join(blobs)


def load_module(name: str, path: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_probe(probe: Any, module: Any, arrays: dict[str, np.ndarray], params: dict[str, Any]) -> Any:
    return probe(module, arrays, params)


def _inputs(job_dir: str, k: int, read_only: list[str] | None) -> dict[str, np.ndarray]:
    """The check's input arrays; with ``read_only`` (their names, in order) as read-only memory.

    Those are ``in_<k>/<i>.npy`` in the job folder, which is read-only to the child, mapped with ``mmap_mode="r"``
    (PROT_READ): a write raises ``ValueError`` in the student's code, and neither ``setflags(write=True)`` nor
    a write through the buffer can undo that. They are plain ``ndarray`` views, so types are as usual.
    """
    if read_only is None:
        with np.load(os.path.join(job_dir, f"in_{k}.npz"), allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    out: dict[str, np.ndarray] = {}
    for i, key in enumerate(read_only):
        path = os.path.join(job_dir, f"in_{k}", f"{i}.npy")
        array = np.load(path, mmap_mode="r", allow_pickle=False)
        out[key] = array.view(_ndarray) if array.size else np.load(path, allow_pickle=False)
        out[key].setflags(write=False)
    return out


def _run_one(k: int, check: dict[str, Any], probes: Any, module: Any, job: dict[str, Any], fd: int) -> None:
    student_file = job["module_path"]
    inputs = _inputs(job["job_dir"], k, check.get("read_only"))
    _send(fd, b"S", k.to_bytes(4, "big"))
    started = time.perf_counter()
    arrays: dict[str, np.ndarray] = {}
    with warnings.catch_warnings(record=True) as caught:  # warnings are clues, not printed output
        warnings.simplefilter("always")
        try:
            values = run_probe(getattr(probes, check["probe"]), module, inputs, check["params"])
            encoded = {name: encode(v, arrays, [_MAX_BYTES]) for name, v in dict(values).items()}
            record: dict[str, Any] = {"status": "ok", "values": encoded}
        except MemoryError as exc:
            arrays = {}
            record = {"status": "memory", "error": describe_error(exc, student_file)}
        except BaseException as exc:  # noqa: BLE001 - SystemExit and friends are student behaviour too
            arrays = {}
            record = {"status": "raised", "error": describe_error(exc, student_file)}
    record["seconds"] = time.perf_counter() - started
    record["warnings"] = _student_warnings(caught, student_file)
    _send(fd, b"R", result_payload(k, record, arrays))


def _copy_files(job_dir: str) -> None:
    """The checks' input files (``files/<check>/<name>``) into the working folder."""
    import shutil

    source = os.path.join(job_dir, "files")
    for check in sorted(os.listdir(source)) if os.path.isdir(source) else ():
        os.makedirs(check, exist_ok=True)
        for name in sorted(os.listdir(os.path.join(source, check))):
            shutil.copyfile(os.path.join(source, check, name), os.path.join(check, name))


def main(argv: list[str]) -> int:
    job_dir, fd, start = argv[1], int(argv[2]), int(argv[3])
    with open(os.path.join(job_dir, "job.json"), encoding="utf-8") as fh:
        job = json.load(fh)
    job["job_dir"] = job_dir
    _send(fd, b"H", b"")
    sys.meta_path.insert(0, _Blocker())
    sys.path[:] = [p for p in sys.path if p and not os.path.isdir(os.path.join(p, "solutions"))]
    sys.path.insert(0, os.path.dirname(job["module_path"]))
    _copy_files(job_dir)
    probes = load_module("_grader_probes", job["probe_path"])
    try:
        module = load_module(job["module_name"], job["module_path"])
    except BaseException as exc:  # noqa: BLE001
        _send_json(fd, b"I", describe_error(exc, job["module_path"]))
        return 0
    for k in range(start, len(job["checks"])):
        _run_one(k, job["checks"][k], probes, module, job, fd)
    import resource

    for stream in (sys.stdout, sys.stderr):  # before E: the parent stops the sandbox as soon as E arrives
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    _send_json(fd, b"E", {"peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
