"""A cgroup per submission, where the machine offers one: memory and process count for all its processes together.

rlimits (``runner._limit_resources``) cap each process on its own; a submission that forks can still add up
memory across its processes, and ``RLIMIT_NPROC`` only counts per uid (meaningful when the grader runs as root).
Where this process may create cgroups (cgroup v2 with the ``memory``/``pids`` controllers delegated, or the v1
``memory`` and ``pids`` hierarchies writable, as for root in most containers), :func:`submission_cgroup` makes one
group below the grader's own, caps ``memory`` and ``pids`` there, and the child joins it before it execs
(:meth:`Cgroup.join`, run in ``preexec_fn``), so bubblewrap and everything the submission starts inherit it.
The pid namespace is still what ends every process; the group is removed afterwards. Nothing depends on it:
where cgroups are not available or a write fails, :func:`submission_cgroup` gives ``None`` and the rlimits stay.
"""
from __future__ import annotations

import os
import signal
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class Cgroup:
    """The group folders made for one submission (one per v1 controller, or one v2 folder)."""

    folders: tuple[Path, ...]

    def join(self) -> None:
        """Move the calling process into the group (in the child, between fork and exec). Errors are ignored."""
        pid = str(os.getpid())
        for folder in self.folders:
            try:
                with open(folder / "cgroup.procs", "w") as procs:
                    procs.write(pid)
            except OSError:
                pass

    def pids(self) -> set[int]:
        out: set[int] = set()
        for folder in self.folders:
            try:
                out.update(int(p) for p in (folder / "cgroup.procs").read_text().split())
            except (OSError, ValueError):
                pass
        return out

    def close(self, *, wait_s: float = 1.0) -> None:
        """Kill whatever is still in the group (without a pid namespace, ``--sandbox off``, a fork can outlive the
        child), then remove the folders (the kernel may take a moment after the last exit)."""
        deadline = time.monotonic() + wait_s
        while (left := self.pids() - {os.getpid()}) and time.monotonic() < deadline:
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.01)
        for folder in self.folders:
            while True:
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.01)


def _own(controller: str, cgroup_file: str = "/proc/self/cgroup") -> str | None:
    """This process's group path in the hierarchy of ``controller`` ("" for the v2 unified hierarchy)."""
    try:
        lines = Path(cgroup_file).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers.split(",") == [controller] or (controller == "" and controllers == ""):
            return path
    return None


def _write(path: Path, value: str) -> None:
    with open(path, "w") as handle:
        handle.write(value)


def _v1(name: str, *, memory_bytes: int, pids: int) -> tuple[Path, ...] | None:
    made: list[Path] = []
    try:
        for controller, file, value in (("memory", "memory.limit_in_bytes", memory_bytes), ("pids", "pids.max", pids)):
            own = _own(controller)
            base = ROOT / controller
            if own is None or not (base / "cgroup.procs").exists():
                raise OSError(f"no v1 {controller} hierarchy")
            folder = base / own.lstrip("/") / name
            folder.mkdir()
            made.append(folder)
            _write(folder / file, str(value))
        return tuple(made)
    except OSError:
        Cgroup(tuple(made)).close(wait_s=0.0)
        return None


def _v2(name: str, *, memory_bytes: int, pids: int) -> tuple[Path, ...] | None:
    own = _own("")
    base = ROOT if (ROOT / "cgroup.controllers").exists() else ROOT / "unified"
    if own is None or not (base / "cgroup.controllers").exists():
        return None
    parent = base / own.lstrip("/")
    try:
        if not {"memory", "pids"} <= set((parent / "cgroup.subtree_control").read_text().split()):
            return None
        folder = parent / name
        folder.mkdir()
    except OSError:
        return None
    try:
        _write(folder / "memory.max", str(memory_bytes))
        if (folder / "memory.swap.max").exists():
            _write(folder / "memory.swap.max", "0")
        _write(folder / "pids.max", str(pids))
        return (folder,)
    except OSError:
        Cgroup((folder,)).close(wait_s=0.0)
        return None


@contextmanager
def submission_cgroup(*, memory_mb: int, pids: int) -> Iterator[Cgroup | None]:
    """A fresh group capped at ``memory_mb`` (all processes together) and ``pids`` processes, or None."""
    name = f"rnn-grader-{uuid.uuid4().hex[:12]}"
    folders = _v2(name, memory_bytes=memory_mb * 2**20, pids=pids) or _v1(name, memory_bytes=memory_mb * 2**20,
                                                                          pids=pids)
    group = Cgroup(folders) if folders else None
    try:
        yield group
    finally:
        if group is not None:
            group.close()
