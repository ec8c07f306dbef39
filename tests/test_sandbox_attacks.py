"""Hostile submissions against the bubblewrap sandbox, one test per attack class of issue 9.

Each sandboxed run is shared by the tests that look at it (module fixtures), so the whole file costs a
handful of grades. Every test checks what the attack could have reached from the outside: files, the
listener, the process table.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, TESTS, check
from grader.core import Options, grade
from grader.model import RunResult
from grader.sandbox import bwrap, runner as runner_module
from grader.sandbox.codec import Budget, Unreadable, decode_result
from grader.sandbox.runner import SubprocessRunner
from grader.sandbox.job import Job, Limits, ProbeCall, SandboxUnavailable
from grader.sandbox.wire import BadFrame, FrameReader

ATTACKS = TESTS / "attacks" / "sandbox"
EX = "exercise-03"
FORWARD = ("forward_tanh", "forward_sigmoid", "isolate_Ux", "isolate_b", "sequence")
HONEST = ("activate_tanh", "softmax_columns", "loss", "build")
needs_bwrap = pytest.mark.skipif(bwrap.find_bwrap() is None, reason="bubblewrap is not available")


@dataclass
class Recording:
    """A runner that keeps what came back from the child (its stdout tail above all)."""

    results: list[RunResult] = field(default_factory=list)

    def run(self, job: Job) -> RunResult:
        result = SubprocessRunner().run(job)
        self.results.append(result)
        return result


def _site_packages() -> Path:
    return Path(next(p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix)))


def _fill(name: str, folder: Path, **values: str) -> Path:
    text = (ATTACKS / name).read_text()
    for key, value in values.items():
        text = text.replace(f"__{key}__", value)
    target = folder / name
    target.write_text(text)
    return target


def _left(marker: str) -> list[str]:
    return subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.split()


@pytest.fixture(scope="module")
def escape(tmp_path_factory: pytest.TempPathFactory):
    """escape.py graded once in the required sandbox, with a secret in the grader's environment."""
    folder = tmp_path_factory.mktemp("escape")
    marker = f"rnnsbx{uuid.uuid4().hex[:10]}"
    canary = folder / "canary.txt"
    canary.write_text("unchanged")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    attack = _fill("escape.py", folder, ROOT=str(ROOT), SITE=str(_site_packages()), CANARY=str(canary),
                   PORT=str(listener.getsockname()[1]), MARKER=marker)
    watched = [ROOT / "solutions", ROOT / "grader" / "probes", _site_packages()]
    before = {str(d): sorted(os.listdir(d)) for d in watched}
    os.environ["RNN_SANDBOX_TEST_SECRET"] = "hidden-seed-271828"
    recording = Recording()
    started = time.monotonic()
    try:
        report = grade(attack, EX, Options(timeout_s=2.0, sandbox="required", runner=recording))
    finally:
        del os.environ["RNN_SANDBOX_TEST_SECRET"]
    seconds = time.monotonic() - started
    try:
        connection = listener.accept()[0]
    except BlockingIOError:
        connection = None
    listener.close()
    after = {str(d): sorted(os.listdir(d)) for d in watched}
    later = _fill("later.py", folder, MARKER=marker)
    later_recording = Recording()
    grade(later, EX, Options(timeout_s=2.0, sandbox="required", runner=later_recording))
    yield {"report": report, "run": recording.results[-1], "canary": canary, "before": before, "after": after,
           "connection": connection, "marker": marker, "later": later_recording.results[-1], "seconds": seconds}
    for path in (ROOT / "solutions" / f"_pwned_{marker}.py", ROOT / "grader" / "probes" / f"_pwned_{marker}.py",
                 _site_packages() / f"_pwned_{marker}.pth"):
        path.unlink(missing_ok=True)


@needs_bwrap
def test_code_cannot_be_planted_in_the_grader_and_no_file_outside_changes(escape):
    assert escape["after"] == escape["before"]
    assert escape["canary"].read_text() == "unchanged"
    assert "LEAK solutions" not in escape["run"].stderr_tail and "LEAK canary" not in escape["run"].stderr_tail


@needs_bwrap
def test_answers_secrets_and_the_grader_cannot_be_read(escape):
    assert "LEAK" not in escape["run"].stderr_tail, escape["run"].stderr_tail
    report = escape["report"]
    for name in FORWARD:  # call() runs the reference only if it can reach it
        assert not check(report, name).passed, name
    assert report.score < report.max_score / 2


@needs_bwrap
def test_the_network_is_closed(escape):
    assert escape["connection"] is None


@needs_bwrap
def test_nothing_outlives_the_submission(escape):
    assert _left(escape["marker"]) == []


@needs_bwrap
def test_the_grader_survives_floods_and_signals_and_keeps_only_a_tail(escape):
    report, run = escape["report"], escape["run"]
    assert len(run.stdout_tail) <= 4000  # 8 MiB were written
    assert report.sandbox.startswith("bubblewrap")
    assert {c.name for c in report.checks} >= set(FORWARD) | set(HONEST)
    for name in HONEST:  # the checks the attack did not touch still earn their points
        assert check(report, name).passed, check(report, name).message
    assert "All checks passed" not in run.stdout_tail


@needs_bwrap
def test_tmp_and_shm_are_private_to_each_submission(escape):
    assert "PLANTED-SEEN" not in escape["later"].stdout_tail


@needs_bwrap
def test_a_malformed_result_costs_only_its_check(tmp_path):
    report = grade(ATTACKS / "channel.py", EX, Options(timeout_s=6.0, sandbox="required"))  # 50M bools: slow under load
    assert report.sandbox.startswith("bubblewrap")
    softmax, loss = check(report, "softmax_columns"), check(report, "loss")
    assert not softmax.passed and "could not be read" in softmax.message, softmax.message
    assert not loss.passed and "too large" in loss.message.lower() + " ".join(d.message for d in loss.diagnoses)
    assert not check(report, "forward_tanh").passed
    assert check(report, "activate_tanh").passed and check(report, "build").passed


FORGER = '''
import os, stat, time
def pipes():
    out = []
    for name in os.listdir("/proc/self/fd"):
        try:
            if int(name) > 2 and stat.S_ISFIFO(os.fstat(int(name)).st_mode):
                out.append(int(name))
        except OSError:
            pass
    return out
def answer(x):
    fds = pipes()
    while True:  # a heartbeat that claims check 0 is starting, again and again
        for fd in fds:
            try:
                os.write(fd, b"RGS" + (4).to_bytes(4, "big") + (0).to_bytes(4, "big"))
            except OSError:
                pass
        time.sleep(0.1)
'''


def test_forged_heartbeats_do_not_move_the_hard_deadline(tmp_path):
    module = tmp_path / "student.py"
    module.write_text(FORGER)
    probe = tmp_path / "probe.py"
    probe.write_text("def look(mod, arrays, params):\n    return {'answer': mod.answer(arrays['x'])}\n")
    call = ProbeCall(check="c", probe="look", params={}, arrays={"x": np.arange(3.0)})
    started = time.monotonic()
    result = SubprocessRunner().run(Job(module_path=module, probe_path=probe, calls=(call,),
                                        limits=Limits(timeout_s=1.0, total_s=3.0)))
    assert time.monotonic() - started < 8
    outcome = result.outcomes["c"]
    assert outcome.status == "timeout" and "total time" in outcome.error.message, outcome


def _payload(k: int, head: bytes, blob: bytes = b"") -> bytes:
    return k.to_bytes(4, "big") + len(head).to_bytes(4, "big") + head + blob


def test_the_decoder_refuses_before_it_allocates():
    import json

    with pytest.raises(Unreadable, match="nested too deeply|malformed"):
        decode_result("c", _payload(0, b"[" * 100_000 + b"]" * 100_000))
    claims = {"status": "ok", "values": {}, "arrays": [{"key": "a0", "dtype": "<f8", "shape": [10**6, 10**6],
                                                         "nbytes": 8 * 10**12}]}
    with pytest.raises(Unreadable, match="size does not match"):
        decode_result("c", _payload(0, json.dumps(claims).encode()))
    bools = np.ones(5_000_000, dtype=bool)
    head = {"status": "ok", "values": {"y": {"kind": "array", "type": "numpy.ndarray", "ref": "a0"}},
            "arrays": [{"key": "a0", "dtype": "|b1", "shape": [bools.size], "nbytes": bools.nbytes}]}
    _, outcome = decode_result("c", _payload(0, json.dumps(head).encode(), bools.tobytes()), budget=Budget())
    assert outcome.values["y"].kind == "forbidden" and outcome.values["y"].data is None  # never expanded
    reader = FrameReader(max_payload=2**20)
    with pytest.raises(BadFrame, match="larger than"):
        reader.feed(b"RGR" + (2**31).to_bytes(4, "big"))
    with pytest.raises(BadFrame, match="not a result record"):
        FrameReader(max_payload=2**20).feed(b'{"status": "ok"}')


def test_without_bubblewrap_auto_falls_back_and_says_so_and_required_exits_2(monkeypatch, capsys):
    from grader.cli import main

    monkeypatch.setattr(runner_module.bwrap, "find_bwrap", lambda: None)
    reference = ROOT / "solutions" / "exercise_03_rnn_cell.py"
    report = grade(reference, EX, Options(sandbox="auto"))
    assert report.full_marks and report.sandbox.startswith("process isolation only")
    assert any("process isolation only" in note for note in report.notes)
    with pytest.raises(SandboxUnavailable):
        grade(reference, EX, Options(sandbox="required"))
    assert main([EX, "--path", str(reference), "--sandbox", "required"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bubblewrap" in err[0] and "Traceback" not in err[0]


FAKE_BWRAP = "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n"


@pytest.mark.parametrize("bwrap_state", ["missing", "cannot start"])
def test_batch_and_selfcheck_with_sandbox_required_refuse_up_front_with_exit_2(bwrap_state, monkeypatch, capsys,
                                                                                tmp_path):
    """No bubblewrap (or one that cannot start): the whole batch stops before any student, one line, exit 2."""
    from grader.cli import main

    if bwrap_state == "missing":
        monkeypatch.setattr(runner_module.bwrap, "find_bwrap", lambda: None)
    else:
        fake = tmp_path / "bwrap"
        fake.write_text(FAKE_BWRAP)
        fake.chmod(0o755)
        monkeypatch.setattr(runner_module.bwrap, "find_bwrap", lambda: str(fake))
    graded: list[Path] = []
    real_grade = runner_module.SubprocessRunner.run
    monkeypatch.setattr(runner_module.SubprocessRunner, "run", lambda self, job: graded.append(job) or real_grade(self, job))
    klass, out = tmp_path / "class", tmp_path / "out"
    klass.mkdir()
    for student in ("alice", "bob"):
        (klass / f"{student}.py").write_text((ROOT / "solutions" / "exercise_03_rnn_cell.py").read_text())
    for argv in (["batch", EX, str(klass), "--out", str(out)], ["batch", EX, str(klass), "--out", str(out), "--jobs", "2"],
                 ["selfcheck", "--sandbox", "required", "--keras", "stored"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "--sandbox required" in err[0] and "nothing was graded" in err[0], err
        assert "Traceback" not in err[0]
    assert graded == [] and not out.exists()
    monkeypatch.setenv("CI", "true")
    assert main(["selfcheck", "--keras", "stored"]) == 2  # required is selfcheck's default in CI
    assert "--sandbox required" in capsys.readouterr().err


def test_frames_before_a_bad_one_in_the_same_chunk_are_kept():
    """A check's start frame and a forged frame read in one chunk: the start still counts (it was a race: the
    whole chunk was dropped, the restart looked like a failed import, and every later check was not run)."""
    reader = FrameReader(max_payload=2**20)
    start = b"RGS" + (4).to_bytes(4, "big") + (8).to_bytes(4, "big")
    with pytest.raises(BadFrame, match="larger than") as caught:
        reader.feed(start + b"RGR" + (2**30).to_bytes(4, "big"))
    assert caught.value.frames == [("S", (8).to_bytes(4, "big"))]
