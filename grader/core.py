"""The library core: ``grade(submission, exercise, options) -> GradeReport``.

The CLI, the nbgrader adapter and batch grading are thin callers of :func:`grade`.
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from grader.sandbox.codec import run_in_process
from grader.diagnose import refine
from grader.equivalents.store import load_equivalents
from grader.evaluate import check_title, error_sentence, evaluate
from grader.model import CheckResult, GradeReport, ProbeOutcome, RunResult
from grader.notebook import notebook_source
from grader.sandbox.runner import Job, Limits, ProbeCall, Runner, SubprocessRunner
from grader.spec import Case, Check, Exercise, hidden_checks
from grader.errors import SubmissionError
from grader.i18n import Translator, translator
from grader.sandbox.child import load_module


@dataclass(frozen=True)
class Options:
    keras: Literal["stored", "live", "off"] = "stored"
    timeout_s: float | None = None
    memory_mb: int | None = None
    hidden_secret: int | None = None
    runner: Runner = field(default_factory=SubprocessRunner)
    lang: str = "en"  # "en" or "zh": the language of every sentence of the report (grader/i18n.py)
    translator: Translator | None = None  # overrides ``lang`` (tests pass a pseudo-locale)


def options_translator(options: Options) -> Translator:
    return options.translator or translator(options.lang)


def all_checks(exercise: Exercise, options: Options) -> tuple[Check, ...]:
    if options.hidden_secret is None:
        return exercise.checks
    return exercise.checks + hidden_checks(exercise, options.hidden_secret)


def _limits(exercise: Exercise, options: Options) -> Limits:
    own = exercise.limits
    return Limits(timeout_s=options.timeout_s or own.timeout_s, memory_mb=options.memory_mb or own.memory_mb,
                  total_s=own.total_s)


def expected_outcomes(exercise: Exercise, checks: tuple[Check, ...], cases: list[Case]) -> dict[str, ProbeOutcome]:
    """Run every probe on the reference solution, in this process (trusted code only)."""
    probes = load_module(f"_probes_{exercise.number}", str(exercise.probes))
    reference = load_module(f"_reference_{exercise.number}", str(exercise.reference))
    out = {}
    with tempfile.TemporaryDirectory(prefix="rnn-grader-ref-") as tmp:
        for check, case in zip(checks, cases):
            folder = Path(tmp) / check.name
            folder.mkdir()
            for name, content in case.files.items():
                (folder / name).write_bytes(content)
            params = {**case.params, "_dir": str(folder)}
            out[check.name] = run_in_process(getattr(probes, check.probe), reference, check.name, dict(case.arrays), params)
    return out


def _student_run(path: Path, exercise: Exercise, checks: tuple[Check, ...], cases: list[Case], options: Options) -> RunResult:
    calls = tuple(ProbeCall(check=c.name, probe=c.probe, params={**case.params, "_dir": c.name},
                            arrays=dict(case.arrays), files=dict(case.files)) for c, case in zip(checks, cases))
    job = Job(module_path=path, probe_path=exercise.probes, calls=calls, limits=_limits(exercise, options))
    return options.runner.run(job)


def _import_failed(checks: tuple[Check, ...], run: RunResult, exercise: Exercise, tr: Translator) -> tuple[CheckResult, ...]:
    assert run.import_error is not None
    text = tr._("Your module could not be imported. %(error)s",
                error=error_sentence(run.import_error, exercise.error_hints, tr=tr))
    return tuple(CheckResult(name=c.name, title=check_title(c, tr), points=0.0, max_points=c.points, status="error",
                             message=text, hidden=c.hidden) for c in checks)


def grade(submission: Path, exercise: Exercise, options: Options | None = None) -> GradeReport:
    """Grade one submission (a ``.py`` file or an ``.ipynb`` notebook) of one exercise."""
    options = options or Options()
    tr = options_translator(options)
    started = time.perf_counter()
    submission = Path(submission)
    if not submission.is_file():
        raise SubmissionError(tr._("no such file: %(path)s", path=submission))
    checks = all_checks(exercise, options)
    cases = [c.case() for c in checks]
    with tempfile.TemporaryDirectory(prefix="rnn-grader-sub-") as tmp:
        path = _as_python_file(submission, Path(tmp), tr)
        run = _student_run(path, exercise, checks, cases, options)
        source = path.read_text(encoding="utf-8", errors="replace")
    expected = expected_outcomes(exercise, checks, cases)
    equivalents, info = load_equivalents(exercise, checks, cases, options.keras)
    if run.import_error is not None:
        results = _import_failed(checks, run, exercise, tr)
    else:
        results = tuple(
            evaluate(c, got=run.outcomes[c.name], expected=expected[c.name], case=case,
                     equivalent=equivalents.get(c.name),
                     equivalent_tol=(exercise.equivalent.atol, exercise.equivalent.rtol) if exercise.equivalent else (0, 0),
                     equivalent_library=exercise.equivalent.library if exercise.equivalent else "",
                     error_hints=exercise.error_hints, tr=tr)
            for c, case in zip(checks, cases))
        results = refine(results, checks=checks, outcomes=run.outcomes, source=source)
    notes = _notes(run, tr)
    if options.hidden_secret is not None:
        results = merge_hidden(results, tr=tr)
        notes += (tr._("Hidden cases with fresh inputs were graded too; their inputs and expected values are not "
                       "shown."),)
    return GradeReport(exercise=exercise.id, title=tr.text(exercise.title), submission=str(submission),
                       checks=results, equivalent=info, notes=notes, seconds=time.perf_counter() - started,
                       peak_child_rss_kib=run.peak_rss_kib, lang=tr.lang)


def merge_hidden(results: tuple[CheckResult, ...], *, tr: Translator | None = None) -> tuple[CheckResult, ...]:
    """Fold each hidden case into its public check: the points need both to pass."""
    hidden = {r.name.removesuffix("-hidden"): r for r in results if r.hidden}
    merged = []
    for result in results:
        if result.hidden:
            continue
        twin = hidden.get(result.name)
        if result.passed and twin is not None and not twin.passed:
            message = (tr or translator())._("Your code passes the public case but fails a hidden case with other "
                                             "inputs (does it hard-code answers?). %(diagnosis)s",
                                             diagnosis=twin.message)
            result = replace(result, points=0.0, status="failed", message=message, diagnoses=twin.diagnoses)
        merged.append(result)
    return tuple(merged)


def _as_python_file(submission: Path, tmp: Path, tr: Translator) -> Path:
    if submission.suffix == ".ipynb":
        try:
            source = notebook_source(submission.read_text(encoding="utf-8"))
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, OSError) as exc:
            raise SubmissionError(tr._("cannot read notebook %(path)s: %(error)s", path=submission, error=exc)) from exc
        target = tmp / (submission.stem.replace("-", "_") + ".py")
        target.write_text(source, encoding="utf-8")
        return target
    if submission.suffix != ".py":
        raise SubmissionError(tr._("%(path)s is neither a .py file nor an .ipynb notebook", path=submission))
    return submission


def _notes(run: RunResult, tr: Translator) -> tuple[str, ...]:
    notes = []
    if run.processes > 1:
        notes.append(tr.ngettext("Your code had to be restarted %(n)s time after it hung or ended the process.",
                                 "Your code had to be restarted %(n)s times after it hung or ended the process.",
                                 run.processes - 1))
    if run.stdout_tail.strip() or run.stderr_tail.strip():
        notes.append(tr._("Your code printed output; it was captured and ignored for grading."))
    return tuple(notes)
