"""Hostile submissions: the grader survives each, writes its report, and gives no marks for what they touch."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, TESTS, check, graded

EX = "exercise-03"
ATTACKS = TESTS / "attacks" / "exercise_03"
STEP_CHECKS = ("forward_tanh", "forward_sigmoid", "isolate_Ux", "isolate_b", "sequence")


def attack(name: str, timeout: float = 3.0):  # generous: CI machines are slow
    return graded(str(ATTACKS / f"{name}.py"), EX, timeout_s=timeout)


@pytest.mark.parametrize("name", ["ndarray_subclass_eq", "monkeypatch_allclose", "fake_results", "reads_solution",
                                  "pickle_payload"])
def test_forged_outputs_get_no_marks_for_the_forward_pass(name):
    report = attack(name)
    for check_name in STEP_CHECKS:
        assert not check(report, check_name).passed, check_name
    assert report.score < report.max_score / 2


def test_ndarray_subclass_is_rejected_by_exact_type():
    result = check(attack("ndarray_subclass_eq"), "forward_tanh")
    assert "subclass of numpy.ndarray" in result.message and "does not accept" in result.message


def test_pickle_payload_never_runs_in_the_grader(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    monkeypatch.setenv("RNN_ATTACK_MARKER", str(marker))
    from grader.core import Options, grade
    from grader.specs import get_exercise

    report = grade(ATTACKS / "pickle_payload.py", get_exercise(EX), Options(timeout_s=1.5))
    assert not marker.exists()
    assert not check(report, "forward_tanh").passed


# The hangs run with a 1 s limit per check (and so 1 s after the first hang): what they prove does not depend on
# the limit, and with the default 3 s the three hanging submissions cost about 65 s of this file's 100 s.
HANG_S = 1.0


@pytest.mark.parametrize("name", ["sys_exit_import", "infinite_loop_import"])
def test_import_time_attacks_get_zero(name):
    report = attack(name, timeout=HANG_S)
    assert report.score == 0
    assert all("could not be imported" in c.message for c in report.checks)


def test_sys_exit_message_names_it():
    assert "sys.exit()" in attack("sys_exit_import", timeout=HANG_S).checks[0].message


def test_infinite_loop_at_import_times_out_with_a_message():
    assert "took more than 1 s" in attack("infinite_loop_import", timeout=HANG_S).checks[0].message


def _only_the_touched_checks_fail(report, words: str) -> None:
    assert not check(report, "forward_tanh").passed
    assert words in check(report, "forward_tanh").message, check(report, "forward_tanh").message
    # The methods that do not call call() still earn their points in a fresh process.
    for ok in ("activate_tanh", "softmax_columns", "loss", "build"):
        assert check(report, ok).passed, check(report, ok).message


@pytest.mark.parametrize("name,words,timeout", [("os_exit_call", "exited with code 0", 3.0),
                                                ("infinite_loop", "more than 1 s", HANG_S)])
def test_process_attacks_inside_call_cost_only_the_checks_they_touch(name, words, timeout):
    _only_the_touched_checks_fail(attack(name, timeout=timeout), words)


def test_memory_limit_has_a_clear_message_and_costs_only_the_checks_it_touches():
    from grader.core import Options, grade
    from grader.specs import get_exercise

    report = grade(ATTACKS / "memory_hog.py", get_exercise(EX), Options(timeout_s=20, memory_mb=1024))
    message = check(report, "forward_tanh").message
    assert "memory" in message.lower(), message
    _only_the_touched_checks_fail(report, "")


def test_fork_bomb_children_are_killed_and_it_costs_only_the_checks_it_touches(tmp_path, monkeypatch):
    pidfile = tmp_path / "pids"
    monkeypatch.setenv("RNN_ATTACK_PIDFILE", str(pidfile))
    from grader.core import Options, grade
    from grader.specs import get_exercise

    report = grade(ATTACKS / "fork_bomb_lite.py", get_exercise(EX), Options(timeout_s=HANG_S))
    _only_the_touched_checks_fail(report, "more than 1 s")
    # The child's environment is scrubbed, so the attack cannot even learn where to report;
    # whatever it started must be gone.
    assert not pidfile.exists()
    leftovers = subprocess.run(["pgrep", "-f", "sleep 1000"], capture_output=True, text=True).stdout.split()
    assert leftovers == []


def test_cli_survives_fake_results_and_writes_real_json(tmp_path):
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "grader.cli", EX, "--path", str(ATTACKS / "fake_results.py"),
                           "--json", str(out), "--timeout", "2"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    doc = json.loads(out.read_text())
    assert doc["score"] < doc["max_score"]
    assert "All checks passed" not in proc.stdout and "100/100" not in proc.stdout
