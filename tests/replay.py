"""Record the child's outcomes of a grading, and replay them to another grader (the student release's).

A :class:`Recorder` wraps a runner and keeps every :class:`RunResult` under the digest of its job: the
submission's bytes, the probe file's bytes, and every call (check, probe, params, input arrays, files).
A :class:`Replayer` answers a job only with the result recorded for exactly that digest, so the grader that
replays must send the very same job to the child; any other job fails the grading. Only the standard
library and NumPy here: the release's venv imports this file without the full project's test helpers.
"""
from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def job_digest(job: Any) -> str:
    """What the child would be given, whatever the folders: file contents, not paths."""
    h = hashlib.sha256()
    for path in (job.module_path, job.probe_path):
        h.update(hashlib.sha256(Path(path).read_bytes()).digest())
    h.update(repr((job.limits, job.sandbox)).encode())
    for call in job.calls:
        params = {k: v for k, v in call.params.items()}
        h.update(json.dumps([call.check, call.probe, params], sort_keys=True, default=repr).encode())
        for name in sorted(call.arrays):
            arr = call.arrays[name]
            h.update(json.dumps([name, arr.dtype.str, list(arr.shape)]).encode())
            h.update(arr.tobytes())
        for name in sorted(call.files):
            h.update(name.encode() + b"\0" + hashlib.sha256(call.files[name]).digest())
    return h.hexdigest()


@dataclass(frozen=True, eq=False)
class Recorder:
    inner: Any
    runs: dict[str, Any] = field(default_factory=dict)

    def run(self, job: Any) -> Any:
        result = self.inner.run(job)
        self.runs[job_digest(job)] = result
        return result

    def save(self, path: Path) -> None:
        path.write_bytes(pickle.dumps(self.runs))  # between this test's own processes only


@dataclass(frozen=True, eq=False)
class Replayer:
    runs: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> "Replayer":
        return cls(pickle.loads(path.read_bytes()))

    def run(self, job: Any) -> Any:
        digest = job_digest(job)
        if digest not in self.runs:
            raise AssertionError(f"the release sent the child a job the full project never sent ({job.module_path})")
        return self.runs[digest]
