"""The launcher of the sandboxed kernel: ``python -m grader.integrations.nbgrader.kernel -f CONNECTION_FILE ...``.

:class:`grader.integrations.nbgrader.execute.SandboxedKernelManager` starts this module for every
notebook of ``nbgrader autograde``. It runs outside the sandbox, in the notebook's folder
(``autograded/<student>/<assignment>/``), and:

1. copies that folder's regular files (the sanitised notebook and the assignment's files) into a
   private folder, bound read-only into the sandbox as the kernel's working folder;
2. starts ``ipykernel`` in the bubblewrap profile of :mod:`grader.sandbox.bwrap`: read-only Python and
   its packages, private tmpfs ``/tmp``, ``/dev/shm`` and working folder, new pid and net namespaces,
   uid 65534 when the grader is root. The ZMQ sockets are ``ipc`` files in the kernel's runtime folder,
   bound at the same path. Nothing of the course is visible: not ``rnn_grader.json`` (the hidden
   seed), ``source/``, ``gradebook.db``, the other students, nor the grader's code and data;
3. serves the locked test cells: their client (``cell.py``, bound read-only at ``/run/rnn-grader``)
   asks over a Unix socket in a folder the kernel cannot write, and this process grades the
   notebook *file* outside the kernel with :func:`grader.core.grade` (its own sandbox, the hidden
   cases from ``rnn_grader.json``), caching the report in memory only;
4. when the kernel ends (or nbgrader kills this process: ``--die-with-parent``), the sandbox's pid
   namespace ends with it, daemons included, and the private folders are removed.

``"sandbox": "off"`` in ``rnn_grader.json`` runs the kernel without the sandbox (said on stderr); by
default a missing bubblewrap stops the kernel with a one-line reason. ``"kernel_memory_mb"`` (default
``KERNEL_MEMORY_MB``) caps the address space of the kernel and everything it starts (``RLIMIT_AS``, no
cgroups): a cell that allocates more gets a ``MemoryError``. ``"kernel_budget_s"`` (default
``KERNEL_BUDGET_S``) is the wall-clock limit of one notebook's kernel: past it the launcher kills the
sandbox (nbgrader then scores the remaining cells 0), whatever the kernel does with interrupts.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any, Mapping, Sequence

from grader.integrations.nbgrader.cell import (SERVICE_VARIABLE, CELL_VARIABLE, cache_key, check_lines,
                                               course_config, course_lang, find_notebook, header_lines, hidden_seed,
                                               no_notebook_line, refused_lines, sandbox_mode, timeout_s)

INSIDE_SERVICE = "/run/rnn-grader"
INSIDE_NOTEBOOK = "/sandbox/notebook"
MAX_COPY_BYTES = 64 * 2**20
MAX_REQUEST_BYTES = 4096
KERNEL_BUDGET_S = 1200.0
KERNEL_MEMORY_MB = 8192  # address space of the kernel and everything it starts (exercise-08's cells import TensorFlow)
SKIP = {".rnn_grader_cache.json", "rnn_grader.json", "gradebook.db", ".ipynb_checkpoints", "__pycache__"}


def copy_folder(src: Path, dest: Path, *, limit: int = MAX_COPY_BYTES) -> int:
    """Copy the regular files under ``src`` (no links, FIFOs or devices) to ``dest``; at most ``limit`` bytes."""
    total = 0
    for root, dirs, files in os.walk(src, followlinks=False):
        dirs[:] = [d for d in dirs if d not in SKIP and not os.path.islink(os.path.join(root, d))]
        target = dest / os.path.relpath(root, src)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            path = Path(root) / name
            if name in SKIP or path.is_symlink() or not path.is_file():
                continue
            total += path.stat().st_size
            if total > limit:
                raise OSError(f"the notebook's folder holds more than {limit // 2**20} MiB")
            shutil.copyfile(path, target / name, follow_symlinks=False)
    return total


class GradingService:
    """Answers the test cells: grades the notebook file in ``cwd`` once, outside the kernel."""

    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        self.cwd, self.env = cwd, dict(env)
        self.config = course_config(cwd)
        self.seed, self.timeout = hidden_seed(self.env, self.config), timeout_s(self.config)
        self.lang = course_lang(self.config)
        self.reports: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def answer(self, request: Mapping[str, Any]) -> list[str]:
        from grader.integrations.nbgrader.cell import grade_notebook

        try:
            exercise_id, check, points = str(request["exercise"]), str(request["check"]), float(request["points"])
            notebook = find_notebook(self.cwd, exercise_id)
            if notebook is None:
                return [no_notebook_line(exercise_id, self.cwd, lang=self.lang), "0.0"]
            key = cache_key(notebook.read_bytes(), exercise_id, self.seed, self.timeout, lang=self.lang)
            with self.lock:
                first = key not in self.reports
                if first:
                    self.reports[key] = grade_notebook(notebook, exercise_id, self.seed, self.timeout,
                                                       sandbox=sandbox_mode(self.env, self.config), lang=self.lang)
            report = self.reports[key]
            lines = header_lines(report, notebook, self.env, lang=self.lang) if first else []
            text, score = check_lines(report, check, points, lang=self.lang)
            return lines + text + [repr(score)]
        except Exception as exc:  # noqa: BLE001 - the cell must get a score and a reason
            return refused_lines(exc, lang=self.lang) or [f"FAIL  The grader could not grade this notebook: {type(exc).__name__}: {exc}",
                                          "0.0"]

    def serve(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.settimeout(30)
                    data = b""
                    while b"\n" not in data and len(data) <= MAX_REQUEST_BYTES:
                        chunk = conn.recv(MAX_REQUEST_BYTES)
                        if not chunk:
                            break
                        data += chunk
                    request = json.loads(data[:MAX_REQUEST_BYTES].split(b"\n")[0])
                    lines = self.answer(request if isinstance(request, dict) else {})
                    conn.settimeout(None)
                    conn.sendall(("\n".join(lines) + "\n").encode("utf-8"))
                except (OSError, ValueError):
                    continue


def kernel_env(env: Mapping[str, str]) -> dict[str, str]:
    """What the kernel sees: no secrets, nothing of the grader's environment beyond what Python needs."""
    out = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/sandbox/work", "LANG": "C.UTF-8",
           "IPYTHONDIR": "/sandbox/work/.ipython", "MPLCONFIGDIR": "/tmp/matplotlib", "MPLBACKEND": "agg",
           "JUPYTER_RUNTIME_DIR": "/tmp/jupyter", "PYTHONDONTWRITEBYTECODE": "1", "TF_CPP_MIN_LOG_LEVEL": "3",
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "JPY_PARENT_PID": "1",
           SERVICE_VARIABLE: f"{INSIDE_SERVICE}/grader.sock", CELL_VARIABLE: f"{INSIDE_SERVICE}/cell.py"}
    for name in ("NBGRADER_EXECUTION", "JPY_SESSION_NAME", "OPENBLAS_CORETYPE"):
        if name in env:
            out[name] = env[name]
    return out


def kernel_memory_mb(config: Mapping[str, Any]) -> int:
    value = config.get("kernel_memory_mb")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) and value > 0 else KERNEL_MEMORY_MB


def _limits(memory_mb: int = KERNEL_MEMORY_MB) -> None:
    """rlimits of the sandbox (set before bwrap's exec, inherited by the kernel and every process it starts)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 2**20, 256 * 2**20))
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))


def kernel_budget_s(config: Mapping[str, Any]) -> float:
    value = config.get("kernel_budget_s")
    return float(value) if isinstance(value, (int, float)) and value > 0 else KERNEL_BUDGET_S


def _sandbox_mode(config: Mapping[str, Any]) -> str:
    mode = config.get("sandbox", "required")
    return mode if mode in ("required", "auto", "off") else "required"


def _give_to_nobody(paths: Sequence[Path]) -> None:
    from grader.sandbox.bwrap import NOBODY

    if os.geteuid() == 0:
        for path in paths:
            os.chown(path, NOBODY, NOBODY)


def sandbox_argv(command: Sequence[str], *, runtime: Path, service: Path, notebook: Path, bwrap: str) -> list[str]:
    from grader.sandbox.bwrap import Profile, bwrap_argv, grader_hidden_paths, python_binds

    ro = (*python_binds(), (str(service), INSIDE_SERVICE), (str(notebook), INSIDE_NOTEBOOK))
    profile = Profile(ro_binds=ro, binds=((str(runtime), str(runtime)),), hide=grader_hidden_paths(ro),
                      chdir=INSIDE_NOTEBOOK, work_size_mb=256, tmp_size_mb=256)
    return bwrap_argv(command, profile=profile, bwrap=bwrap)


def launch(argv: Sequence[str], *, cwd: Path, env: Mapping[str, str]) -> int:
    """Run the kernel of ``argv`` (``-f CONNECTION_FILE`` and ipykernel's arguments) in the sandbox."""
    from grader.sandbox.bwrap import find_bwrap

    args = list(argv)
    if "-f" not in args or args.index("-f") + 1 >= len(args):
        print("rnn-grader kernel: usage: python -m grader.integrations.nbgrader.kernel -f CONNECTION_FILE",
              file=sys.stderr)
        return 2
    connection = Path(args[args.index("-f") + 1]).resolve()
    runtime = connection.parent
    info = json.loads(connection.read_text(encoding="utf-8"))
    command = [sys.executable, "-m", "ipykernel_launcher", *args]
    service_env = dict(env)
    config = course_config(cwd)
    bwrap = find_bwrap()
    if bwrap is None or _sandbox_mode(config) == "off":
        if _sandbox_mode(config) == "required":
            print("rnn-grader kernel: bubblewrap is not available, and the course requires the sandbox "
                  '(set "sandbox": "off" in rnn_grader.json to run students\' cells unsandboxed)', file=sys.stderr)
            return 1
        why = "bubblewrap is not available" if bwrap is None else "the sandbox is off (rnn_grader.json)"
        print(f"rnn-grader kernel: {why}: student cells run unsandboxed", file=sys.stderr)
        return subprocess.call(command, cwd=cwd)
    if info.get("transport") != "ipc" or not str(info.get("ip", "")).startswith(str(runtime) + os.sep):
        print("rnn-grader kernel: the sandboxed kernel needs the ipc transport in its own runtime folder "
              "(start it through SandboxedKernelManager)", file=sys.stderr)
        return 2
    base = Path(tempfile.mkdtemp(prefix="rnn-grader-kernel-host-"))
    try:
        os.chmod(base, 0o755)
        service, notebook = base / "service", base / "notebook"
        service.mkdir(mode=0o755)
        copy_folder(cwd, notebook)
        shutil.copyfile(Path(__file__).with_name("cell.py"), service / "cell.py")
        _give_to_nobody([runtime, connection])
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(str(service / "grader.sock"))
        os.chmod(service / "grader.sock", 0o666)
        server.listen(8)
        grading = GradingService(cwd, service_env)
        threading.Thread(target=grading.serve, args=(server,), daemon=True).start()
        proc = subprocess.Popen(sandbox_argv(command, runtime=runtime, service=service, notebook=notebook,
                                             bwrap=bwrap),
                                env=kernel_env(env), stdin=subprocess.DEVNULL,
                                preexec_fn=lambda: _limits(kernel_memory_mb(config)))

        def stop(signum: int, frame: object) -> None:
            proc.kill()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupts arrive as messages (interrupt_mode)
        try:
            code = proc.wait(timeout=kernel_budget_s(config))
        except subprocess.TimeoutExpired:
            print(f"rnn-grader kernel: the notebook ran for more than {kernel_budget_s(config):g} s and its "
                  "kernel was stopped", file=sys.stderr)
            proc.kill()
            code = proc.wait()
        server.close()
        return code if code >= 0 else 128 - code
    finally:
        shutil.rmtree(base, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    return launch(list(sys.argv[1:] if argv is None else argv), cwd=Path.cwd(), env=os.environ)


if __name__ == "__main__":
    raise SystemExit(main())
