"""The `grade` command line: paths, notebooks, reports and exit codes of the contract."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT

GRADE = [sys.executable, "-m", "grader.cli"]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GRADE, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_list_names_every_exercise():
    proc = run("list")
    assert proc.returncode == 0 and "exercise-03" in proc.stdout


def test_untouched_stub_by_default_is_friendly_and_exits_1():
    proc = run("exercise-03")
    assert proc.returncode == 1
    assert "Nothing is implemented yet" in proc.stdout and "Score: 0/" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_reference_exits_0_and_writes_json_and_html(tmp_path):
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    proc = run("exercise-03", "--path", "solutions/exercise_03_rnn_cell.py", "--json", str(out_json),
               "--html", str(out_html))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(out_json.read_text())
    assert {"score", "max_score", "tests"} <= set(doc) and doc["score"] == doc["max_score"]
    assert all({"name", "score", "max_score", "output"} <= set(t) for t in doc["tests"])
    assert "<html" in out_html.read_text() and "Full marks" in proc.stdout


def test_wrong_submission_json_and_html_carry_the_diagnosis(tmp_path, mutants):
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"
    proc = run("exercise-03", "--path", mutants("exercise-03")["missing_c"], "--json", str(out_json),
               "--html", str(out_html))
    assert proc.returncode == 1
    doc = json.loads(out_json.read_text())
    assert 0 < doc["score"] < doc["max_score"]
    outputs = " ".join(t["output"] for t in doc["tests"])
    assert "the output bias c is not added" in outputs
    html = out_html.read_text()
    assert "expected" in html and "yours" in html and 'class="worst"' in html  # expected-vs-got excerpt


def test_report_does_not_reveal_reference_source(tmp_path, mutants):
    out_html = tmp_path / "r.html"
    run("exercise-03", "--path", mutants("exercise-03")["missing_b"], "--html", str(out_html))
    reference = (ROOT / "solutions/exercise_03_rnn_cell.py").read_text()
    html = out_html.read_text()
    for line in reference.splitlines():
        if len(line.strip()) > 30:
            assert line.strip() not in html


def notebook_from(source: str, path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# My RNN cell"), nbformat.v4.new_code_cell("%matplotlib inline"),
                nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, str(path))
    return path


def test_notebook_is_graded_from_its_code_cells(tmp_path):
    nb = notebook_from((ROOT / "solutions/exercise_03_rnn_cell.py").read_text(), tmp_path / "work.ipynb")
    proc = run("exercise-03", "--path", str(nb))
    assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("args,words", [
    (("exercise-99",), "unknown exercise"),
    (("exercise-03", "--path", "does/not/exist.py"), "no such file"),
    (("exercise-03", "--bogus"), "unrecognized arguments"),
])
def test_usage_errors_exit_2_with_one_line(args, words):
    proc = run(*args)
    assert proc.returncode == 2
    assert words in proc.stderr and "Traceback" not in proc.stderr


def test_unreadable_notebook_is_a_usage_error(tmp_path):
    bad = tmp_path / "broken.ipynb"
    bad.write_text("{not json")
    proc = run("exercise-03", "--path", str(bad))
    assert proc.returncode == 2 and "cannot read notebook" in proc.stderr


def test_missing_default_file_is_a_usage_error(tmp_path):
    proc = run("exercise-03", cwd=tmp_path)
    assert proc.returncode == 2 and "exercises/exercise_03_*.py" in proc.stderr


def test_student_copies_nothing_default_path_in_a_fresh_checkout(tmp_path):
    (tmp_path / "exercises").mkdir()
    shutil.copy(ROOT / "solutions/exercise_03_rnn_cell.py", tmp_path / "exercises/exercise_03_rnn_cell.py")
    assert run("exercise-03", cwd=tmp_path).returncode == 0


def test_selfcheck_table(tmp_path):
    proc = subprocess.run([*GRADE, "selfcheck", "--keras", "stored", "--reports", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "exercise-03" in proc.stdout and "ok" in proc.stdout
    assert (tmp_path / "exercise-03.html").exists() and (tmp_path / "exercise-03.md").exists()
