"""Issue 9, item 5: inputs that must stay unchanged reach the student's code as read-only memory.

Before, "xt and ht_1 are unchanged" was a claim: the probe read the arrays back after the call, so code that
wrote into them and put the old values back (or undid the read-only flag) passed. Now the arrays are mapped
read-only from the job folder: the write itself raises in the student's code, and the diagnosis names the
function, the argument and the line.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, check
from grader.core import Options, grade
from grader.sandbox.runner import SubprocessRunner
from grader.sandbox.job import Job, ProbeCall

EX = "exercise-03"
REFERENCE = (ROOT / "solutions" / "exercise_03_rnn_cell.py").read_text()
STEP = "        ht = self.activate(z)\n"


def _variant(tmp_path: Path, name: str, new: str) -> Path:
    assert REFERENCE.count(STEP) == 1
    path = tmp_path / f"{name}.py"
    path.write_text(REFERENCE.replace(STEP, new))
    return path


@pytest.mark.parametrize("name, body", [
    # writes into the caller's state, then puts the old values back: the comparison afterwards saw nothing
    ("restores", "        saved = ht_1.copy()\n        ht_1 *= 0.0\n        ht_1 += saved\n        ht = self.activate(z)\n"),
    # turns the read-only flag off first
    ("unflags", "        ht_1.setflags(write=True)\n        ht_1[...] = ht_1\n        ht = self.activate(z)\n"),
], ids=["restores", "unflags"])
def test_a_write_into_an_input_fails_even_when_the_values_are_put_back(tmp_path, name, body):
    report = grade(_variant(tmp_path, name, body), EX, Options(timeout_s=5.0))
    no_mutation = check(report, "no_mutation")
    assert not no_mutation.passed and no_mutation.status == "error"
    if name == "restores":
        line = REFERENCE[:REFERENCE.index(STEP)].count("\n") + 2  # the `ht_1 *= 0.0` line
        assert "modified ht_1 in place" in no_mutation.message, no_mutation.message
        assert f"line {line} of your file" in no_mutation.message
        assert any(d.kind == "mutated" and d.field == "ht_1" for d in no_mutation.diagnoses)
    # the other checks keep their points: their inputs are writable copies, as before
    assert check(report, "forward_tanh").passed and check(report, "build").passed


def test_code_that_copies_first_passes_and_a_local_alias_is_named_as_the_argument(tmp_path):
    copies = _variant(tmp_path, "copies", "        h = ht_1.copy()\n        h[...] = self.activate(z)\n        ht = h\n")
    assert grade(copies, EX, Options(timeout_s=5.0)).full_marks
    alias = _variant(tmp_path, "alias", "        state = ht_1\n        np.tanh(z, out=state)\n        ht = state\n")
    message = check(grade(alias, EX, Options(timeout_s=5.0)), "no_mutation").message
    assert "modified ht_1 in place" in message and "output array is read-only" in message, message


def test_the_read_only_inputs_cannot_be_made_writable_through_their_memory(tmp_path):
    module = tmp_path / "student.py"
    module.write_text("import ctypes\nimport numpy as np\n"
                      "def poke(x):\n"
                      "    for how in ('flag', 'base', 'buffer'):\n"
                      "        try:\n"
                      "            if how == 'flag':\n"
                      "                x.setflags(write=True)\n"
                      "            elif how == 'base':\n"
                      "                np.asarray(x.base)[...] = 0\n"
                      "            else:\n"
                      "                np.frombuffer(memoryview(x), dtype=x.dtype)[...] = 0\n"
                      "        except (ValueError, TypeError) as exc:\n"
                      "            print(how, 'refused:', exc)\n"
                      "    return x.copy()\n")
    probe = tmp_path / "probe.py"
    probe.write_text("def look(mod, arrays, params):\n"
                     "    x = arrays['x']\n"
                     "    return {'type': type(x).__name__, 'writeable': x.flags.writeable, 'back': mod.poke(x) if not x.flags.writeable else x}\n")
    calls = tuple(ProbeCall(check=f"c{ro}", probe="look", params={}, arrays={"x": np.arange(4.0)}, read_only=ro)
                  for ro in (True, False))
    result = SubprocessRunner().run(Job(module_path=module, probe_path=probe, calls=calls))
    locked, free = result.outcomes["cTrue"], result.outcomes["cFalse"]
    assert locked.status == "ok" and free.status == "ok", (locked, free)
    assert locked.values["type"].text == "ndarray"  # a plain ndarray, not np.memmap: types stay as usual
    assert locked.values["writeable"].data == 0 and free.values["writeable"].data == 1
    np.testing.assert_array_equal(locked.values["back"].data, np.arange(4.0))
    for how in ("flag", "base", "buffer"):  # only the read-only call pokes
        assert f"{how} refused" in result.stdout_tail, result.stdout_tail


@pytest.mark.parametrize("body, written", [
    ("    params['W'][...] = 0\n", "params['W']"),
    ("    for k in params:\n        params[k] -= 1.0\n", "params['U']"),
    ("    state = h0\n    state += 1.0\n", "h0"),
    ("    np.multiply(h0, 2.0, out=h0)\n", "h0"),
], ids=["entry", "loop", "alias", "out"])
def test_the_child_names_the_argument_a_write_hit(tmp_path, body, written):
    module = tmp_path / "student.py"
    module.write_text("import numpy as np\ndef step(h0, params):\n" + body + "    return h0\n")
    probe = tmp_path / "probe.py"
    probe.write_text("def look(mod, arrays, params):\n"
                     "    return {'h': mod.step(arrays['h0'], {'U': arrays['U'], 'W': arrays['W']})}\n")
    call = ProbeCall(check="c", probe="look", params={}, read_only=True,
                     arrays={"h0": np.zeros(3), "U": np.ones(2), "W": np.ones(2)})
    outcome = SubprocessRunner().run(Job(module_path=module, probe_path=probe, calls=(call,))).outcomes["c"]
    assert outcome.status == "raised" and "read-only" in outcome.error.message, outcome
    assert outcome.error.written == written and outcome.error.line > 2
