"""grader/sandbox/cgroups.py: one cgroup per submission caps memory and processes across all its processes.

Skipped where this machine gives no cgroup to create (the rlimits alone apply there). Each test runs a submission
that would get past the per-process rlimits and is stopped only by the group.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from grader.sandbox.cgroups import submission_cgroup
from grader.sandbox.job import Job, Limits, ProbeCall
from grader.sandbox.runner import SubprocessRunner

with submission_cgroup(memory_mb=64, pids=8) as _probe_group:
    HAVE_CGROUPS = _probe_group is not None
needs_cgroups = pytest.mark.skipif(not HAVE_CGROUPS, reason="no cgroup can be created on this machine")

PROBE = '''
def look(mod, arrays, params):
    return {"answer": mod.answer(arrays["x"])}
'''


def _run(tmp_path: Path, body: str, *, sandbox: str, **limits: object):
    module, probe = tmp_path / "student.py", tmp_path / "probe.py"
    module.write_text(textwrap.dedent(body))
    probe.write_text(PROBE)
    call = ProbeCall(check="c", probe="look", params={}, arrays={"x": np.arange(3.0)})
    return SubprocessRunner().run(Job(module_path=module, probe_path=probe, calls=(call,), limits=Limits(**limits),
                                     sandbox=sandbox))


FORKS = """
import os, time
def answer(x):
    started = 0
    for _ in range(60):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(3)
            os._exit(0)
        started += 1
    return float(started)
"""


@needs_cgroups
@pytest.mark.parametrize("sandbox", ["auto", "off"])
def test_the_group_caps_the_number_of_processes_of_a_submission(tmp_path, sandbox):
    """Without the sandbox as root no RLIMIT_NPROC applies; with it the group caps threads and processes too."""
    result = _run(tmp_path, FORKS, sandbox=sandbox, nproc=12, total_s=30.0)
    outcome = result.outcomes["c"]
    assert outcome.status == "ok", outcome
    assert outcome.values["answer"].data < 12  # 60 forks were tried; the python itself and bwrap count too


MEMORY = """
import os, time
def answer(x):
    pids = []
    for _ in range(4):  # four processes of 96 MiB each: every one is far below the per-process cap
        pid = os.fork()
        if pid == 0:
            block = bytearray(96 * 2**20)
            for i in range(0, len(block), 4096):
                block[i] = 1
            time.sleep(1.0)  # hold it while the others allocate: the four are alive together
            os._exit(0)
        pids.append(pid)
    killed = 0
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        killed += os.WIFSIGNALED(status)
    return float(killed)
"""


def _groups() -> set[Path]:
    return set(Path("/sys/fs/cgroup").glob("*/**/rnn-grader-*"))


@needs_cgroups
def test_the_group_caps_the_memory_of_all_the_processes_together(tmp_path):
    before = _groups()  # other tests' groups (a parallel run, a slow exit) are not this one's
    result = _run(tmp_path, MEMORY, sandbox="off", memory_mb=256, total_s=30.0)
    outcome = result.outcomes["c"]
    assert outcome.status == "ok", outcome
    assert outcome.values["answer"].data >= 1  # 4 x 96 MiB at once is over the 256 MiB of the group
    assert not _groups() - before  # the group this submission got is removed afterwards
