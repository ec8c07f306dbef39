"""``%grade`` in real notebooks, executed by nbclient with a real IPython kernel (one kernel per notebook).

Four notebooks: the reference, a mutant, the untouched stub (with attack cells that hang or call
``os._exit`` in the graded code), and one whose kernel monkeypatches NumPy's comparisons before grading.
Every assertion reads what the notebook displayed (HTML and plain text), as a student would see it.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, TESTS
from grader.core import Options, grade
from grader.specs import get_exercise
from mutation import get_mutant

EX = "exercise-03"
REFERENCE = (ROOT / "solutions/exercise_03_rnn_cell.py").read_text(encoding="utf-8")
STUB = (ROOT / "exercises/exercise_03_rnn_cell.py").read_text(encoding="utf-8")
MISSING_C = get_mutant(EX, "missing_c")  # tests/mutants/exercise_03.toml: o = V @ ht, the bias c left out
CLASS = REFERENCE.split("\nclass MyRNNCell", 1)[1]
PATCH = """import math, numpy as np, numpy.testing
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=bool)
np.array_equal = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
math.isclose = lambda *a, **k: True"""


def _env(tmp: Path, notebook: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "JUPYTER_", "IPYTHON"))}
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(tmp / name.lower())
    env["JPY_SESSION_NAME"] = str(notebook)  # what the Jupyter server sets for the kernel of a notebook
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    return env


def run_notebook(folder: Path, name: str, *, saved: list[str], executed: list[str]) -> list[dict]:
    """Write ``saved`` as the notebook file, then execute ``executed`` in a kernel whose session is that file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in saved]
    nbformat.write(nb, path)
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime - 5))  # saved before the kernel ran anything
    nb.cells = [nbformat.v4.new_code_cell(source) for source in executed]
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(folder)}})
    client.execute(env=_env(folder, path))
    return nb.cells


def html(cell: dict) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in cell.get("outputs", []))


def plain(cell: dict) -> str:
    parts = [o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", [])]
    parts += [o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream"]
    parts += [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return "".join(parts)


def score(text: str) -> tuple[float, float]:
    found = re.search(r"Score: ([0-9.]+)/([0-9.]+)", text)
    assert found, text[:500]
    return float(found.group(1)), float(found.group(2))


REFERENCE_CELLS = ["%load_ext grader", REFERENCE, "%grade exercise-03",
                   "import grader\nreport = grader.check('exercise-03')\nprint(type(report).__name__, report.score)\nreport",
                   "%%grade exercise-03\nclass MyRNNCell" + CLASS,
                   "%grade exercise-03 --hint isolate_c", "%grade exercise-03 --hint isolate_c",
                   "%grade exercise-03 --hint no_such_check", "%grade exercise-99", "%grade"]


@pytest.fixture(scope="module")
def reference_nb(tmp_path_factory):
    return run_notebook(tmp_path_factory.mktemp("ref"), "exercise-03", saved=REFERENCE_CELLS, executed=REFERENCE_CELLS)


def test_reference_notebook_gets_full_marks_inline(reference_nb):
    page = html(reference_nb[2])
    assert score(page) == (18, 18) and "full marks" in page
    assert "<html" not in page and 'class="rg-report"' in page  # a fragment, not a page
    assert "<details open" not in page and '<details class="rg-passed">' in page  # nothing failed: all folded
    assert "it holds every cell you ran since" in page  # the file is older than the kernel's runs


def test_check_returns_a_grade_report_that_renders_itself(reference_nb):
    assert score(html(reference_nb[3])) == (18, 18)
    text = plain(reference_nb[3])
    assert "GradeReport 18.0" in text and "Score: 18/18" in text  # the plain-text fallback for consoles


def test_cell_magic_grades_the_cell_with_the_cells_it_depends_on(reference_nb):
    page = html(reference_nb[4])
    assert score(page) == (18, 18)
    assert "together with the earlier cells it depends on: In [2] (np)" in page


def test_hints_come_one_at_a_time(reference_nb):
    first, second = plain(reference_nb[5]), plain(reference_nb[6])
    assert "hint 1 of 3" in first and "  2. " not in first
    assert "hint 2 of 3" in second and "  2. " in second
    assert "This check passed the last time you graded" in second


def test_usage_errors_are_one_line_without_a_traceback(reference_nb):
    for index, words in ((7, "has no check 'no_such_check'; its checks are: build"),
                         (8, "unknown exercise 'exercise-99'"), (9, "usage: %grade EXERCISE")):
        text = plain(reference_nb[index])
        assert words in text and "Traceback" not in text and len(text.strip().splitlines()) == 1, text


@pytest.fixture(scope="module")
def mutant_nb(tmp_path_factory):
    cells = ["%load_ext grader", MISSING_C.source(REFERENCE), "%grade exercise-03",
             "%grade exercise-03 --hint isolate_c 3"]
    return run_notebook(tmp_path_factory.mktemp("mutant"), "exercise-03", saved=cells, executed=cells)


def test_mutant_notebook_names_the_cause_and_folds_the_passing_checks(mutant_nb):
    page = html(mutant_nb[2])
    got, total = score(page)
    assert 0 < got < total
    assert 'id="check-isolate_c"' in page and "the output bias c is not added" in page
    failing, folded = page.split('<details class="rg-passed"')
    assert failing.count("<details open") >= 1 and 'id="check-isolate_c"' in failing  # failing checks open
    assert 'id="check-softmax_columns"' in folded  # passing ones folded
    assert "%grade exercise-03 --hint isolate_c" in failing


def test_hint_number_shows_the_series_up_to_it(mutant_nb):
    text = plain(mutant_nb[3])
    assert "hint 3 of 3" in text and "  1. " in text and "  3. " in text
    assert "Last time you graded, this check got 0/1." in text


@pytest.fixture(scope="module")
def stub_nb(tmp_path_factory):
    hang = "%%grade exercise-03 --timeout 1\nwhile True:\n    pass\n"
    exit_call = (TESTS / "attacks/exercise_03/os_exit_call.py").read_text(encoding="utf-8")
    cells = ["%load_ext grader", STUB, "%grade exercise-03", hang,
             "%%grade exercise-03 --timeout 2 --alone\n" + exit_call, "print('the kernel is alive')"]
    # the attack cells are not saved: %grade of the file would grade them too (a %%grade cell is student code)
    return run_notebook(tmp_path_factory.mktemp("stub"), "exercise-03", saved=cells[:3], executed=cells)


def test_stub_notebook_gets_zero_and_says_nothing_is_implemented(stub_nb):
    page = html(stub_nb[2])
    assert score(page) == (0, 18) and "Nothing is implemented yet" in page
    assert "<details open" not in page and "16 checks to do" in page  # one folded list, not 16 open boxes


def test_kernel_survives_graded_code_that_hangs_or_exits(stub_nb):
    hang = html(stub_nb[3])
    assert score(hang) == (0, 18) and "took more than 1 s" in hang
    exits = html(stub_nb[4])
    got, _ = score(exits)
    assert 0 < got and "ended the process" in exits + plain(stub_nb[4])
    assert "alone" in exits
    assert plain(stub_nb[5]).strip() == "the kernel is alive"


@pytest.fixture(scope="module")
def patched_nb(tmp_path_factory):
    """On disk: the mutant. In the kernel: NumPy's comparisons patched to always pass, then %grade."""
    saved = ["%load_ext grader", MISSING_C.source(REFERENCE), "%grade exercise-03"]
    executed = ["%load_ext grader", MISSING_C.source(REFERENCE), PATCH, "%grade exercise-03"]
    folder = tmp_path_factory.mktemp("patched")
    return folder, run_notebook(folder, "exercise-03", saved=saved, executed=executed)


def test_monkeypatching_numpy_in_the_kernel_changes_nothing(patched_nb):
    folder, cells = patched_nb
    page = html(cells[3])
    direct = grade(folder / "exercise-03.ipynb", get_exercise(EX), Options())
    assert score(page) == (direct.score, direct.max_score) and direct.score < direct.max_score
    assert "the output bias c is not added" in page
    assert "1 of the cells you ran since (In [3]) are not in it" in page  # the patch cell
