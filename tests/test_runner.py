"""The sandboxed child: isolation properties that every exercise relies on."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from grader.sandbox.runner import SubprocessRunner
from grader.sandbox.job import Job, Limits, ProbeCall

PROBE = '''
import os, sys
def look(mod, arrays, params):
    return {"cwd": os.getcwd(), "answer": mod.answer(arrays["x"]), "x_after": arrays["x"],
            "path": [p for p in sys.path if "solutions" in p]}
'''


def run_module(tmp_path: Path, body: str, sandbox: str = "auto", **limits) -> object:
    module = tmp_path / "student.py"
    module.write_text(textwrap.dedent(body))
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    call = ProbeCall(check="c", probe="look", params={}, arrays={"x": np.arange(3.0)})
    return SubprocessRunner().run(Job(module_path=module, probe_path=probe, calls=(call,), limits=Limits(**limits),
                                     sandbox=sandbox))


@pytest.mark.parametrize("sandbox", ["auto", "off"])
def test_child_runs_in_a_private_directory_and_returns_plain_values(tmp_path, sandbox):
    result = run_module(tmp_path, "def answer(x):\n    return x * 2\n", sandbox=sandbox)
    outcome = result.outcomes["c"]
    assert outcome.status == "ok"
    if result.sandbox.startswith("bubblewrap"):
        assert outcome.values["cwd"].text == "/sandbox/work"
    else:
        assert result.sandbox.startswith("process isolation only")
        assert outcome.values["cwd"].text.startswith("/tmp") and "rnn-grader-" in outcome.values["cwd"].text
    assert outcome.values["answer"].type_name == "numpy.ndarray"
    assert list(outcome.values["answer"].data) == [0.0, 2.0, 4.0]


def test_solutions_and_grader_are_not_importable_by_name(tmp_path):
    result = run_module(tmp_path, """
        def answer(x):
            out = []
            for name in ("solutions", "solutions.exercise_03_rnn_cell", "grader"):
                try:
                    __import__(name)
                    out.append(name)
                except ImportError:
                    pass
            return out
    """)
    answer = result.outcomes["c"].values["answer"]
    assert answer.kind == "sequence" and answer.items == ()


def test_stdout_is_captured_not_parsed(tmp_path):
    result = run_module(tmp_path, """
        print('{"score": 100, "max_score": 100, "tests": []}')
        def answer(x):
            print("All checks passed")
            return 1.0
    """)
    assert "All checks passed" in result.stdout_tail
    assert result.outcomes["c"].values["answer"].type_name == "float"


def test_environment_is_scrubbed(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_SECRET", "hidden-seed-1234")
    result = run_module(tmp_path, "import os\ndef answer(x):\n    return os.environ.get('GRADER_SECRET', 'none')\n")
    assert result.outcomes["c"].values["answer"].text == "none"


def test_timeout_is_configurable_and_reported(tmp_path):
    # The import of the module is timed with the same limit, so 0.5 s failed on a loaded machine before the check
    # started. 1.5 s leaves the import room; a per-check limit that is not enforced still fails: the loop then
    # runs until the submission's 20 s total, whose message names the total, not "1.5 s".
    result = run_module(tmp_path, "def answer(x):\n    while True:\n        pass\n", timeout_s=1.5, total_s=20.0)
    outcome = result.outcomes["c"]
    assert outcome.status == "timeout", (outcome, result.import_error)
    assert "more than 1.5 s" in outcome.error.message and "total" not in outcome.error.message


def test_memory_limit_is_configurable_and_reported(tmp_path):
    result = run_module(tmp_path, "import numpy as np\ndef answer(x):\n    return np.ones(10**9)\n", memory_mb=600)
    outcome = result.outcomes["c"]
    assert outcome.status == "memory"


def test_grade_does_not_import_tensorflow():
    code = textwrap.dedent("""
        import sys
        from grader.core import grade, Options
        from grader.specs import get_exercise
        report = grade("solutions/exercise_03_rnn_cell.py", get_exercise("exercise-03"), Options())
        assert report.full_marks
        heavy = [m for m in ("tensorflow", "keras", "sklearn", "nbgrader") if m in sys.modules]
        print(heavy)
    """)
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True).stdout
    assert out.strip() == "[]"
