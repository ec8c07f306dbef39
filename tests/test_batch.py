"""`grade batch`: a whole class graded directly, with per-student reports and class statistics."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

# Runs a classmate's file from next to itself: full marks, if the class folder were visible to it.
COPYCAT = """import os as _o
exec(open(_o.path.join(_o.path.dirname(_o.path.abspath(__file__)), "alice.py")).read())
"""
STUDENTS = ("alice", "bob", "carol", "copycat", "dave", "eve", "mallory", "oscar", "peggy", "summary")


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
    (klass / "mallory.py").symlink_to(ROOT / "solutions/exercise_03_rnn_cell.py")  # the reference, by link
    (klass / "peggy").symlink_to(klass / "carol", target_is_directory=True)  # a classmate's folder, by link
    (klass / "oscar.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "source": "x = 1",
                                                              "metadata": {"nbgrader": []}}]}))
    (klass / "copycat.py").write_text(COPYCAT)
    shutil.copy(ROOT / "exercises/exercise_03_rnn_cell.py", klass / "summary.py")  # named like a class file
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", "exercise-03", str(klass), "--out", str(out),
                           "--jobs", "2"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    return proc, out


def test_every_student_is_graded_with_progress(graded_class):
    proc, out = graded_class
    assert proc.returncode == 0, proc.stderr
    assert f"[{len(STUDENTS)}/{len(STUDENTS)}]" in proc.stderr and "notes" not in proc.stderr
    for student in ("alice", "bob", "carol", "copycat", "dave", "eve"):
        assert (out / f"{student}.html").exists() and (out / f"{student}.json").exists()


def test_links_and_malformed_notebooks_become_rows_and_the_batch_goes_on(graded_class):
    proc, out = graded_class
    rows = {r["student"]: r for r in csv.DictReader((out / "grades.csv").open())}
    assert sorted(rows) == sorted(STUDENTS)
    assert float(rows["mallory"]["score"]) == 0 and "symbolic link" in rows["mallory"]["error"]
    assert float(rows["peggy"]["score"]) == 0 and "symbolic link" in rows["peggy"]["error"]
    assert float(rows["oscar"]["score"]) == 0 and "nbgrader metadata" in rows["oscar"]["error"]
    assert "Traceback" not in proc.stderr and not (out / "mallory.json").exists()
    assert "oscar: not graded" in proc.stderr
    assert "summary: no report files written (summary.html is taken" in proc.stderr
    assert float(rows["summary"]["score"]) == 0 and '<a href="alice.html">' in (out / "summary.html").read_text()


def test_each_submission_is_graded_alone_without_its_classmates(graded_class):
    _, out = graded_class
    report = json.loads((out / "copycat.json").read_text())
    assert report["score"] == 0  # the classmates' files next to it were not there to run
    assert report["extra_data"]["submission"].endswith("copycat.py")  # the report names the original file


def test_grades_csv_matches_single_grading(graded_class):
    _, out = graded_class
    rows = {r["student"]: r for r in csv.DictReader((out / "grades.csv").open())}
    assert float(rows["alice"]["score"]) == 18 and float(rows["bob"]["score"]) == 0
    assert float(rows["carol"]["score"]) == 9 and float(rows["carol"]["isolate_c"]) == 0
    assert float(rows["carol"]["loss"]) == 1


def test_class_statistics_and_common_causes(graded_class):
    proc, out = graded_class
    summary = (out / "summary.md").read_text()
    assert f"{len(STUDENTS)} submissions" in summary and "Full marks: 1" in summary
    assert "the output bias c is not added" in summary
    assert "softmax is taken over the batch axis" in summary
    assert "Could not be imported (syntax error or crash at import): copycat, eve" in proc.stdout
    assert '<a href="alice.html">' in (out / "summary.html").read_text()


def test_batch_usage_errors(tmp_path):
    (tmp_path / "class").mkdir()
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", "exercise-03", str(tmp_path / "class"),
                           "--out", str(tmp_path / "o")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "no .py or .ipynb submissions" in proc.stderr


def test_batch_refuses_an_output_folder_inside_the_class_or_with_planted_links(graded_class, tmp_path):
    klass = tmp_path / "class"
    klass.mkdir()
    shutil.copy(ROOT / "exercises/exercise_03_rnn_cell.py", klass / "bob.py")
    batch = [sys.executable, "-m", "grader.cli", "batch", "exercise-03", str(klass), "--out"]
    proc = subprocess.run([*batch, str(klass / "out")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "inside the submissions folder" in proc.stderr and not (klass / "out").exists()
    victim = tmp_path / "victim.csv"
    victim.write_text("untouched")
    (out := tmp_path / "out").mkdir()
    (out / "grades.csv").symlink_to(victim)
    proc = subprocess.run([*batch, str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "symbolic link" in proc.stderr and "Traceback" not in proc.stderr
    assert victim.read_text() == "untouched" and sorted(p.name for p in out.iterdir()) == ["grades.csv"]


def test_each_report_is_written_as_its_grading_ends_and_only_slim_rows_stay(tmp_path, monkeypatch, mutants):
    """grade batch keeps of each report only what grades.csv and the summaries need (memory stays flat as the
    class grows); the student's own files, written before the class files, have the whole report."""
    import grader.integrations.batch as batch
    from grader.specs import get_exercise

    klass, out = tmp_path / "class", tmp_path / "out"
    klass.mkdir()
    shutil.copy(ROOT / "solutions/exercise_03_rnn_cell.py", klass / "alice.py")
    shutil.copy(mutants("exercise-03")["missing_c"], klass / "carol.py")
    shutil.copy(ROOT / "exercises/exercise_03_rnn_cell.py", klass / "bob.py")
    written, kept = [], {}
    write, summarise = batch.ReportWriter.write, batch.summarise

    def spy_write(self, result):
        write(self, result)
        written.append((result.student, (out / f"{result.student}.json").is_file(), (out / "grades.csv").exists()))

    def spy_summarise(exercise, results, **kwargs):
        kept.update({r.student: r.report for r in results})
        return summarise(exercise, results, **kwargs)

    monkeypatch.setattr(batch.ReportWriter, "write", spy_write)
    monkeypatch.setattr(batch, "summarise", spy_summarise)
    assert batch.run_batch(["exercise-03", str(klass), "--out", str(out), "--sandbox", "auto"], get_exercise) == 0
    assert written == [("alice", True, False), ("bob", True, False), ("carol", True, False)]
    carol = {t["check"]: t for t in json.loads((out / "carol.json").read_text())["tests"]}
    failed = [c for c in kept["carol"].checks if not c.passed]
    assert failed and all(c.points == 0 for c in failed)
    for c in failed:
        assert all(d.message == "" for d in c.diagnoses) and len(c.diagnoses) <= 2
        assert carol[c.name]["output"].strip() and carol[c.name]["status"] == "failed"
    rows = {r[0]: r for r in csv.reader((out / "grades.csv").open(encoding="utf-8"))}
    assert rows["carol"][1] == f"{kept['carol'].score:.2f}" and rows["alice"][1] == rows["alice"][2]
