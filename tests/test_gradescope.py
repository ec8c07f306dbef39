"""The Gradescope bundle: built, unpacked into a temporary root laid out like /autograder, set up into a
fresh venv (reusing this machine's packages through a .pth, no downloads), and run on the reference, a
mutant, an empty and a wrong submission, a notebook, an attack and a hang; every results.json is checked
against Gradescope's specification."""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Iterator

import pytest

from conftest import ROOT
from grader.integrations.gradescope.autograder import find_submission
from grader.integrations.gradescope.results import result_tests
from grader.model import CheckResult, EquivalentInfo, GradeReport
from mutation import get_mutant
from synthetic_class import as_notebook

REFERENCE = ROOT / "solutions/exercise_03_rnn_cell.py"
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "RNN_GRADER"))}


def check_schema(doc: dict) -> None:
    """Gradescope's results.json: the fields, their types and their allowed values."""
    assert isinstance(doc["score"], (int, float)) and isinstance(doc["execution_time"], (int, float))
    assert isinstance(doc["output"], str) and doc["output_format"] in FORMATS
    assert doc["test_output_format"] in FORMATS and doc["test_name_format"] in FORMATS
    assert doc["visibility"] in VISIBILITY and doc["stdout_visibility"] == "hidden"
    assert isinstance(doc["extra_data"], dict) and isinstance(doc["tests"], list) and doc["tests"]
    for test in doc["tests"]:
        assert set(test) >= {"name", "number", "score", "max_score", "status", "output", "output_format", "tags",
                             "visibility"}, test
        assert isinstance(test["name"], str) and isinstance(test["number"], str)
        assert isinstance(test["score"], (int, float)) and isinstance(test["max_score"], (int, float))
        assert 0 <= test["score"] <= test["max_score"] or test["max_score"] == 0 == test["score"]
        assert test["status"] in ("passed", "failed") and isinstance(test["output"], str)
        assert test["output_format"] in FORMATS and test["visibility"] in VISIBILITY
        assert isinstance(test["tags"], list) and all(isinstance(t, str) for t in test["tags"])
    assert doc["score"] == pytest.approx(sum(t["score"] for t in doc["tests"]))
    json.dumps(doc, allow_nan=False)


@pytest.fixture(scope="module")
def autograder() -> Iterator[dict]:
    """Build the bundle (hidden cases from a seed, 3 s per check), unpack it and run setup.sh once.

    The root is not under /tmp: the sandbox gives the student's process a private /tmp, which would hide
    a venv kept there (on Gradescope it is /autograder/venv)."""
    work = Path(tempfile.mkdtemp(prefix="rnn-grader-gradescope-", dir="/var/tmp"))
    try:
        yield _set_up(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _set_up(work: Path) -> dict:
    bundle = work / "autograder.zip"
    built = subprocess.run([sys.executable, "-m", "grader.cli", "gradescope", "exercise-03", "--out", str(bundle),
                            "--hidden-seed", "20240611", "--timeout", "3"],
                           capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert built.returncode == 0, built.stderr
    root = work / "root"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(root / "source")
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
    for name in ("setup.sh", "run_autograder"):  # zipfile.extractall drops the modes; Gradescope keeps them
        os.chmod(root / "source" / name, modes[name] & 0o777)
    subprocess.run(["/usr/bin/env", "python3", "-m", "venv", "--without-pip", str(root / "venv")], check=True,
                   timeout=120, env=ENV)
    site = next((root / "venv" / "lib").glob("python3*/site-packages"))
    # Only what requirements.txt names (and pip), linked from this machine's installation: a grader that
    # needed anything else (TensorFlow, matplotlib, nbformat, ...) would fail here as on Gradescope.
    names = [re.split(r"[=;\s]", line)[0] for line in (root / "source/requirements.txt").read_text().splitlines()]
    deps = copied_distributions([*names, "pip"], work / "deps" / "site-packages")  # bound into the sandbox
    (site / "_host_packages.pth").write_text(f"{deps}\n")
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], capture_output=True, text=True, timeout=300,
                           env={**ENV, "AUTOGRADER_ROOT": str(root), "RNN_GRADER_PIP_ARGS": "--no-index"})
    assert setup.returncode == 0, setup.stdout + setup.stderr
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    return {"root": root, "bundle": bundle, "modes": modes, "setup": setup}


def copied_distributions(names: list[str], folder: Path) -> Path:
    """A site-packages folder with a copy of exactly these installed distributions (no downloads)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        dist = metadata.distribution(name)
        for top in {Path(str(f)).parts[0] for f in dist.files or () if not str(f).startswith("..")}:
            source = Path(dist.locate_file(top))
            if source.is_dir() and not (folder / top).exists():
                shutil.copytree(source, folder / top, symlinks=True,
                                ignore=shutil.ignore_patterns("__pycache__", "tests"))
            elif source.is_file() and not (folder / top).exists():
                shutil.copy2(source, folder / top)
    return folder


def run_autograder(autograder: dict, files: dict[str, str | bytes]) -> dict:
    root: Path = autograder["root"]
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    (root / "submission").mkdir()
    for name, content in files.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    proc = subprocess.run([str(root / "run_autograder")], capture_output=True, text=True, timeout=240,
                          env={**ENV, "AUTOGRADER_ROOT": str(root)})
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    check_schema(doc)
    return doc


def test_the_bundle_has_gradescope_layout_pins_and_no_solutions(autograder):
    with zipfile.ZipFile(autograder["bundle"]) as zf:
        names = zf.namelist()
        text = {n: zf.read(n).decode("utf-8", "replace") for n in names if not n.endswith((".npz", ".mo"))}
    assert {"setup.sh", "run_autograder", "requirements.txt", "autograder.json", "README.md"} <= set(names)
    assert autograder["modes"]["run_autograder"] & stat.S_IXUSR and autograder["modes"]["setup.sh"] & stat.S_IXUSR
    assert not [n for n in names if n.startswith(("solutions/", "lib/grader/specs/")) or "/solutions/" in n]
    assert [n for n in names if n.startswith("lib/grader/data/keys/")] == [
        "lib/grader/data/keys/exercise-03.json", "lib/grader/data/keys/exercise-03.npz"]
    reference_lines = ["self.U @ xt.T + self.W @ ht_1 + self.b", "o - np.max(o, axis=0, keepdims=True)"]
    for name, content in text.items():
        for line in reference_lines:
            assert line not in content, (name, line)
    pins = text["requirements.txt"].split()
    assert all("==" in p for p in text["requirements.txt"].splitlines()) and not any("tensorflow" in p for p in pins)
    config = json.loads(text["autograder.json"])
    assert config["sandbox"] == "required" and config["hidden_cases"] and config["memory_mb"] <= 512
    assert "20240611" not in "".join(text.values())  # the secret is not in the bundle
    assert "exercise-08" in text["README.md"] and "768 MB" in text["README.md"]


def test_setup_installs_the_grader_from_the_bundle_and_checks_the_sandbox(autograder):
    assert re.search(r"self-check graded an empty module \(0/\d+\), sandbox: bubblewrap", autograder["setup"].stdout)
    root: Path = autograder["root"]
    where = subprocess.run([str(root / "venv/bin/python"), "-c", "import grader; print(grader.__file__)"],
                           capture_output=True, text=True, timeout=60, env=ENV, cwd=root)
    assert where.stdout.strip().startswith(str(root / "source" / "lib")), where


def test_reference_gets_full_marks_with_hidden_cases_after_publication(autograder):
    doc = run_autograder(autograder, {"exercise_03_rnn_cell.py": REFERENCE.read_text()})
    assert doc["score"] == 18 == doc["extra_data"]["max_score"]
    assert doc["extra_data"]["sandbox"].startswith("bubblewrap") or not shutil.which("bwrap") and \
        "process" in doc["extra_data"]["sandbox"]
    hidden = [t for t in doc["tests"] if "hidden" in t["tags"]]
    assert hidden and all(t["visibility"] == "after_published" and t["status"] == "passed" for t in hidden)
    assert all(t["visibility"] == "visible" for t in doc["tests"] if "hidden" not in t["tags"])


def test_a_mutant_gets_partial_marks_with_its_diagnosis(autograder):
    source = get_mutant("exercise-03", "missing_c").source(REFERENCE.read_text())
    doc = run_autograder(autograder, {"exercise_03_rnn_cell.py": source})
    assert 0 < doc["score"] < 18
    failed = {t["tags"][0]: t for t in doc["tests"] if t["status"] == "failed" and "hidden" not in t["tags"]}
    assert "isolate_c" in failed and "the output bias c is not added" in failed["isolate_c"]["output"]
    assert failed["isolate_c"]["score"] == 0


def test_a_notebook_is_found_and_graded(autograder):
    doc = run_autograder(autograder, {"homework/exercise_03.ipynb": as_notebook(REFERENCE.read_text()),
                                      "notes.txt": "my notes"})
    assert doc["score"] == 18 and "exercise_03.ipynb" in doc["output"]


@pytest.mark.parametrize("files", [{}, {"notes.txt": "I forgot the file"}, {"a.py": "x = 1", "b.py": "y = 2"}])
def test_an_empty_or_wrong_submission_still_gets_a_results_json(autograder, files):
    doc = run_autograder(autograder, files)
    assert doc["score"] == 0 and len(doc["tests"]) == 16
    assert "exercise_03_*.py" in doc["output"] and "found" in doc["output"] or "empty" in doc["output"]


def test_an_attack_that_forges_results_json_and_hangs_gets_no_marks(autograder):
    """At import it writes a full-marks results.json where Gradescope reads it, prints one, then hangs.
    The grader's own document replaces the forgery; the hang costs one import timeout."""
    results = autograder["root"] / "results" / "results.json"
    attack = f'''
import json, os, sys
FAKE = {{"score": 100, "output": "All checks passed", "tests": []}}
for path in ("/autograder/results/results.json", {str(results)!r}):
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            json.dump(FAKE, fh)
    except OSError:
        pass
print(json.dumps(FAKE))
while True:
    pass
'''
    doc = run_autograder(autograder, {"exercise_03_rnn_cell.py": attack})
    assert doc["score"] == 0 and doc["extra_data"]["exercise"] == "exercise-03" and len(doc["tests"]) > 16


def _check(name: str, status: str, *, hidden: bool = False) -> CheckResult:
    return CheckResult(name=name + ("-hidden" if hidden else ""), title=name, points=2.0 if status == "passed" else 0.0,
                       max_points=2.0, status=status, message="wrong values", hidden=hidden)  # type: ignore[arg-type]


def test_a_check_whose_hidden_case_fails_earns_nothing_and_says_so_only_after_publication():
    report = GradeReport(exercise="exercise-03", title="t", submission="s.py", equivalent=EquivalentInfo("none"),
                         checks=(_check("a", "passed"), _check("b", "passed"), _check("a", "failed", hidden=True),
                                 _check("b", "passed", hidden=True)))
    tests = {t["number"]: t for t in result_tests(report)}
    assert (tests["1"]["score"], tests["1"]["status"], tests["2"]["score"]) == (0.0, "failed", 2.0)
    assert "hidden case" in tests["1"]["output"] and "wrong values" not in tests["1"]["output"]
    assert tests["1.h"]["visibility"] == "after_published" and "wrong values" in tests["1.h"]["output"]
    assert tests["1.h"]["max_score"] == 0 and tests["2.h"]["status"] == "passed"


def test_the_file_to_grade_is_the_exercise_file_then_a_notebook_then_a_single_file(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("helper.py", "exercise_03_rnn_cell.py", "exercise_03.ipynb", ".hidden.py"):
        (tmp_path / "sub" / name).write_text("x = 1")
    assert find_submission(tmp_path / "sub", "exercise_03_*.py")[0].name == "exercise_03_rnn_cell.py"
    (tmp_path / "sub" / "exercise_03_rnn_cell.py").unlink()
    assert find_submission(tmp_path / "sub", "exercise_03_*.py")[0].name == "exercise_03.ipynb"
    (tmp_path / "sub" / "exercise_03.ipynb").unlink()
    assert find_submission(tmp_path / "sub", "exercise_03_*.py")[0].name == "helper.py"
    (tmp_path / "sub" / "other.py").write_text("y = 2")
    path, reason = find_submission(tmp_path / "sub", "exercise_03_*.py")
    assert path is None and "helper.py" in reason and "other.py" in reason


def test_results_json_is_written_even_when_the_grader_cannot_start(autograder, tmp_path):
    """run_autograder without a working venv (setup failed, a broken image): its shell fallback still
    writes a valid document with every check at 0 points."""
    root = tmp_path / "broken"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "exercise_03_rnn_cell.py").write_text(REFERENCE.read_text())
    shutil.copy(autograder["root"] / "run_autograder", root / "run_autograder")
    proc = subprocess.run([str(root / "run_autograder")], capture_output=True, text=True, timeout=60,
                          env={**ENV, "AUTOGRADER_ROOT": str(root)})
    assert proc.returncode == 0
    doc = json.loads((root / "results" / "results.json").read_text())
    check_schema(doc)
    assert doc["score"] == 0 and len(doc["tests"]) == 16 and "stopped before" in doc["output"]


def test_a_tensorflow_exercise_pins_tensorflow_keeps_its_memory_and_says_it_needs_a_bigger_container(monkeypatch):
    from dataclasses import replace

    import grader.keys.load as load
    from grader.integrations.gradescope.bundle import bundle_files

    real = load.get_exercise("exercise-03")
    heavy = replace(real, limits=replace(real.limits, tensorflow=True, memory_mb=3072))
    monkeypatch.setattr(load, "get_exercise", lambda exercise_id: heavy)
    files = {name: data for name, data, _ in bundle_files("exercise-03", hidden_seed=None, memory_mb=None,
                                                          sandbox="required")}
    config = json.loads(files["autograder.json"])
    assert config["memory_mb"] == 3072 and config["fits_default_container"] is False
    assert any(line.startswith("tensorflow-cpu==") for line in files["requirements.txt"].decode().splitlines())
    assert b"does not fit the default" in files["README.md"]


@pytest.mark.parametrize(("args", "words"), [(["--out", "bundle.tar"], "must name a .zip"),
                                             (["--out", "/proc/no-such-folder/a.zip"], "cannot write"),
                                             (["--out", "a.zip", "--memory", "lots"], "invalid int value")])
def test_bad_bundle_options_are_one_line_errors(tmp_path, args, words):
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "gradescope", "exercise-03", *args],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          env={**ENV, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr
    assert not list(tmp_path.iterdir())


def test_a_submission_that_kills_the_grading_process_still_gets_a_results_json(autograder):
    """At import it kills its parent: in the sandbox (its own pid namespace) that is not the grading process,
    which writes its own document; without the sandbox, run_autograder's shell fallback writes one."""
    attack = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
    doc = run_autograder(autograder, {"exercise_03_rnn_cell.py": attack})
    assert doc["score"] == 0 and len(doc["tests"]) >= 16


def test_setup_fails_the_image_build_where_the_required_sandbox_cannot_start(autograder, monkeypatch, capsys):
    import grader.core
    from grader.integrations.gradescope.autograder import self_check
    from grader.sandbox.job import SandboxUnavailable

    def no_sandbox(*args, **kwargs):
        raise SandboxUnavailable("--sandbox required: the bubblewrap sandbox cannot start here (no user namespaces)")

    monkeypatch.setattr(grader.core, "grade", no_sandbox)
    assert self_check(autograder["root"]) == 1
    assert "--sandbox auto" in capsys.readouterr().out
