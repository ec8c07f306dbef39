"""Safe output writing: the grader writes its reports, ``grades.csv`` and JSON itself, into a folder
that no student process can reach, and never through a link that someone planted there.

:class:`SafeFolder` holds the output folder open (``O_DIRECTORY | O_NOFOLLOW``) and writes every file
relative to that descriptor: first to a fresh temporary name created with ``O_CREAT | O_EXCL |
O_NOFOLLOW`` (an existing entry, a symlink included, is never opened), then renamed over the target in
one step, so a reader sees the old file or the whole new one, never half of one. A target that exists
and is not a regular file (a symlink to the stored values, a FIFO, a folder) is refused, and one name
is written at most once per folder object, so two outputs cannot silently overwrite each other.
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from types import TracebackType

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class UnsafePath(OSError):
    """A file or folder the grader refuses to write or read (a planted link, a FIFO, a clash, too large)."""


def _check_name(name: str) -> str:
    if not name or name in (".", "..") or "/" in name or "\0" in name or (os.sep != "/" and os.sep in name):
        raise UnsafePath(f"{name!r} is not a plain file name")
    return name


class SafeFolder:
    """An output folder written only through its open descriptor (see the module docstring)."""

    def __init__(self, path: Path, *, mode: int = 0o755) -> None:
        self.path = Path(path)
        if self.path.is_symlink():
            raise UnsafePath(f"the output folder {self.path} is a symbolic link; give a real folder")
        self.path.mkdir(parents=True, exist_ok=True, mode=mode)
        try:
            self._fd: int | None = os.open(self.path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
        except OSError as exc:
            raise UnsafePath(f"cannot open the output folder {self.path}: {exc.strerror}") from None
        if not stat.S_ISDIR(os.fstat(self._fd).st_mode):
            self.close()
            raise UnsafePath(f"the output {self.path} is not a folder")
        self._written: set[str] = set()

    def __enter__(self) -> SafeFolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @property
    def fd(self) -> int:
        if self._fd is None:
            raise ValueError("the output folder is closed")
        return self._fd

    def claim(self, name: str) -> str:
        """Reserve ``name`` for one write in this folder; a second claim of the same name is refused."""
        _check_name(name)
        if name in self._written:
            raise UnsafePath(f"{name} would be written twice in {self.path}")
        self._written.add(name)
        return name

    def is_claimed(self, name: str) -> bool:
        return name in self._written

    def preflight(self, names: list[str]) -> None:
        """Claim every name about to be written and refuse any planted entry, before writing anything."""
        for name in names:
            self.claim(name)
        self.refuse_special(names)

    def refuse_special(self, names: list[str]) -> None:
        """Refuse any planted entry (a link, a FIFO, a folder) among names that may be written later."""
        for name in names:
            self._refuse_special(_check_name(name))

    def _refuse_special(self, name: str) -> None:
        try:
            info = os.lstat(name, dir_fd=self.fd)
        except FileNotFoundError:
            return
        if not stat.S_ISREG(info.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
            raise UnsafePath(f"{self.path / name} is {kind}; the grader does not write through it "
                               "(remove it, or write to a fresh folder)")

    def write_bytes(self, name: str, data: bytes, *, claimed: bool = False) -> Path:
        """Write ``data`` as ``name`` atomically (temporary file + rename), never through a link."""
        if not claimed:
            self.claim(name)
        self._refuse_special(name)
        tmp = f".{name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o644, dir_fd=self.fd)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            self._refuse_special(name)
            os.rename(tmp, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)  # replaces the entry, never follows it
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=self.fd)
            except OSError:
                pass
            raise
        return self.path / name

    def write_text(self, name: str, text: str, *, claimed: bool = False) -> Path:
        return self.write_bytes(name, text.encode("utf-8"), claimed=claimed)


def read_regular_file(path: Path, *, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file (not a link, FIFO or device) of at most ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if Path(path).is_symlink():
            raise UnsafePath(f"{Path(path).name} is a symbolic link, not a submitted file") from None
        raise UnsafePath(f"{Path(path).name} cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(f"{Path(path).name} is not a regular file")
        if info.st_size > limit:
            raise UnsafePath(f"{Path(path).name} is {info.st_size / 2**20:.1f} MiB, more than the "
                               f"{limit / 2**20:.0f} MiB a submission may have")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise UnsafePath(f"{Path(path).name} is larger than the {limit / 2**20:.0f} MiB a submission may have")
    return data
