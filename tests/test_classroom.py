"""`grade classroom`: the template repository of a GitHub Classroom assignment. Its workflow is valid YAML
with every action pinned to a commit, holds no hidden case, and its run steps, executed here in a fresh
venv, give the reporter the points that `grade` gives."""
from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from mutation import get_mutant

REFERENCE = ROOT / "solutions/exercise_03_rnn_cell.py"
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "RNN_GRADER", "GITHUB"))}
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("classroom") / "template"
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "classroom", "exercise-03", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv standing in for actions/setup-python: this machine's packages through a .pth, no pip
    downloads (the install step runs with --no-index and finds every pin satisfied)."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run(["/usr/bin/env", "python3", "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120, env=ENV)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "_host_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin"


def workflow(repo: Path) -> dict:
    return yaml.safe_load((repo / ".github/workflows/classroom.yml").read_text(encoding="utf-8"))


def test_the_workflow_is_valid_yaml_with_every_action_pinned_to_a_commit(repo):
    doc = workflow(repo)
    assert doc["name"] == "Autograding Tests" and "push" in doc["on"]
    assert doc["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    steps = doc["jobs"]["run-autograding-tests"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert len(uses) == 3 and all(PINNED.match(u) for u in uses), uses
    assert any(u.startswith("classroom-resources/autograding-grading-reporter@") for u in uses)
    reporter = next(s for s in steps if "autograding-grading-reporter" in s.get("uses", ""))
    runner = reporter["with"]["runners"]
    assert reporter["env"][f"{runner.upper()}_RESULTS"] == "${{ steps.%s.outputs.result }}" % runner
    assert any(s.get("id") == runner for s in steps)


def test_the_repository_holds_the_stub_and_the_public_key_but_no_hidden_case_or_solution(repo):
    files = [p for p in repo.rglob("*") if p.is_file()]
    names = {p.relative_to(repo).as_posix() for p in files}
    assert "exercises/exercise_03_rnn_cell.py" in names
    assert (repo / "exercises/exercise_03_rnn_cell.py").read_bytes() == (ROOT / "exercises/exercise_03_rnn_cell.py").read_bytes()
    keys = sorted(n for n in names if "/data/keys/" in n)
    assert keys == [".github/rnn-grader/lib/grader/data/keys/exercise-03.json",
                    ".github/rnn-grader/lib/grader/data/keys/exercise-03.npz"]
    key = json.loads((repo / keys[0]).read_text())
    assert key["hidden"] is False and key["checks"]
    assert not [c["name"] for c in key["checks"] if c["hidden"] or c["name"].endswith("-hidden")]
    assert not [n for n in names if "/specs/" in n or n.startswith("solutions/")]
    reference_lines = ["self.U @ xt.T + self.W @ ht_1 + self.b", "o - np.max(o, axis=0, keepdims=True)"]
    for path in files:
        if path.suffix in (".py", ".json", ".md", ".yml", ".txt", ".j2"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [line for line in reference_lines if line in text], path
    assert all("==" in line for line in (repo / ".github/rnn-grader/requirements.txt").read_text().splitlines())


def run_steps(repo: Path, python: Path, tmp_path: Path) -> dict:
    """Run the workflow's `run:` steps as Actions would (bash, in the checkout, the step's env, $GITHUB_OUTPUT),
    then decode what the reporter would read."""
    output = tmp_path / "github_output"
    output.write_text("")
    steps = workflow(repo)["jobs"]["run-autograding-tests"]["steps"]
    base = {**ENV, "PATH": f"{python}:{ENV['PATH']}", "GITHUB_OUTPUT": str(output), "PIP_NO_INDEX": "1"}
    for step in steps:
        if "run" in step:
            proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, capture_output=True, text=True,
                                  timeout=240, env={**base, **step.get("env", {})})
            assert proc.returncode == 0, (step["name"], proc.stdout, proc.stderr)
    reporter = next(s for s in steps if "autograding-grading-reporter" in s.get("uses", ""))
    runner = reporter["with"]["runners"]
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return json.loads(base64.b64decode(outputs["result"]))


def _points(result: dict) -> float:
    return sum(t["score"] for t in result["tests"])  # how the reporter adds them up


def test_running_the_steps_on_the_reference_gives_full_points(repo, python, tmp_path):
    shutil.copy(REFERENCE, repo / "exercises/exercise_03_rnn_cell.py")
    result = run_steps(repo, python, tmp_path)
    assert result["version"] == 1 and result["status"] == "pass"
    assert _points(result) == result["max_score"] == 18


def test_running_the_steps_on_a_mutant_gives_its_partial_points_and_diagnosis(repo, python, tmp_path):
    source = get_mutant("exercise-03", "missing_c").source(REFERENCE.read_text())
    (repo / "exercises/exercise_03_rnn_cell.py").write_text(source)
    result = run_steps(repo, python, tmp_path)
    assert result["status"] == "fail" and 0 < _points(result) < 18
    failed = {t["test_code"]: t for t in result["tests"] if t["status"] == "fail"}
    assert "the output bias c is not added" in failed["isolate_c"]["message"] and failed["isolate_c"]["score"] == 0


def test_a_missing_file_is_reported_as_an_error_with_zero_points(repo, python, tmp_path):
    (repo / "exercises/exercise_03_rnn_cell.py").unlink()
    result = run_steps(repo, python, tmp_path)
    assert result["status"] == "error" and _points(result) == 0 and result["max_score"] == 18
    shutil.copy(ROOT / "exercises/exercise_03_rnn_cell.py", repo / "exercises/exercise_03_rnn_cell.py")


def test_classroom_refuses_a_non_empty_folder_without_force(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "classroom", "exercise-03", "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "not empty" in proc.stderr and (tmp_path / "keep.txt").exists()


def test_the_instructor_grades_hidden_cases_from_the_students_repositories(tmp_path):
    """The documented flow: clone the students' repositories, then `grade batch --hidden-seed`."""
    for student, source in (("alice", REFERENCE.read_text()),
                            ("bob", get_mutant("exercise-03", "missing_c").source(REFERENCE.read_text()))):
        (tmp_path / "repos" / student / "exercises").mkdir(parents=True)
        (tmp_path / "repos" / student / "exercises/exercise_03_rnn_cell.py").write_text(source)
        (tmp_path / "repos" / student / "README.md").write_text("student repo")
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "batch", "exercise-03", str(tmp_path / "repos"),
                           "--out", str(tmp_path / "grades"), "--hidden-seed", "7"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = {r.split(",")[0]: r.split(",") for r in (tmp_path / "grades/grades.csv").read_text().splitlines()[1:]}
    assert float(rows["alice"][1]) == 18 and 0 < float(rows["bob"][1]) < 18
