"""What a locked nbgrader test cell runs: ``python -I -m grader.integrations.nbgrader.cell EXERCISE CHECK POINTS [--fresh]``.

The test cell starts this module in a fresh process and trusts nothing in the student's kernel.
It grades the notebook *file* in the working directory with :func:`grader.core.grade`, the same
sandbox as ``grade EXERCISE --path NOTEBOOK``. During ``nbgrader autograde`` the working directory
is ``autograded/<student>/<assignment>/`` and the file there is nbgrader's sanitised copy, with the
locked cells restored; the test cells themselves are never part of the graded code.

The first test cell passes ``--fresh``: it always grades, and caches the report (keyed by the
notebook file's SHA-256 and the hidden mode) in ``.rnn_grader_cache.json``; the other cells reuse
it, but only when no student code can run between the test cells: the test cells must be the last
code cells of the file, the ``--fresh`` one first. Otherwise every cell grades on its own. The output is the check's diagnosis (shown in nbgrader's feedback), then the score alone on the
last line, which the cell turns into its value. Nothing is written to stderr: nbgrader gives 0 to a
test cell with any stderr output.

Hidden cases are graded when ``RNN_GRADER_HIDDEN_SEED`` is set, or during ``nbgrader autograde``
(``NBGRADER_EXECUTION=autograde``) with ``rnn_grader.json`` (``{"hidden_seed": N}``, written by
``grade nbgrader init``) in the working directory or one of its parents: the course root. Its ``"lang"``
(``"en"`` or ``"zh"``, from ``grade nbgrader init --lang``) is the language of everything the cells print.

In ``nbgrader autograde`` the cells run in the sandboxed kernel (``kernel.py``), which cannot see the
grader, the course or this package: there the test cell runs this file by path (``RNN_GRADER_CELL``)
and it only asks the grading service outside the sandbox (``RNN_GRADER_SERVICE``, a Unix socket) for
the check's lines; the service grades the notebook file itself and keeps the report in memory.

This module imports only the standard library until it has to grade, so reading the cache is fast.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not imported at run time: every test cell starts this module
    from typing import Any, Mapping, Sequence

    from grader.i18n import Translator

CACHE_FILE = ".rnn_grader_cache.json"
CONFIG_FILE = "rnn_grader.json"
SEED_VARIABLE = "RNN_GRADER_HIDDEN_SEED"
SERVICE_VARIABLE = "RNN_GRADER_SERVICE"
CELL_VARIABLE = "RNN_GRADER_CELL"
MAX_ANSWER_BYTES = 2**20
CACHE_VERSION = 2
LANGS = ("en", "zh")


def cache_usable(notebook: bytes) -> bool:
    """True when the test cells are the notebook's last code cells and the first one is ``--fresh``."""
    from grader.notebook import is_test_cell

    try:
        cells = [c for c in json.loads(notebook)["cells"] if c.get("cell_type") == "code"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    tests = [is_test_cell(c) for c in cells]
    if True not in tests:
        return False
    first = tests.index(True)
    source = cells[first].get("source", "")
    return all(tests[first:]) and "--fresh" in ("".join(source) if isinstance(source, list) else str(source))


def find_notebook(cwd: Path, exercise_id: str) -> Path | None:
    """``<exercise_id>.ipynb`` in ``cwd``, or the only notebook there."""
    named = cwd / f"{exercise_id}.ipynb"
    if named.is_file():
        return named
    found = sorted(p for p in cwd.glob("*.ipynb") if p.is_file())
    return found[0] if len(found) == 1 else None


def course_config(cwd: Path) -> dict[str, Any]:
    """The nearest ``rnn_grader.json`` in ``cwd`` or its parents, or ``{}``."""
    for folder in (cwd, *cwd.parents):
        path = folder / CONFIG_FILE
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def hidden_seed(env: Mapping[str, str], config: Mapping[str, Any]) -> int | None:
    """The secret of the hidden cases, or None when they are off (outside autograde)."""
    value = env.get(SEED_VARIABLE, "").strip()
    if value:
        return int(value)
    if env.get("NBGRADER_EXECUTION") == "autograde" and isinstance(config.get("hidden_seed"), int):
        return int(config["hidden_seed"])
    return None


def course_lang(config: Mapping[str, Any]) -> str:
    """The course's language (``"lang"`` in ``rnn_grader.json``): ``"zh"`` or ``"en"`` (the default)."""
    value = config.get("lang")
    return str(value) if value in LANGS else "en"


def _tr(lang: str) -> Translator:
    from grader.i18n import translator

    return translator(lang)


def timeout_s(config: Mapping[str, Any]) -> float | None:
    value = config.get("timeout_s")
    return float(value) if isinstance(value, (int, float)) and value > 0 else None


def cache_key(notebook: bytes, exercise_id: str, seed: int | None, timeout: float | None, *, lang: str = "en") -> str:
    """Changes whenever the notebook file, the hidden mode, the time limit or the language changes."""
    digest = hashlib.sha256()
    for part in (notebook, exercise_id.encode(), repr((CACHE_VERSION, seed, timeout, lang)).encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def read_cache(path: Path, key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data["report"] if isinstance(data, dict) and data.get("key") == key else None


def write_cache(path: Path, key: str, report: Mapping[str, Any]) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"key": key, "report": report}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a read-only directory: every cell grades on its own
        tmp.unlink(missing_ok=True)


def sandbox_mode(env: Mapping[str, str], config: Mapping[str, Any]) -> str:
    """The sandbox of the cells' grading: ``"sandbox"`` in ``rnn_grader.json`` if it names a mode, else
    ``required`` under nbgrader (``NBGRADER_EXECUTION`` set: autograde, validate), else ``auto`` (a student
    running the tests in their own Jupyter, like ``grade`` on their machine)."""
    mode = config.get("sandbox")
    if mode in ("required", "auto", "off"):
        return str(mode)
    return "required" if env.get("NBGRADER_EXECUTION") else "auto"


def grade_notebook(notebook: Path, exercise_id: str, seed: int | None, timeout: float | None, *,
                   sandbox: str = "required", lang: str = "en") -> dict[str, Any]:
    """The Gradescope-layout report of ``grade EXERCISE --path NOTEBOOK --lang LANG`` (plus hidden cases)."""
    from grader.core import Options, grade
    from grader.report.render import report_json
    report = grade(notebook, exercise_id, Options(timeout_s=timeout, hidden_secret=seed, sandbox=sandbox,  # type: ignore[arg-type]
                                                  lang=lang))
    return report_json(report)


def refused_lines(exc: Exception, *, lang: str = "en") -> list[str] | None:
    """One clear line (and the score 0) when ``--sandbox required`` cannot start the sandbox here, else None."""
    from grader.sandbox.job import SandboxUnavailable

    if not isinstance(exc, SandboxUnavailable):
        return None
    return ["FAIL  " + _tr(lang)._("This notebook was not graded: %(reason)s. Install bubblewrap (bwrap), or set "
                                      "\"sandbox\": \"auto\" in the course's rnn_grader.json to grade with process "
                                      "isolation only.", reason=str(exc).rstrip(".")), "0.0"]


def _wrap(text: str, indent: str = "      ") -> str:
    return "\n".join(textwrap.wrap(text, 100, initial_indent=indent, subsequent_indent=indent))


def check_lines(report: Mapping[str, Any], check: str, points: float, *, lang: str = "en") -> tuple[list[str], float]:
    """The diagnosis of one check and the score the cell reports, clamped to ``[0, points]``, in ``lang``."""
    tr = _tr(lang)
    entry = next((t for t in report["tests"] if t.get("check") == check), None)
    if entry is None:
        return ["FAIL  " + tr._("The grader has no check %(check)s: regenerate the course (`grade nbgrader init`).",
                                check=repr(check))], 0.0
    score = min(max(float(entry["score"]), 0.0), points)
    lines = [f"{'PASS' if entry['status'] == 'passed' else 'FAIL'}  {entry['name']}: {score:g}/{points:g}"]
    if entry["status"] != "passed":
        lines.append(_wrap(entry["output"]))
    if float(entry["max_score"]) != points:
        lines.append(_wrap(tr._("This test cell is worth %(points)s points but the check %(max)s: the course notebook "
                                "is out of date; regenerate it with `grade nbgrader init`.",
                                points=format(points, "g"), max=format(float(entry["max_score"]), "g"))))
    return lines, score


def header_lines(report: Mapping[str, Any], notebook: Path, env: Mapping[str, str], *, lang: str = "en") -> list[str]:
    tr = _tr(lang)
    lines = [tr._("Graded the saved file %(notebook)s in a separate, sandboxed process (the same grader as "
                  "`grade %(exercise)s --path %(notebook)s`): %(score)s/%(max)s in total.", notebook=notebook.name,
                  exercise=report["extra_data"]["exercise"], score=format(report["score"], "g"),
                  max=format(report["max_score"], "g"))]
    if env.get("NBGRADER_EXECUTION") != "autograde":
        lines.append(tr._("The tests grade the file on disk: save the notebook before you run them."))
    lines += list(report["extra_data"].get("notes", ()))
    return [_wrap(line, "") for line in lines] + [""]


def run(exercise_id: str, check: str, points: float, *, fresh: bool, cwd: Path, env: Mapping[str, str]) -> list[str]:
    """Everything the cell prints; the last line is the score."""
    config = course_config(cwd)
    lang = course_lang(config)
    notebook = find_notebook(cwd, exercise_id)
    if notebook is None:
        return [no_notebook_line(exercise_id, cwd, lang=lang), "0.0"]
    seed, timeout = hidden_seed(env, config), timeout_s(config)
    data = notebook.read_bytes()
    key = cache_key(data, exercise_id, seed, timeout, lang=lang)
    cache = cwd / CACHE_FILE
    report = None if fresh or not cache_usable(data) else read_cache(cache, key)
    lines: list[str] = []
    if report is None:
        try:
            report = grade_notebook(notebook, exercise_id, seed, timeout, sandbox=sandbox_mode(env, config),
                                    lang=lang)
        except Exception as exc:  # noqa: BLE001 - a refused sandbox is one line; anything else is main's line
            refused = refused_lines(exc, lang=lang)
            if refused is None:
                raise
            return refused
        write_cache(cache, key, report)
        lines = header_lines(report, notebook, env, lang=lang)
    text, score = check_lines(report, check, points, lang=lang)
    return lines + text + [repr(score)]


def no_notebook_line(exercise_id: str, cwd: Path, *, lang: str = "en") -> str:
    return "FAIL  " + _tr(lang)._("No notebook %(notebook)s was found in %(folder)s.", notebook=f"{exercise_id}.ipynb",
                                  folder=str(cwd))


def ask_service(path: str, exercise_id: str, check: str, points: float) -> list[str]:
    """The lines of one check, from the grading service of the sandboxed kernel (see ``kernel.py``)."""
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(900)
        conn.connect(path)
        conn.sendall(json.dumps({"exercise": exercise_id, "check": check, "points": points}).encode() + b"\n")
        data = b""
        while len(data) <= MAX_ANSWER_BYTES:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    lines = data[:MAX_ANSWER_BYTES].decode("utf-8", "replace").splitlines()
    return lines if lines else ["FAIL  The grading service gave no answer.", "0.0"]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    fresh = "--fresh" in args
    args = [a for a in args if a != "--fresh"]
    try:
        exercise_id, check, points = args[0], args[1], float(args[2])
        service = os.environ.get(SERVICE_VARIABLE, "")
        if service:
            lines = ask_service(service, exercise_id, check, points)
        else:
            lines = run(exercise_id, check, points, fresh=fresh, cwd=Path.cwd(), env=os.environ)
    except Exception as exc:  # noqa: BLE001 - the cell must get a score and a reason, never a traceback on stderr
        lines = [f"FAIL  The grader could not grade this notebook: {type(exc).__name__}: {exc}", "0.0"]
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
