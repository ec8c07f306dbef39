"""The student release: built into a temporary folder, pip-installed into a fresh venv, and graded there.

It must hold no answer (no file of solutions/, none of the references' distinctive expressions outside the
stubs), grade the references full marks and the stubs 0, give every mutant the same per-check points,
statuses and likely causes as the full project (messages may quote numbers of a non-deterministic mutant),
and never import TensorFlow.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import RECORDED, ROOT, graded
from grader.errors import UsageError
from grader.keys.load import exercise_ids
from grader.release import release

# Distinctive expressions of each reference, as they are written there: none may be in any release file but a stub.
DISTINCTIVE = {
    "exercise_01": ("_unit_rows(matrix) @ _unit_rows(target)", "np.clip(_unit_rows(u) @ _unit_rows(v)"),
    "exercise_02": ("maxlen = max(lengths, default=0)", "edges = np.flatnonzero(space[1:] != space[:-1])"),
    "exercise_03": ("o - np.max(o, axis=0, keepdims=True)", "o = self.V @ ht + self.c"),  # the stable-softmax shift
    "exercise_04": ('p["W"].T @ dZ', "dO = (Y_hat * Y.sum(axis=0) - Y) / batch"),  # the BPTT carry
    "exercise_05": ("x * clip / np.maximum(l2norm, clip)", "np.maximum(np.minimum(arr, clip_value_max), clip_value_min)"),
    "exercise_06": ("np.sqrt(np.sum(power * power))", "np.linalg.norm(jac, 2)"),
    "exercise_07": ('carry = params["W"].T @ dz', "scale = clip_norm / max(norm, clip_norm)"),  # the global-norm scale
    "exercise_08": ("embeddings_initializer=keras.initializers.Constant(matrix)",
                    "layers.SimpleRNN(units, dropout=0.5, return_sequences=True)"),
}
TEXT = {".py", ".json", ".md", ".toml", ".j2", ".po", ".pot", ".cfg", ".txt", ".css"}

GRADE_ALL = r"""
import json, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from grader.core import Options, grade
sys.path.insert(0, sys.argv[4])
from replay import Replayer
jobs = json.loads(Path(sys.argv[1]).read_text())
replayer = Replayer.load(Path(sys.argv[3]))

def one(item):
    name, (exercise, path, live) = item
    r = grade(Path(path), exercise, None if live else Options(runner=replayer))
    return name, [[c.name, c.points, c.status, [d.likely_cause for d in c.diagnoses]] for c in r.checks]

with ThreadPoolExecutor(3) as pool:  # each live grade waits on its own child process
    out = dict(pool.map(one, sorted(jobs.items(), key=lambda item: not item[1][2])))
import grader
out["$tensorflow"] = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "sklearn", "nbgrader"))
out["$grader"] = grader.__file__
Path(sys.argv[2]).write_text(json.dumps(out))
"""


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    """(release folder, the venv's python): `grade release`, then `pip install` into a fresh venv, offline."""
    base = tmp_path_factory.mktemp("release")
    out = base / "student"
    release(out)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # numpy, jinja2, pip and setuptools come from this venv's site-packages (no index, no downloads); the
    # project's own editable install is not visible through a plain path entry
    Path(site, "host.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    proc = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps",
                           "--no-build-isolation", "--disable-pip-version-check", str(out)],
                          capture_output=True, text=True, cwd=base, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, python, Path(site)


def _run(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RNN_GRADER")}
    return subprocess.run([str(python.parent / "grade"), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env=env)


def _files(student) -> list[Path]:
    out, _, site = student
    return [p for p in [*out.rglob("*"), *(site / "grader").rglob("*")] if p.is_file() and "__pycache__" not in p.parts]


def test_the_release_holds_no_file_of_solutions_and_no_spec(student):
    out, _, site = student
    solutions = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name for p in (ROOT / "solutions").glob("*.py")}
    files = _files(student)
    assert (site / "grader" / "core.py").is_file() and (site / "grader" / "data" / "keys" / "exercise-03.npz").is_file()
    for path in files:
        assert hashlib.sha256(path.read_bytes()).hexdigest() not in solutions, path
    names = {p.name for p in files}
    assert not names & {p.name for p in (ROOT / "solutions").glob("*.py")} - {p.name for p in (out / "exercises").iterdir()}
    assert not [p for p in files if "solutions" in p.parts or p.match("specs/exercise_*.py") or p.name == "build.py"]
    assert not [p for p in files if "equivalents" in p.parts or "datagen" in p.parts]
    toml = (out / "pyproject.toml").read_text()
    assert "numpy==" in toml and not any(n in toml for n in ("tensorflow", "scikit-learn", "nbgrader"))
    first = (out / "README.md").read_text().splitlines()[:2]
    assert "pip install" in first[0] and "grade exercise-03" in first[1]


def test_no_release_file_but_a_stub_contains_a_reference_expression(student):
    out, _, _ = student
    assert set(DISTINCTIVE) == {p.name[:11] for p in (ROOT / "solutions").glob("exercise_[0-9][0-9]_*.py")}
    for number, expressions in DISTINCTIVE.items():
        reference = next((ROOT / "solutions").glob(f"{number}_*.py")).read_text()
        assert all(e in reference for e in expressions), number  # the list is kept up to date
    hits = []
    for path in _files(student):
        if path.suffix in TEXT and not path.is_relative_to(out / "exercises"):
            text = path.read_text(encoding="utf-8", errors="replace")
            hits += [f"{path}: {e}" for es in DISTINCTIVE.values() for e in es if e in text]
    assert not hits


def test_a_reference_line_in_the_release_is_refused(tmp_path, monkeypatch):
    import grader.release as rel

    original = rel.write_release

    def leaky(target: Path, *, root: Path = ROOT) -> list[Path]:
        written = original(target, root=root)
        (target / "grader" / "helper.py").write_text((ROOT / "solutions" / "exercise_04_bptt.py").read_text())
        return written

    monkeypatch.setattr(rel, "write_release", leaky)
    with pytest.raises(UsageError, match="refusing to release: grader/helper.py contains exercise_0"):
        rel.release(tmp_path / "out")
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []


def test_references_full_marks_stubs_zero_and_every_mutant_as_in_the_full_project(student, mutants, tmp_path):
    """Every reference and the first mutant of each exercise run live in the release (its sandbox, its child).
    Every other mutant's child outcomes are the ones the full project's child gave (``tests/replay.py``): the
    release's grader must send the very same job (submission, probe file, cases) and turn those outcomes into
    the same points, statuses and likely causes; its child harness and probes are the full project's bytes."""
    out, python, site = student
    for name in ("sandbox/child.py", *(f"probes/{p.name}" for p in (ROOT / "grader" / "probes").glob("exercise_*.py"))):
        assert (site / "grader" / name).read_bytes() == (ROOT / "grader" / name).read_bytes(), name
    jobs = {f"{e}/reference": (e, str(next((ROOT / "solutions").glob(f"{e.replace('-', '_')}_*.py"))), True)
            for e in exercise_ids() if (out / "grader" / "data" / "keys" / f"{e}.json").is_file()}
    for e in [e for e, _, _ in jobs.values()]:
        jobs.update({f"{e}/{name}": (e, path, k == 0) for k, (name, path) in enumerate(sorted(mutants(e).items()))})
    here = {}  # the full project's reports (cached if test_every_exercise ran first)
    for name, (exercise, path, _) in jobs.items():
        report = graded(path, exercise)
        here[name] = [[c.name, c.points, c.status, [d.likely_cause for d in c.diagnoses]] for c in report.checks]
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    RECORDED.save(tmp_path / "runs.pickle")
    proc = subprocess.run([str(python), "-c", GRADE_ALL, str(tmp_path / "jobs.json"), str(tmp_path / "out.json"),
                           str(tmp_path / "runs.pickle"), str(ROOT / "tests")], capture_output=True, text=True,
                          cwd=tmp_path, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    there = json.loads((tmp_path / "out.json").read_text())
    assert there.pop("$tensorflow") == [] and not there.pop("$grader").startswith(str(ROOT))
    for name, expected in here.items():
        assert there[name] == expected, name
        if name.endswith("/reference"):
            assert all(c[2] == "passed" for c in there[name]), name


def test_the_student_cli_works_in_the_release(student, tmp_path):
    out, python, site = student
    listed = _run(python, "list", cwd=out)
    assert listed.returncode == 0 and "exercise-03" in listed.stdout
    stub = _run(python, "exercise-03", "--json", str(tmp_path / "r.json"), cwd=out)
    assert stub.returncode == 1 and "Nothing is implemented yet" in stub.stdout
    assert json.loads((tmp_path / "r.json").read_text())["score"] == 0
    copied = tmp_path / "mine.py"
    copied.write_text((ROOT / "solutions" / "exercise_03_rnn_cell.py").read_text())
    full = _run(python, "exercise-03", "--path", str(copied), "--html", str(tmp_path / "r.html"), cwd=out)
    assert full.returncode == 0 and "Full marks" in full.stdout and "<html" in (tmp_path / "r.html").read_text()
    for args in (["selfcheck"], ["key", "build"], ["exercise-03", "--keras", "live"], ["exercise-99"]):
        proc = _run(python, *args, cwd=out)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1, args


@pytest.mark.parametrize("damage", ["missing", "corrupt", "version"])
def test_a_bad_key_in_the_release_is_exit_2_in_one_line(student, damage):
    out, python, site = student
    key = site / "grader" / "data" / "keys" / "exercise-05.json"
    saved = key.read_bytes()
    try:
        if damage == "missing":
            key.unlink()
        elif damage == "corrupt":
            key.write_text("{]")
        else:
            key.write_text(json.dumps({**json.loads(saved), "version": 99}))
        proc = _run(python, "exercise-05", cwd=out)
        assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr
        assert "answer key exercise-05.json" in proc.stderr
    finally:
        key.write_bytes(saved)


def test_release_into_a_non_empty_folder_needs_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    proc = subprocess.run([sys.executable, "-m", "grader.cli", "release", str(out)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "--force" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert [p.name for p in out.iterdir()] == ["mine.txt"] and sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    release(out, force=True)
    assert not (out / "mine.txt").exists() and (out / "README.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("which", ["solved", "released"])
def test_nbgrader_test_cells_grade_on_the_student_side_as_in_the_full_project(student, tmp_path, which):
    """A course notebook's locked test cells, run with only the student package: public cases, same diagnoses."""
    import nbformat
    from nbgrader.preprocessors import ClearSolutions

    from grader.integrations.nbgrader.course import build_notebook
    from grader.keys.load import load_key
    from grader.specs import get_exercise

    _, python, _ = student
    notebook = build_notebook(get_exercise("exercise-03"))
    if which == "released":  # as `nbgrader generate_assignment` hands it out: the stubs
        notebook = ClearSolutions().preprocess(notebook, {})[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RNN_GRADER", "NBGRADER"))}
    lines = {}
    for side, interpreter in (("release", python), ("full", Path(sys.executable))):
        folder = tmp_path / side
        folder.mkdir()
        nbformat.write(notebook, folder / "exercise-03.ipynb")
        out = []
        for k, key in enumerate(load_key("exercise-03").checks):
            cell = subprocess.run([str(interpreter), "-I", "-m", "grader.integrations.nbgrader.cell", "exercise-03",
                                   key.check.name, f"{key.check.points:g}", *(["--fresh"] if k == 0 else [])],
                                  capture_output=True, text=True, cwd=folder, env=env, timeout=300)
            assert cell.returncode == 0 and cell.stderr == "", cell.stderr
            out.append(cell.stdout)
        lines[side] = out
        scores = [float(text.splitlines()[-1]) for text in out]
        points = [k.check.points for k in load_key("exercise-03").checks]
        assert scores == (points if which == "solved" else [0.0] * len(points)), side
    assert lines["release"] == lines["full"]


def test_a_hidden_key_never_reaches_a_release(tmp_path, monkeypatch):
    from grader.keys.hidden import cache_dir, hidden_key

    monkeypatch.setenv("RNN_GRADER_KEY_CACHE", str(tmp_path / "cache"))
    hidden_key("exercise-03", 31337)
    cached = {hashlib.sha256(p.read_bytes()).hexdigest() for p in cache_dir().iterdir()}
    assert len(cached) == 2 and not cache_dir().resolve().is_relative_to(ROOT)
    out = tmp_path / "student"
    release(out)
    for path in out.rglob("*"):
        assert not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() not in cached, path
        assert "hidden" not in path.name or path.name == "hidden.py", path
