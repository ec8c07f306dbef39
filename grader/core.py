"""The library core: ``grade(submission, exercise, options) -> GradeReport``.

It grades from the exercise's answer key (``docs/answer-keys.md``): run the student in the sandbox, load
the key, compare, report. No reference solution and no hint formula runs at grade time.

The CLI, the nbgrader adapter and batch grading are thin callers of :func:`grade`.
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Mapping

import numpy as np

from grader.diagnose.refine import refine
from grader.evaluate import check_title, error_sentence, evaluate
from grader.keys.load import UnknownExercise, load_key
from grader.keys.model import AnswerKey, CheckKey
from grader.model import CheckResult, EquivalentInfo, GradeReport, RunResult
from grader.notebook import notebook_source
from grader.sandbox.runner import SubprocessRunner
from grader.sandbox.job import PROCESS_ONLY, Job, sandbox_text, Limits, ProbeCall, Runner, SandboxMode
from grader.spec import Check, Exercise
from grader.errors import SubmissionError, UsageError
from grader.i18n import Translator, translator


@dataclass(frozen=True)
class Options:
    keras: Literal["stored", "live", "off"] = "stored"
    timeout_s: float | None = None
    memory_mb: int | None = None
    hidden_secret: int | None = None
    sandbox: SandboxMode = "auto"  # bubblewrap where possible; "required" refuses without it; "off"
    runner: Runner = field(default_factory=SubprocessRunner)
    lang: str = "en"  # "en" or "zh": the language of every sentence of the report (grader/i18n.py)
    translator: Translator | None = None  # overrides ``lang`` (tests pass a pseudo-locale)


def options_translator(options: Options) -> Translator:
    return options.translator or translator(options.lang)


def graded_keys(exercise_id: str, options: Options) -> tuple[AnswerKey, tuple[CheckKey, ...]]:
    """The public key, and every check to grade: the public ones, then the hidden ones when there is a secret."""
    try:
        key = load_key(exercise_id)
    except UnknownExercise:
        raise UsageError(f"unknown exercise {exercise_id!r}; `grade list` shows the exercises") from None
    if options.hidden_secret is None:
        return key, key.checks
    from grader.keys.hidden import hidden_key

    return key, key.checks + hidden_key(exercise_id, options.hidden_secret).checks


def _limits(exercise: Exercise, options: Options) -> Limits:
    own = exercise.limits
    return Limits(timeout_s=options.timeout_s or own.timeout_s, memory_mb=options.memory_mb or own.memory_mb,
                  total_s=own.total_s, after_timeout_s=min(own.after_timeout_s, options.timeout_s or own.timeout_s))


def _equivalents(key: AnswerKey, options: Options) -> tuple[Mapping[str, Mapping[str, np.ndarray]], EquivalentInfo]:
    if options.keras == "off" or key.exercise.equivalent is None:
        return {}, EquivalentInfo("none")
    if options.keras == "live":
        try:
            from grader.equivalents.store import compute_live
            from grader.specs import get_exercise
            spec = get_exercise(key.exercise.id)
        except (ImportError, KeyError):
            raise UsageError("--keras live needs the full project (its specs and TensorFlow); "
                             "this package grades with the stored values") from None
        public = {c.name: c for c in spec.checks}
        checks = tuple(public[k.check.name] for k in key.checks if k.check.name in public)
        return compute_live(spec, checks, [k.case for k in key.checks if k.check.name in public])
    return {k.check.name: k.equivalent for k in key.checks if k.equivalent}, key.equivalent


def _keeps_inputs(check: Check) -> bool:
    """A check that the contract says leaves its inputs unchanged gets them as read-only memory (docs/sandbox.md)."""
    return any(f.kind == "unchanged" for f in check.fields)


def _student_run(path: Path, exercise: Exercise, keys: tuple[CheckKey, ...], options: Options) -> RunResult:
    calls = tuple(ProbeCall(check=k.check.name, probe=k.check.probe, params={**k.case.params, "_dir": k.check.name},
                            arrays=dict(k.case.arrays), files=dict(k.case.files), read_only=_keeps_inputs(k.check))
                  for k in keys)
    job = Job(module_path=path, probe_path=exercise.probes, calls=calls, limits=_limits(exercise, options),
              sandbox=options.sandbox)
    return options.runner.run(job)


def _import_failed(checks: tuple[Check, ...], run: RunResult, exercise: Exercise, tr: Translator) -> tuple[CheckResult, ...]:
    assert run.import_error is not None
    text = tr._("Your module could not be imported. %(error)s",
                error=error_sentence(run.import_error, exercise.error_hints, tr=tr))
    return tuple(CheckResult(name=c.name, title=check_title(c, tr), points=0.0, max_points=c.points, status="error",
                             message=text, hidden=c.hidden) for c in checks)


def grade(submission: Path, exercise: Exercise | str, options: Options | None = None) -> GradeReport:
    """Grade one submission (a ``.py`` file or an ``.ipynb`` notebook) of one exercise, from its answer key.

    ``exercise`` is an exercise id or an :class:`Exercise` (only its id is used): the checks, cases and
    expected values all come from the key (``grader/keys/``), so no reference or hint code runs here.
    """
    options = options or Options()
    tr = options_translator(options)
    started = time.perf_counter()
    submission = Path(submission)
    if not submission.is_file():
        raise SubmissionError(tr._("no such file: %(path)s", path=submission))
    key, keys = graded_keys(exercise if isinstance(exercise, str) else exercise.id, options)
    keyed = key.exercise
    checks = tuple(k.check for k in keys)
    with tempfile.TemporaryDirectory(prefix="rnn-grader-sub-") as tmp:
        path = _as_python_file(submission, Path(tmp), tr)
        run = _student_run(path, keyed, keys, options)
        source = path.read_text(encoding="utf-8", errors="replace")
    equivalents, info = _equivalents(key, options)
    tolerance = (keyed.equivalent.atol, keyed.equivalent.rtol) if keyed.equivalent else (0.0, 0.0)
    if run.import_error is not None:
        results = _import_failed(checks, run, keyed, tr)
    else:
        results = tuple(
            evaluate(k.check, got=run.outcomes[k.check.name], expected=k.expected, case=k.case,
                     equivalent=equivalents.get(k.check.name), equivalent_tol=tolerance,
                     equivalent_library=keyed.equivalent.library if keyed.equivalent else "",
                     error_hints=keyed.error_hints, tr=tr)
            for k in keys)
        results = refine(results, checks=checks, outcomes=run.outcomes, source=source, tr=tr)
    notes = _notes(run, tr)
    if options.hidden_secret is not None:
        results = merge_hidden(results, tr=tr)
        notes += (tr._("Hidden cases with fresh inputs were graded too; their inputs and expected values are not "
                       "shown."),)
    return GradeReport(exercise=keyed.id, title=tr.text(keyed.title), submission=str(submission),
                       checks=results, equivalent=info, notes=notes, seconds=time.perf_counter() - started,
                       peak_child_rss_kib=run.peak_rss_kib, lang=tr.lang, sandbox=run.sandbox)


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
    if run.sandbox.startswith(PROCESS_ONLY):
        notes.append(tr._("Sandbox: %(sandbox)s. Your code ran in a separate process with limits, but without the "
                          "bubblewrap sandbox.", sandbox=sandbox_text(run.sandbox, tr)))
    if run.processes > 1:
        notes.append(tr.ngettext("Your code had to be restarted %(n)s time after it hung or ended the process.",
                                 "Your code had to be restarted %(n)s times after it hung or ended the process.",
                                 run.processes - 1))
    if run.stdout_tail.strip() or run.stderr_tail.strip():
        notes.append(tr._("Your code printed output; it was captured and ignored for grading."))
    return tuple(notes)
