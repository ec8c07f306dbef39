"""The Jupyter integration without a kernel: the report's transport, the %%grade cell selection, finding
the notebook and its freshness, the hints data, the notebook fragment, and what loading costs."""
from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import ROOT, graded
from grader.integrations.jupyter.cells import select_cells
from grader.integrations.jupyter.client import GradingService, WorkerError
from grader.integrations.jupyter.locate import RanCell, find_notebook, freshness_notes
from grader.integrations.jupyter.session import GradeRequest, NotebookSession, NotebookUsageError
from grader.integrations.jupyter.transport import decode_report, encode_report
from grader.notebook import notebook_source
from grader.report.render import render_html, render_html_fragment
from grader.specs import EXERCISE_IDS, get_exercise
from grader.specs.hints_text import hint_table, hints_for
from mutation import get_mutant

EX = "exercise-03"
REFERENCE = ROOT / "solutions/exercise_03_rnn_cell.py"
MISSING_B = get_mutant(EX, "missing_b")  # tests/mutants/exercise_03.toml: z without the hidden bias b


@pytest.fixture(scope="module")
def mutant_report(tmp_path_factory):
    return graded(str(MISSING_B.write(REFERENCE, tmp_path_factory.mktemp("m"))), EX)


# ---- transport ---------------------------------------------------------------------------------

def test_a_report_survives_the_trip_from_the_grading_process(mutant_report):
    back = decode_report(json.loads(json.dumps(encode_report(mutant_report))))
    assert back == mutant_report
    worst = next(d for c in back.checks for d in c.diagnoses if d.excerpt is not None)
    assert isinstance(worst.worst_index, tuple) and isinstance(worst.excerpt.indices[0], tuple)


def test_a_document_that_is_not_a_report_is_refused(mutant_report):
    data = encode_report(mutant_report)
    del data["checks"][0]["status"]
    with pytest.raises(ValueError, match="not a grade report"):
        decode_report(data)


# ---- the grading process -----------------------------------------------------------------------

def test_grading_service_answers_restarts_after_death_and_reports_usage_errors(tmp_path):
    session = NotebookSession()
    try:
        report = session.grade_file(GradeRequest(EX), path=REFERENCE, user_ns={}, env={}, cwd=tmp_path)
        assert report.full_marks
        first = session.service._proc.pid
        os.killpg(first, 9)  # the grading process dies (killed, out of memory...): the next request restarts it
        session.service._proc.wait()
        assert session.grade_file(GradeRequest(EX), path=REFERENCE, user_ns={}, env={}, cwd=tmp_path).full_marks
        assert session.service._proc.pid != first
        with pytest.raises(NotebookUsageError, match="unknown exercise 'exercise-77'"):
            session.grade_file(GradeRequest("exercise-77"), path=REFERENCE, user_ns={}, env={}, cwd=tmp_path)
        with pytest.raises(NotebookUsageError, match="no such file"):
            session.grade_file(GradeRequest(EX), path="missing.ipynb", user_ns={}, env={}, cwd=tmp_path)
    finally:
        session.close()
    assert not session.service.alive


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def test_an_interrupted_grade_retires_the_worker_which_finishes_and_exits(tmp_path):
    hang = tmp_path / "hang.py"
    hang.write_text("while True:\n    pass\n")
    service = GradingService()
    service.start()
    old = service._proc
    previous = signal.signal(signal.SIGALRM, _interrupt)  # the student presses "interrupt" half a second in
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(KeyboardInterrupt):
            service.request({"exercise": EX, "path": str(hang), "timeout_s": 1})
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not service.alive and old.poll() is None  # retired, not killed: it is finishing its grade
    assert old.wait(timeout=30) is not None  # its sandbox timed the hang out; then it saw stdin closed and ended
    answer = service.request({"exercise": EX, "path": str(REFERENCE)})  # a fresh worker
    assert "report" in answer and service._proc.pid != old.pid
    service.stop()


def test_a_worker_that_never_answers_times_out_and_is_stopped(tmp_path):
    stuck = tmp_path / "stuck-python"
    stuck.write_text("#!/bin/sh\nexec sleep 30\n")
    stuck.chmod(0o755)
    service = GradingService(python=str(stuck), deadline_s=0.5)
    with pytest.raises(WorkerError, match="did not answer within 0.5 s"):
        service.request({"exercise": EX})
    assert not service.alive


def test_worker_repeats_the_report_of_an_unchanged_file_but_regrades_a_timeout(tmp_path):
    from grader.integrations.jupyter.worker import REPEAT, handle

    cache: dict = {}
    path = MISSING_B.write(REFERENCE, tmp_path)
    request = {"exercise": EX, "path": str(path)}
    notes = [decode_report(handle(request, cache)["report"]).notes for _ in range(2)]
    assert REPEAT not in notes[0] and REPEAT in notes[1]
    path.write_text(path.read_text() + "\n# edited\n")
    assert REPEAT not in decode_report(handle(request, cache)["report"]).notes
    hang = tmp_path / "hang.py"
    hang.write_text("while True:\n    pass\n")
    slow = {"exercise": EX, "path": str(hang), "timeout_s": 0.5}
    assert all(REPEAT not in decode_report(handle(slow, cache)["report"]).notes for _ in range(2))


# ---- %%grade: which cells ----------------------------------------------------------------------

HISTORY = [(0, ""), (1, "import numpy as np\n%matplotlib inline"), (2, "def sig(z):\n    inner = 1\n    return 1 / (1 + np.exp(-z))"),
           (3, "x = 5"), (4, "%grade exercise-03"), (5, "%%time\nunits = 3"), (6, "def broken(:")]
CELL = "class C:\n    def f(self, z):\n        return sig(z) + np.tanh(z) * units + inner\n"


def test_cell_is_graded_with_the_cells_that_define_its_names():
    selection = select_cells(CELL, count=7, history=HISTORY)
    assert [n for n, _, _ in selection.depends_on] == [1, 2]
    assert selection.missing == ("inner", "units")  # a function's local and a cell magic's body do not count
    source = selection.module_source()
    assert source.index("import numpy") < source.index("def sig") < source.index("class C")
    assert "# (magic) %matplotlib inline" in source and "x = 5" not in source
    assert "In [1] (np); In [2] (sig)" in selection.sentence() and "inner, units" in selection.sentence()


def test_cell_alone_when_asked_or_when_it_needs_nothing():
    assert "alone" in select_cells("a = 1\nprint(a)\n", count=3, history=HISTORY).sentence()
    assert select_cells(CELL, count=7, history=HISTORY, alone=True).depends_on == ()


def test_later_definitions_win_and_later_cells_are_ignored():
    history = [(1, "k = 1"), (2, "k = 2"), (4, "k = 4")]
    assert [n for n, _, _ in select_cells("print(k)", count=3, history=history).depends_on] == [2]


def test_a_cell_that_is_not_python_is_a_usage_error():
    with pytest.raises(NotebookUsageError, match="not valid Python"):
        NotebookSession().grade_cell(GradeRequest(EX), cell="def f(:\n", count=2, history=[])


# ---- finding the notebook and its freshness ----------------------------------------------------

def _notebook(path: Path, *sources: str) -> Path:
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None} for s in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_notebook_is_found_from_vs_code_the_jupyter_session_or_the_folder(tmp_path):
    nb = _notebook(tmp_path / "work.ipynb", "x = 1")
    _notebook(tmp_path / "other.ipynb", "y = 1")
    assert find_notebook({"__vsc_ipynb_file__": str(nb)}, {}, cwd=Path("/")) == (nb, "VS Code")
    assert find_notebook({}, {"JPY_SESSION_NAME": "course/work.ipynb"}, cwd=tmp_path)[0] == nb  # relative to the server
    assert find_notebook({"__session__": str(nb)}, {}, cwd=Path("/"))[1] == "the Jupyter session"
    assert find_notebook({}, {}, cwd=tmp_path) is None  # two notebooks: no guess
    (tmp_path / "other.ipynb").unlink()
    assert find_notebook({}, {}, cwd=tmp_path)[1] == "the only notebook in the working directory"


def test_freshness_says_when_the_saved_file_lacks_cells_the_kernel_ran(tmp_path):
    nb = _notebook(tmp_path / "work.ipynb", "x = 1", "y = 2  ")
    saved = nb.stat().st_mtime
    assert freshness_notes(nb, [RanCell(1, "x = 1", saved - 10)]) == ()  # saved after the last run
    same = freshness_notes(nb, [RanCell(1, "x = 1\n", saved + 5), RanCell(2, "y = 2", saved + 6)])
    assert "it holds every cell you ran since" in same[0] and str(nb) in same[0]
    stale = freshness_notes(nb, [RanCell(1, "x = 1", saved + 5), RanCell(3, "y = 3", saved + 6)])
    assert "1 of the cells you ran since (In [3]) are not in it" in stale[0]
    assert freshness_notes(nb, [RanCell(4, "%grade exercise-03", saved + 9)]) == ()  # grading cells do not count
    assert "Save the notebook" in stale[0] and time.strftime("%H:%M:%S", time.localtime(saved)) in stale[0]


def test_cells_that_import_the_grader_are_not_graded():
    source = notebook_source(json.dumps({"cells": [
        {"cell_type": "code", "source": "import numpy as np"},
        {"cell_type": "code", "source": ["import grader\n", "grader.check('exercise-03')"]},
        {"cell_type": "code", "source": "%grade exercise-03"}]}))
    assert "import numpy" in source and "grader.check" not in source and "# (magic) %grade" in source


# ---- hints -------------------------------------------------------------------------------------

@pytest.mark.parametrize("exercise_id", ["exercise-01", "exercise-02", "exercise-03", "exercise-04", "exercise-05",
                                         "exercise-06", "exercise-07"])
def test_every_check_has_a_graded_series_of_hints(exercise_id):
    exercise = get_exercise(exercise_id)
    table = hint_table(exercise)
    assert set(table) == {c.name for c in exercise.checks}  # no hints for a check that does not exist
    for check in exercise.checks:
        hints = hints_for(exercise, check.name)
        assert len(hints) >= 2 and len(set(hints)) == len(hints), check.name
        assert all(h.strip().endswith((".", "?")) and len(h) > 30 for h in hints), check.name


def _solution_expressions(path: Path) -> set[str]:
    """The distinctive expressions of a reference: every statement, call and operation of 12+ characters."""
    source = path.read_text(encoding="utf-8")
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.stmt, ast.Call, ast.BinOp, ast.Compare, ast.Subscript)) and \
                not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom, ast.Expr)):
            text = re.sub(r"\s+", "", ast.get_source_segment(source, node) or "")
            if len(text) >= 12 and "\n" not in (ast.get_source_segment(source, node) or ""):
                found.add(text)
    return found


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_no_hint_gives_away_the_solution(exercise_id):
    exercise = get_exercise(exercise_id)
    expressions = _solution_expressions(exercise.reference)
    assert len(expressions) > 10  # the mechanism has something to look for
    for check, hints in hint_table(exercise).items():
        for hint in hints:
            squashed = re.sub(r"\s+", "", hint)
            leaked = [e for e in expressions if e in squashed]
            assert not leaked, f"{exercise_id}/{check}: a hint contains the reference's {leaked[0]!r}"


def test_the_leak_check_catches_a_hint_that_quotes_the_reference():
    expressions = _solution_expressions(REFERENCE)
    hint = "Subtract the maximum: shifted = o - np.max(o, axis=0, keepdims=True), then exponentiate."
    assert any(e in re.sub(r"\s+", "", hint) for e in expressions)


def test_hint_levels_advance_and_stop_at_the_last():
    session = NotebookSession()
    assert [session.next_hint_level(EX, "loss", level=None, available=3) for _ in range(4)] == [1, 2, 3, 3]
    assert session.next_hint_level(EX, "loss", level=1, available=3) == 1
    assert session.next_hint_level(EX, "build", level=9, available=3) == 3


# ---- rendering ---------------------------------------------------------------------------------

def test_fragment_is_scoped_score_first_failing_open_passing_folded(mutant_report):
    page = render_html_fragment(mutant_report)
    assert "<html" not in page and "<body" not in page and page.lstrip().startswith('<div class="rg-report">')
    css = page.split("<style>", 1)[1].split("</style>", 1)[0]
    selectors = [rule.split("{")[0].strip() for rule in css.split("}") if "{" in rule]
    assert selectors and all(part.strip().startswith(".rg-report") for s in selectors for part in s.split(","))
    body = page.split("</style>", 1)[1]
    assert body.index("Score: ") < body.index("<details")  # the score first
    failing, folded = body.split('<details class="rg-passed"')
    assert 'id="check-isolate_b"' in failing and "<details open" in failing and "hidden bias b is not added" in failing
    assert 'id="check-loss"' in folded
    assert "%grade exercise-03 --hint isolate_b" in failing


def test_page_and_fragment_share_one_body(mutant_report):
    page, fragment = render_html(mutant_report), render_html_fragment(mutant_report)
    assert page.startswith("<!DOCTYPE html>") and "%grade" not in page  # no notebook tips on the page
    body = fragment.split("</style>", 1)[1]
    first_check = body[body.index("<details open"):body.index('<p class="rg-tip">')]
    assert first_check in page


def test_report_renders_itself_for_jupyter_and_consoles(mutant_report):
    assert mutant_report._repr_html_() == render_html_fragment(mutant_report)
    assert mutant_report._repr_markdown_().startswith("# exercise-03")

    class Printer:
        text_out = ""

        def text(self, value: str) -> None:
            self.text_out += value

    printer = Printer()
    mutant_report._repr_pretty_(printer, False)
    assert "FAIL" in printer.text_out and "Score: " in printer.text_out


# ---- what loading costs ------------------------------------------------------------------------

def test_importing_grader_and_loading_the_extension_import_neither_ipython_nor_tensorflow():
    code = textwrap.dedent("""
        import sys
        import grader
        assert callable(grader.check) and callable(grader.load_ipython_extension)
        before = sorted(m for m in ("IPython", "tensorflow", "keras", "sklearn") if m in sys.modules)
        from IPython.testing.globalipapp import start_ipython
        shell = start_ipython()
        shell.run_line_magic("load_ext", "grader")
        shell.run_line_magic("load_ext", "grader")  # twice: registered once
        assert "grade" in shell.magics_manager.magics["line"] and "grade" in shell.magics_manager.magics["cell"]
        after = sorted(m for m in ("tensorflow", "keras", "sklearn") if m in sys.modules)
        print(before, after, len(shell.events.callbacks["post_run_cell"]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[-2].startswith("[] [] ")


@pytest.mark.parametrize("line, words", [("exercise-03 --bogus", "unrecognized arguments: --bogus"),
                                         ("exercise-03 --hint a b c", "--hint takes a check name"),
                                         ("exercise-03 --hint loss two", "--hint takes a check name"),
                                         ('exercise-03 --path "unclosed', "No closing quotation"),
                                         ("--help", "usage: %grade EXERCISE")])
def test_magic_usage_errors_are_one_sentence(line, words):
    from grader.integrations.jupyter.magics import parse

    with pytest.raises(NotebookUsageError, match=re.escape(words)) as caught:
        parse(line)
    assert caught.value._render_traceback_() == [f"grade: error: {caught.value}"]
    assert "\n" not in str(caught.value)
