"""`grade batch`: a whole class graded directly, with per-student reports and class statistics."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, mutants) -> tuple[subprocess.CompletedProcess[str], Path]:
    klass = tmp_path_factory.mktemp("class")
    shutil.copy(ROOT / "solutions/exercise_03_rnn_cell.py", klass / "alice.py")
    shutil.copy(ROOT / "exercises/exercise_03_rnn_cell.py", klass / "bob.py")
    (klass / "carol").mkdir()
    shutil.copy(mutants("exercise-03")["missing_c"], klass / "carol/exercise_03_rnn_cell.py")
    shutil.copy(mutants("exercise-03")["softmax_wrong_axis"], klass / "dave.py")
    (klass / "eve.py").write_text("def broken(:\n")
    (klass / "notes.txt").write_text("not a submission")
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", "exercise-03", str(klass), "--out", str(out),
                           "--jobs", "2"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    return proc, out


def test_every_student_is_graded_with_progress(graded_class):
    proc, out = graded_class
    assert proc.returncode == 0, proc.stderr
    assert "[5/5]" in proc.stderr and "notes" not in proc.stderr
    for student in ("alice", "bob", "carol", "dave", "eve"):
        assert (out / f"{student}.html").exists() and (out / f"{student}.json").exists()


def test_grades_csv_matches_single_grading(graded_class):
    _, out = graded_class
    rows = {r["student"]: r for r in csv.DictReader((out / "grades.csv").open())}
    assert float(rows["alice"]["score"]) == 18 and float(rows["bob"]["score"]) == 0
    assert float(rows["carol"]["score"]) == 9 and float(rows["carol"]["isolate_c"]) == 0
    assert float(rows["carol"]["loss"]) == 1


def test_class_statistics_and_common_causes(graded_class):
    proc, out = graded_class
    summary = (out / "summary.md").read_text()
    assert "5 submissions" in summary and "Full marks: 1" in summary
    assert "the output bias c is not added" in summary
    assert "softmax is taken over the batch axis" in summary
    assert "Could not be imported (syntax error or crash at import): eve" in proc.stdout
    assert '<a href="alice.html">' in (out / "summary.html").read_text()


def test_batch_usage_errors(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", "exercise-03", str(tmp_path), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "no .py or .ipynb submissions" in proc.stderr
