"""What ``run_autograder`` runs inside Gradescope's container: find the student's file, grade it, and
**always** write ``results/results.json`` (a missing or wrong file, a submission that crashes, hangs or
kills things, even a failure of the grader itself, each end as a valid document with a one-line reason).

``python -m grader.integrations.gradescope.autograder [--root /autograder]``; the root defaults to
``$AUTOGRADER_ROOT`` or ``/autograder``. The bundle's settings are ``source/autograder.json`` (written by
:mod:`.bundle`): the exercise, the child's limits and the sandbox mode. Hidden cases are already in the
bundle's answer key (built from the instructor's secret); the secret itself is not in the bundle.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import fields
from pathlib import Path
from types import FrameType
from typing import Any, Sequence

from grader.i18n import Translator, translator
from grader.integrations.gradescope.results import not_graded_document, results_document

SUFFIXES = (".py", ".ipynb")
MAX_BYTES = 2 * 1024 * 1024
SKIP = ("__MACOSX", ".ipynb_checkpoints", "__pycache__")


class Deadline(Exception):
    pass


def _candidates(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") or part in SKIP for part in rel.parts):
            continue
        if path.is_file() and not path.is_symlink() and path.suffix in SUFFIXES:
            found.append(path)
    return found


def find_submission(folder: Path, module_glob: str, *, tr: Translator | None = None) -> tuple[Path | None, str]:
    """The file to grade, or ``None`` and the student-facing reason (in ``tr``'s language)."""
    tr = tr or translator()
    if not folder.is_dir():
        return None, tr._("No files were submitted.")
    files = _candidates(folder)
    named = [p for p in files if p.match(module_glob)]
    stem = module_glob.split("*")[0].rstrip("_")
    notebooks = [p for p in files if p.suffix == ".ipynb" and p.name.startswith(stem)]
    for choice in (named, notebooks, files if len(files) == 1 else []):
        if choice:
            return choice[0], ""
    others = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())[:8]
    if others:
        return None, tr._("No %(glob)s file or notebook was found among the files you submitted (found: %(files)s). "
                          "Submit your %(glob)s file, or your notebook.", glob=module_glob, files=", ".join(others))
    return None, tr._("No %(glob)s file or notebook was found among the files you submitted (the submission is "
                      "empty). Submit your %(glob)s file, or your notebook.", glob=module_glob)


def _private_copy(path: Path, tmp: Path) -> Path:
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"{path.name} is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    target = tmp / path.name
    shutil.copyfile(path, target)
    return target


def _options(config: dict[str, Any]) -> Any:
    from grader.core import Options

    wanted = {"memory_mb": config.get("memory_mb"), "timeout_s": config.get("timeout_s"), "keras": "stored",
              "sandbox": config.get("sandbox"), "lang": config.get("lang")}
    known = {f.name for f in fields(Options)}
    return Options(**{k: v for k, v in wanted.items() if k in known and v is not None})


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Deadline()


def grade_submission(root: Path, config: dict[str, Any]) -> dict[str, Any]:
    from grader.core import grade
    from grader.errors import SubmissionError
    from grader.sandbox.job import SandboxUnavailable

    started = time.perf_counter()
    exercise = config["exercise"]
    checks = [tuple(c) for c in config["checks"]]
    tr = translator(config.get("lang") or "en")
    path, reason = find_submission(root / "submission", config["module_glob"], tr=tr)
    if path is None:
        return not_graded_document(exercise=exercise, checks=checks, reason=reason, seconds=time.perf_counter() - started)
    options = _options(config)
    try:
        with tempfile.TemporaryDirectory(prefix="rnn-grader-gs-") as tmp:
            report = grade(_private_copy(path, Path(tmp)), exercise, options)
    except SandboxUnavailable as exc:  # --sandbox required, and this container cannot start bubblewrap
        print(f"run_autograder: {exc}; rebuild the bundle with --sandbox auto to grade without it")
        return not_graded_document(exercise=exercise, checks=checks, seconds=time.perf_counter() - started,
                                   reason=tr._("The autograder's sandbox could not start, so your code was not "
                                               "run. Your instructor can see the details."))
    except (SubmissionError, ValueError, OSError, UnicodeDecodeError) as exc:
        return not_graded_document(exercise=exercise, checks=checks, seconds=time.perf_counter() - started,
                                   reason=tr._("%(file)s could not be graded: %(error)s", file=path.name, error=exc))
    return results_document(report, seconds=time.perf_counter() - started, sandbox=report.sandbox or "unknown",
                            notes=(tr._("Graded file: %(file)s.", file=path.relative_to(root / "submission")),))


def write_results(root: Path, document: dict[str, Any]) -> Path:
    out = root / "results"
    out.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".json", dir=out)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(document, fh, indent=1, ensure_ascii=False)
    os.replace(tmp, out / "results.json")
    return out / "results.json"


def self_check(root: Path) -> int:
    """``setup.sh``'s last step: grade an empty module under the bundle's sandbox mode, so that a container
    that cannot start the sandbox fails the image build (the instructor sees it) rather than every student."""
    from grader.core import grade
    from grader.sandbox.job import SandboxUnavailable

    config = json.loads((root / "source" / "autograder.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="rnn-grader-gs-check-") as tmp:
        empty = Path(tmp) / "empty.py"
        empty.write_text("", encoding="utf-8")
        try:
            report = grade(empty, config["exercise"], _options(config))
        except SandboxUnavailable as exc:
            print(f"setup.sh: {exc}. This container cannot run the sandbox: rebuild the bundle with "
                  "`grade gradescope ... --sandbox auto` to grade with process isolation only.")
            return 1
    print(f"setup.sh: self-check graded an empty module ({report.score:g}/{report.max_score:g}), "
          f"sandbox: {report.sandbox}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run_autograder")
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")))
    parser.add_argument("--self-check", action="store_true", help="check that grading works here (setup.sh)")
    args = parser.parse_args(argv)
    root: Path = args.root
    if args.self_check:
        return self_check(root)
    started = time.perf_counter()
    config: dict[str, Any] = {"exercise": "?", "checks": []}
    try:
        config = json.loads((root / "source" / "autograder.json").read_text(encoding="utf-8"))
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(int(config.get("deadline_s", 600)))
        try:
            document = grade_submission(root, config)
        finally:
            signal.alarm(0)
    except Deadline:
        tr = translator(str(config.get("lang") or "en"))
        document = not_graded_document(exercise=config["exercise"], checks=[tuple(c) for c in config["checks"]],
                                       seconds=time.perf_counter() - started,
                                       reason=tr._("Grading took longer than the autograder allows; does your code "
                                                   "loop forever or wait for input?"))
    except Exception as exc:  # noqa: BLE001 - whatever happens, Gradescope gets a results.json
        traceback.print_exc()  # to the instructor's log (stdout_visibility is hidden)
        tr = translator(str(config.get("lang") or "en"))
        document = not_graded_document(exercise=config.get("exercise", "?"),
                                       checks=[tuple(c) for c in config.get("checks", [])],
                                       seconds=time.perf_counter() - started,
                                       reason=tr._("The autograder could not grade this submission (%(error)s). Your "
                                                   "instructor can see the details.", error=type(exc).__name__))
    path = write_results(root, document)
    print(f"run_autograder: wrote {path}: {document['score']:g} points in {document['execution_time']:g} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
