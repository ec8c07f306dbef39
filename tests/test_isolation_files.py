"""Safe output writing (grader/report/files.py) and unreadable submissions: planted links, FIFOs and
clashes are refused, nothing is half-written, and a malformed notebook is a one-line usage error."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT
from grader.report.files import SafeFolder, UnsafePath, read_regular_file


def test_a_planted_symlink_is_refused_and_its_target_untouched(tmp_path: Path):
    victim = tmp_path / "stored-values.json"
    victim.write_text("secret")
    out = tmp_path / "out"
    out.mkdir()
    (out / "alice.json").symlink_to(victim)
    with SafeFolder(out) as folder, pytest.raises(UnsafePath, match="symbolic link"):
        folder.write_text("alice.json", "forged")
    assert victim.read_text() == "secret" and (out / "alice.json").is_symlink()
    assert sorted(p.name for p in out.iterdir()) == ["alice.json"]  # no temporary file left behind


def test_a_planted_fifo_or_folder_is_refused_without_blocking(tmp_path: Path):
    os.mkfifo(tmp_path / "grades.csv")
    (tmp_path / "summary.md").mkdir()
    result: list[BaseException] = []

    def write() -> None:
        with SafeFolder(tmp_path) as folder:
            for name in ("grades.csv", "summary.md"):
                try:
                    folder.write_text(name, "x")
                except UnsafePath as exc:
                    result.append(exc)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "writing blocked on the FIFO"
    assert [("not a regular file" in str(e)) for e in result] == [True, True]


def test_regular_files_are_replaced_whole_and_names_written_once(tmp_path: Path):
    (tmp_path / "grades.csv").write_text("old")
    hard = tmp_path / "elsewhere.csv"
    os.link(tmp_path / "grades.csv", hard)  # a hard link: replacing the entry must not write through it
    with SafeFolder(tmp_path) as folder:
        folder.write_text("grades.csv", "new")
        with pytest.raises(UnsafePath, match="twice"):
            folder.write_text("grades.csv", "again")
        for bad in ("../x", "", "..", "a/b"):
            with pytest.raises(UnsafePath, match="not a plain file name"):
                folder.write_text(bad, "x")
    assert (tmp_path / "grades.csv").read_text() == "new" and hard.read_text() == "old"


def test_preflight_refuses_before_anything_is_written(tmp_path: Path):
    (tmp_path / "summary.html").symlink_to(tmp_path / "nowhere")
    with SafeFolder(tmp_path) as folder, pytest.raises(UnsafePath):
        folder.preflight(["alice.html", "summary.html"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.html"]


def test_the_output_folder_itself_may_not_be_a_link(tmp_path: Path):
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "real", target_is_directory=True)
    with pytest.raises(UnsafePath, match="symbolic link"):
        SafeFolder(tmp_path / "out")


def test_submissions_are_read_only_as_small_regular_files(tmp_path: Path):
    (tmp_path / "ok.py").write_text("x = 1\n")
    assert read_regular_file(tmp_path / "ok.py", limit=100) == b"x = 1\n"
    (tmp_path / "link.py").symlink_to(tmp_path / "ok.py")
    os.mkfifo(tmp_path / "fifo.py")
    (tmp_path / "big.py").write_bytes(b"#" * 101)
    for name, words in (("link.py", "symbolic link"), ("fifo.py", "not a regular file"), ("big.py", "more than")):
        with pytest.raises(UnsafePath, match=words):
            read_regular_file(tmp_path / name, limit=100)


@pytest.mark.parametrize("nbgrader_meta", [[], "yes", 3])
def test_grade_on_a_malformed_notebook_is_a_one_line_usage_error(tmp_path: Path, nbgrader_meta: object):
    notebook = tmp_path / "exercise-03.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "x = 1",
                                                "metadata": {"nbgrader": nbgrader_meta}}]}))
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "exercise-03", "--path", str(notebook)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    assert proc.stderr.startswith("grade: error: cannot read notebook") and proc.stderr.count("\n") == 1
    assert "nbgrader metadata" in proc.stderr
